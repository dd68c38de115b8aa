/**
 * The school store the CLI writes to: Azure Cosmos DB when COSMOS_ENDPOINT/COSMOS_KEY are set, and
 * otherwise the local Cosmos server of the data dir, joining a running Keepsafe's server if there
 * is one (so an import while Keepsafe runs lands in what it serves) or starting one for the run.
 */
import { loadConfig } from "../config.js";
import { createCosmosStores } from "../adapters/cosmos/create-cosmos-stores.js";
import { connectOrStartLocalCosmos } from "../local/cosmos/local-cosmos.js";
import type { SchoolStore } from "../ports/school-store.js";

export interface OpenedSchoolStore {
  schools: SchoolStore;
  /** Where the data went, for the summary: "Azure Cosmos DB" or the local data dir. */
  description: string;
  close(): Promise<void>;
}

export async function openSchoolStore(env: NodeJS.ProcessEnv, projectRoot: string): Promise<OpenedSchoolStore> {
  const config = loadConfig(env, projectRoot);
  const databaseId = config.cosmos.databaseId;
  if (config.cosmos.endpoint && config.cosmos.key) {
    const stores = await createCosmosStores({ endpoint: config.cosmos.endpoint, key: config.cosmos.key, databaseId });
    return { schools: stores.schoolStore, description: "Azure Cosmos DB", close: async () => stores.dispose() };
  }
  const local = await connectOrStartLocalCosmos(config.dataDir);
  try {
    const stores = await createCosmosStores({ endpoint: local.endpoint, key: local.key, databaseId, caPem: local.caPem });
    return {
      schools: stores.schoolStore,
      description: `local data in ${config.dataDir}${local.owned ? "" : " (through the running Keepsafe)"}`,
      close: async () => {
        stores.dispose();
        await local.stop();
      },
    };
  } catch (e) {
    await local.stop();
    throw e;
  }
}
