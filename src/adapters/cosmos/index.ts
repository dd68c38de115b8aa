export { createCosmosStores } from "./create-cosmos-stores.js";
export type { CosmosStores, CosmosStoresOptions } from "./create-cosmos-stores.js";
