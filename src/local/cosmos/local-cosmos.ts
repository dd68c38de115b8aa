import fs from "node:fs";
import https from "node:https";
import path from "node:path";
import type { AddressInfo } from "node:net";
import { childLogger } from "../../logger.js";
import { applyEffect, restoreSnapshot } from "./account-state.js";
import { createCompactor } from "./compaction.js";
import { lockDataDir, pidAlive } from "./data-dir-lock.js";
import { createDurableHandler } from "./durable-handler.js";
import type { SyncFile } from "./group-commit.js";
import { Journal, readJournal, readSnapshot } from "./journal.js";
import { newAccount, type AccountInternals } from "./server-internals.js";
import { loadOrCreateTls, readCaPem } from "./tls-material.js";

const log = childLogger("local-cosmos");

/** The Cosmos DB emulator's published, well-known key; the local server does not check it. */
export const LOCAL_COSMOS_KEY = "C2y6yDjf5/R+ob0N8A7Cgv30VRDJIWEHLM+4QDU9DAVb3u+N9V1Z9f4XKyyfzV5u4u2YkKDf0JNwXRiY1Y5h4A==";

export interface LocalCosmos {
  endpoint: string;
  key: string;
  /** The certificate to trust for this endpoint only (give it to an https.Agent as `ca`). */
  caPem: string;
  stop(): Promise<void>;
}

export interface StartLocalCosmosOptions {
  dataDir: string;
  port?: number;
  /**
   * Fold the journal into the snapshot, at start and while running, once it is larger than this
   * and than the snapshot (default 16 MiB).
   */
  compactAboveBytes?: number;
  /** How the journal is made durable (fdatasync); tests pass a counting wrapper. */
  syncJournal?: SyncFile;
}

const ENDPOINT_FILE = "cosmos-endpoint.json";
const SNAPSHOT_FILE = "snapshot.json";

/** Rebuilds the in-memory account from the snapshot and journal; returns what the journal held. */
function recover(account: AccountInternals, storeDir: string, syncJournal?: SyncFile) {
  const snap = readSnapshot(path.join(storeDir, SNAPSHOT_FILE));
  if (snap) restoreSnapshot(account, snap);
  const journalFile = path.join(storeDir, "journal.ndjson");
  const { entries, validBytes } = readJournal(journalFile);
  let lastSeq = snap?.lastSeq ?? 0;
  for (const entry of entries) {
    if (entry.seq <= (snap?.lastSeq ?? 0)) continue; // already in the snapshot
    for (const effect of entry.effects) applyEffect(account, effect);
    lastSeq = entry.seq;
  }
  return { journal: new Journal(journalFile, validBytes, lastSeq, syncJournal), replayed: entries.length };
}

/**
 * Starts the embedded Cosmos DB server for local mode, durable in `dataDir`: every acknowledged
 * write is in the synced journal before its response leaves, and is replayed on the next start.
 * Holds an exclusive lock on the data dir while running.
 */
export async function startLocalCosmos(opts: StartLocalCosmosOptions): Promise<LocalCosmos> {
  const storeDir = path.join(opts.dataDir, "cosmos");
  fs.mkdirSync(storeDir, { recursive: true, mode: 0o700 });
  const lock = lockDataDir(opts.dataDir);
  try {
    const tls = await loadOrCreateTls(opts.dataDir);
    // Requests that arrive while the journal is still being replayed wait for it.
    let release!: (h: ReturnType<typeof createDurableHandler>) => void;
    const ready = new Promise<ReturnType<typeof createDurableHandler>>((r) => (release = r));
    const server = https.createServer({ cert: tls.certPem, key: tls.keyPem }, (req, res) => {
      void ready.then((handle) => handle(req, res));
    });
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(opts.port ?? 0, "127.0.0.1", () => resolve());
    });
    const { port } = server.address() as AddressInfo;
    const account = newAccount("127.0.0.1", port);
    const { journal, replayed } = recover(account, storeDir, opts.syncJournal);
    const compactor = createCompactor(account, journal, path.join(storeDir, SNAPSHOT_FILE), opts.compactAboveBytes);
    compactor.maybeCompact();
    release(createDurableHandler(account, journal, compactor));
    const endpoint = `https://127.0.0.1:${port}/`;
    const endpointFile = path.join(opts.dataDir, ENDPOINT_FILE);
    fs.writeFileSync(endpointFile, JSON.stringify({ endpoint, pid: process.pid }));
    log.info({ port, replayed }, "local cosmos started");

    let stopped: Promise<void> | undefined;
    const stop = () =>
      (stopped ??= (async () => {
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        });
        await journal.close();
        try {
          const current = JSON.parse(fs.readFileSync(endpointFile, "utf8")) as { pid?: number; endpoint?: string };
          if (current.pid === process.pid && current.endpoint === endpoint) fs.rmSync(endpointFile, { force: true });
        } catch {
          /* already gone */
        }
        lock.release();
        log.info({ port }, "local cosmos stopped");
      })());
    return { endpoint, key: LOCAL_COSMOS_KEY, caPem: tls.certPem, stop };
  } catch (e) {
    lock.release();
    throw e;
  }
}

export interface LocalCosmosConnection extends LocalCosmos {
  /** True when this process started the server (and `stop()` stops it); false when it joined another's. */
  owned: boolean;
}

/** Asks the endpoint for its account document, trusting only the data dir's certificate. */
function answers(endpoint: string, caPem: string): Promise<boolean> {
  return new Promise((resolve) => {
    const req = https.get(endpoint, { ca: caPem, timeout: 2000, agent: false }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on("timeout", () => req.destroy());
    req.on("error", () => resolve(false));
  });
}

/**
 * Joins the local server another process (a running Keepsafe) already serves from `dataDir`, or
 * starts one here. The import CLI uses this so it works whether or not Keepsafe is running.
 */
export async function connectOrStartLocalCosmos(dataDir: string): Promise<LocalCosmosConnection> {
  try {
    const info = JSON.parse(fs.readFileSync(path.join(dataDir, ENDPOINT_FILE), "utf8")) as { endpoint: string; pid: number };
    const joined = pidAlive(info.pid) ? await joinLocalCosmos(dataDir, info.endpoint) : undefined;
    if (joined) return { ...joined, owned: false, stop: async () => {} };
  } catch {
    /* no running server recorded */
  }
  const started = await startLocalCosmos({ dataDir });
  return { ...started, owned: true };
}

/** The connection to the server at `endpoint` when it answers with the data dir's certificate. */
export async function joinLocalCosmos(dataDir: string, endpoint: string): Promise<Omit<LocalCosmos, "stop"> | undefined> {
  const caPem = readCaPem(dataDir);
  return caPem && (await answers(endpoint, caPem)) ? { endpoint, key: LOCAL_COSMOS_KEY, caPem } : undefined;
}
