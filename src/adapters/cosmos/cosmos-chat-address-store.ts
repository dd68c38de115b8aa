import type { Container } from "@azure/cosmos";
import type { ChatAddress, ChatAddressStore } from "../../ports/chat-addresses.js";
import type { CosmosDoc } from "./cosmos-docs.js";
import { guarded, statusOf } from "./cosmos-errors.js";

/**
 * One document per member of staff in `conversations` (pk /id, the staff member's Entra object
 * id): the last conversation reference their personal chat gave. Upserted, so the newest wins.
 */
export function createCosmosChatAddressStore(container: Container): ChatAddressStore {
  return {
    save: (staffId, address) =>
      guarded("saveChatAddress", async () => void (await container.items.upsert({ id: staffId, address, savedAt: new Date().toISOString() }))),
    get: (staffId) =>
      guarded("getChatAddress", async () => {
        try {
          const { resource } = await container.item(staffId, staffId).read<CosmosDoc>();
          const address = resource?.address;
          return typeof address === "object" && address !== null && !Array.isArray(address) ? (address as ChatAddress) : undefined;
        } catch (e) {
          if (statusOf(e) === 404) return undefined;
          throw e;
        }
      }),
  };
}
