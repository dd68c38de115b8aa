/**
 * The local parts of local mode (the embedded Cosmos DB server, the identity provider, the Graph
 * sandbox and Azurite), started together or joined.
 *
 * Started: each part is independent of the others, so they start in parallel and start-up costs
 * the slowest of them (Azurite's child process), not their sum. Where each went is reported.
 *
 * Joined: a second `npm start` on the same KEEPSAFE_DATA_DIR (another PORT) finds the parts file
 * the first wrote, checks that its owner is alive and its Cosmos server answers, and uses the same
 * parts: one store, one identity provider (tokens carry its port in `iss`, so both instances
 * accept the same tokens), one Graph sandbox and one Azurite. That is how two instances behind one
 * store are tried on one machine. A joined instance stops nothing it did not start; when the owner
 * stops, the joined instance's store is gone and its requests answer `store_unavailable`.
 */
import type { KeepsafeConfig } from "../config.js";
import { KeepsafeError } from "../domain/errors.js";
import { childLogger } from "../logger.js";
import { startLocalCosmos } from "./cosmos/index.js";
import { joinLocalCosmos } from "./cosmos/local-cosmos.js";
import { DECLARED_APP_ROLES, DEMO_DIRECTORY } from "./demo-directory.js";
import { LocalDirectory } from "./identity-provider/directory.js";
import { loadOrCreateIdentityMaterial, startLocalIdentityProvider, type LocalIdentityProvider } from "./identity-provider/index.js";
import { startGraphSandbox, type GraphSandbox } from "./graph-sandbox/index.js";
import { startAzurite } from "./azurite.js";
import { phaseTimer } from "../startup-timer.js";
import { joinableParts, removePartsFile, writePartsFile, type PartsFile } from "./parts-file.js";

const log = childLogger("local-parts");

export interface LocalParts {
  cosmos?: { endpoint: string; key: string; caPem: string };
  identity?: { authority: string; caPem: string; clientSecret: string };
  graph?: { baseUrl: string; pageUrl: string };
  blob?: { connectionString: string };
  /** The servers themselves, only when this process started them (tests sign in and read Graph through them). */
  owned: { identity?: LocalIdentityProvider; graph?: GraphSandbox };
  /** True when this process uses parts another Keepsafe process started. */
  joined: boolean;
  /** Milliseconds each part took to start (they start in parallel), or to join. */
  startupMs: Record<string, number>;
  stop(): Promise<void>;
}

/** Starts every local part the configuration asks for, in parallel; stops those that started if one fails. */
async function startParts(config: KeepsafeConfig): Promise<LocalParts> {
  const { dataDir } = config;
  const { ms: times, timed } = phaseTimer();
  // One directory: the identity provider puts it in tokens, the Graph sandbox answers directory reads from it.
  const directory = new LocalDirectory(DEMO_DIRECTORY);
  const starting = [
    config.local.cosmos ? timed("cosmos", () => startLocalCosmos({ dataDir })) : undefined,
    config.local.identity
      ? timed("identity", () =>
          startLocalIdentityProvider({ dataDir, tenantId: config.identity.tenantId, clientId: config.identity.clientId }, directory),
        )
      : undefined,
    config.local.graph
      ? timed("graph", () =>
          startGraphSandbox({ dataDir, directory: { appId: config.identity.clientId, appRoles: DECLARED_APP_ROLES, local: directory } }),
        )
      : undefined,
    config.local.blob ? timed("blob", () => startAzurite({ dataDir })) : undefined,
  ] as const;
  const settled = await Promise.allSettled(starting.map((p) => p ?? Promise.resolve(undefined)));
  const stoppers = settled.flatMap((s) => (s.status === "fulfilled" && s.value ? [() => s.value!.stop()] : []));
  const stop = async () => {
    await Promise.all(stoppers.map((s) => s().catch((err) => log.warn({ err: String(err) }, "stop failed"))));
  };
  const failed = settled.find((s) => s.status === "rejected");
  if (failed) {
    await stop();
    throw failed.reason;
  }
  const [cosmos, identity, graph, blob] = await Promise.all(starting);
  return {
    cosmos: cosmos && { endpoint: cosmos.endpoint, key: cosmos.key, caPem: cosmos.caPem },
    identity: identity && { authority: identity.authority, caPem: identity.caPem, clientSecret: identity.clientSecret },
    graph: graph && { baseUrl: graph.baseUrl, pageUrl: graph.pageUrl },
    blob: blob && { connectionString: blob.connectionString },
    owned: { identity, graph },
    joined: false,
    startupMs: times,
    stop,
  };
}

/** Uses the parts another live Keepsafe process serves from this data dir. */
async function joinParts(config: KeepsafeConfig, file: PartsFile): Promise<LocalParts | undefined> {
  const cosmos = await joinLocalCosmos(config.dataDir, file.cosmos);
  if (!cosmos) return undefined;
  const identityMaterial = file.identity ? await loadOrCreateIdentityMaterial(config.dataDir) : undefined;
  log.info({ ownerPid: file.pid }, "joined the running local parts");
  return {
    cosmos,
    identity:
      file.identity && identityMaterial
        ? { authority: file.identity, caPem: identityMaterial.caCertPem, clientSecret: identityMaterial.clientSecret }
        : undefined,
    graph: file.graph,
    blob: file.blob ? { connectionString: file.blob } : undefined,
    owned: {},
    joined: true,
    startupMs: Object.create(null),
    stop: async () => {},
  };
}

/**
 * Joins the local parts a running Keepsafe serves from this data dir, or starts them here. A
 * part the configuration does not ask for (its Azure / Microsoft 365 settings are given) is left
 * out either way.
 */
export async function startOrJoinLocalParts(config: KeepsafeConfig): Promise<LocalParts> {
  const anyLocal = config.local.cosmos || config.local.identity || config.local.graph || config.local.blob;
  if (!anyLocal) return { owned: {}, joined: false, startupMs: Object.create(null), stop: async () => {} };
  const started = performance.now();
  const existing = config.local.cosmos ? joinableParts(config.dataDir) : undefined;
  const joined = existing && (await joinParts(config, existing));
  if (joined) {
    joined.startupMs.join = Math.round(performance.now() - started);
    return joined;
  }
  let parts: LocalParts;
  try {
    parts = await startParts(config);
  } catch (err) {
    if (err instanceof KeepsafeError && err.code === "conflict") {
      throw new KeepsafeError("conflict", `${err.message} Its local parts are not ready to join yet; try again in a moment.`);
    }
    throw err;
  }
  if (config.local.cosmos) {
    writePartsFile(config.dataDir, {
      pid: process.pid,
      cosmos: parts.cosmos!.endpoint,
      identity: parts.identity?.authority,
      graph: parts.graph,
      blob: parts.blob?.connectionString,
    });
    const stopParts = parts.stop;
    parts.stop = async () => {
      removePartsFile(config.dataDir);
      await stopParts();
    };
  }
  return parts;
}
