export { startLocalCosmos, connectOrStartLocalCosmos, LOCAL_COSMOS_KEY } from "./local-cosmos.js";
export type { LocalCosmos, LocalCosmosConnection, StartLocalCosmosOptions } from "./local-cosmos.js";
