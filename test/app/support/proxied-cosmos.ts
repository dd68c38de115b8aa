/**
 * What the outbox fault tests share: the embedded Cosmos DB server behind the fault proxy (no
 * faults until a test aims one), Keepsafe's Cosmos stores through the proxy with the school's
 * staff, and the Graph sandbox.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createCosmosStores, type CosmosStores, type CosmosStoresOptions } from "../../../src/adapters/cosmos/create-cosmos-stores.js";
import { startLocalCosmos, type LocalCosmos } from "../../../src/local/cosmos/local-cosmos.js";
import { loadOrCreateTls } from "../../../src/local/cosmos/tls-material.js";
import { startGraphSandbox, type GraphSandbox } from "../../../src/local/graph-sandbox/index.js";
import { startFaultProxy, type FaultProxy } from "../../support/fault-proxy.js";
import { SCHOOL, staff } from "./dispatch-fixtures.js";

export interface ProxiedCosmos {
  cosmos: LocalCosmos;
  proxy: FaultProxy;
  stores: CosmosStores;
  sandbox: GraphSandbox;
  /** More stores on the same database through the proxy (a restart); the caller disposes them. */
  openStores(): Promise<CosmosStores>;
  stop(): Promise<void>;
}

export async function startProxiedCosmos(
  name: string,
  databaseId: string,
  seed: number,
  options: Pick<CosmosStoresOptions, "maxRetryAttempts"> = {},
): Promise<ProxiedCosmos> {
  const dataDir = await mkdtemp(join(tmpdir(), `${name}-`));
  const cosmos = await startLocalCosmos({ dataDir });
  const tls = await loadOrCreateTls(dataDir);
  const proxy = await startFaultProxy({ upstream: cosmos.endpoint, caPem: cosmos.caPem, certPem: tls.certPem, keyPem: tls.keyPem, seed, share: 0 });
  const openStores = () => createCosmosStores({ endpoint: proxy.endpoint, key: cosmos.key, caPem: cosmos.caPem, databaseId, ...options });
  const stores = await openStores();
  await stores.schoolStore.upsertStaff(SCHOOL, staff);
  const sandbox = await startGraphSandbox();
  return {
    cosmos,
    proxy,
    stores,
    sandbox,
    openStores,
    stop: async () => {
      await sandbox.stop();
      stores.dispose();
      await proxy.stop();
      await cosmos.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
