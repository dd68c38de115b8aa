import https from "node:https";
import { fdatasyncFile, type SyncFile } from "../../../src/local/cosmos/group-commit.js";
import type { LocalCosmos } from "../../../src/local/cosmos/local-cosmos.js";

/**
 * Helpers for tests that hold the local Cosmos DB server's journal sync open: a sync the test can
 * hold, raw REST requests that say when they were sent, and a wait for a condition.
 */

/**
 * A raw Cosmos DB REST request (the server does not check the key), answered with its status and
 * body. `sent` resolves once the whole request is on the wire.
 */
export function rawRequest(local: LocalCosmos, urlPath: string, headers: Record<string, string> = {}, opts: { method?: string; body?: string } = {}) {
  let flushed!: () => void;
  const sent = new Promise<void>((r) => (flushed = r));
  const answered = new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = https.request(new URL(urlPath, local.endpoint), { ca: local.caPem, agent: false, headers, method: opts.method ?? "GET" }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (d: string) => (body += d));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on("error", reject);
    req.on("finish", () => flushed());
    req.end(opts.body);
  });
  return { sent, answered };
}

/** A sync the test can hold: while `hold` is set, calls wait for it (and fail if it rejects). */
export function gatedSync() {
  const state = { calls: 0, hold: undefined as Promise<void> | undefined, entered: 0 };
  const sync: SyncFile = async (fd) => {
    state.calls++;
    const hold = state.hold;
    if (hold) {
      state.entered++;
      await hold;
    }
    await fdatasyncFile(fd);
  };
  return { state, sync };
}

export async function until(test: () => boolean, what: string, ms = 20_000, pollMs = 0) {
  const deadline = Date.now() + ms;
  while (!test()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => (pollMs ? setTimeout(r, pollMs) : setImmediate(r)));
  }
}
