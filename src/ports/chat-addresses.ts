/**
 * Where the bot can reach each member of staff in Teams chat: the conversation reference of their
 * last activity in their personal chat with the bot, kept as plain JSON (src/ never reads it; the
 * bot parses it back). Shared by every instance and kept over restarts, so an alert card reaches
 * the person whichever instance sends it.
 */
export type ChatAddress = Record<string, unknown>;

export interface ChatAddressStore {
  save(staffId: string, address: ChatAddress): Promise<void>;
  get(staffId: string): Promise<ChatAddress | undefined>;
}
