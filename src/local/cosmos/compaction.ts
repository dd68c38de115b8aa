import fs from "node:fs";
import { childLogger } from "../../logger.js";
import { takeSnapshot } from "./account-state.js";
import { writeSnapshot, type Journal } from "./journal.js";
import type { AccountInternals } from "./server-internals.js";

const log = childLogger("local-cosmos");

export const DEFAULT_COMPACT_ABOVE_BYTES = 16 * 1024 * 1024;

const sizeOf = (file: string) => {
  try {
    return fs.statSync(file).size;
  } catch {
    return 0;
  }
};

/**
 * Folds the journal into the snapshot while the server runs, so a restart replays at most a tail
 * about the snapshot's size rather than everything written since the last start. The journal is
 * compacted once it outgrows both `minBytes` and the snapshot itself: writing the snapshot then
 * costs no more than the journal bytes that led to it, however large the store grows.
 *
 * Callers run `compact`/`maybeCompact` with no write in progress (under the write mutex): a write
 * between taking the snapshot and emptying the journal would otherwise be lost.
 */
export function createCompactor(account: AccountInternals, journal: Journal, snapshotFile: string, minBytes = DEFAULT_COMPACT_ABOVE_BYTES) {
  let snapshotBytes = sizeOf(snapshotFile);
  /** After a failed attempt (e.g. a full disk), wait for the journal to double before trying again. */
  let retryAbove = 0;

  const compact = () => {
    const started = Date.now();
    // Snapshot first, then empty the journal: a crash in between replays entries the snapshot
    // already holds, which the sequence numbers make a no-op.
    snapshotBytes = writeSnapshot(snapshotFile, takeSnapshot(account, journal.lastSeq));
    journal.truncate();
    log.info({ lastSeq: journal.lastSeq, snapshotBytes, ms: Date.now() - started }, "local cosmos journal compacted");
  };

  return {
    compact,
    /** Compacts when the journal has outgrown its threshold; a failure leaves the journal whole. */
    maybeCompact() {
      const size = journal.size();
      if (size <= Math.max(minBytes, snapshotBytes, retryAbove)) return;
      try {
        compact();
        retryAbove = 0;
      } catch (err) {
        retryAbove = size * 2;
        log.error({ err, journalBytes: size }, "local cosmos journal compaction failed; the journal still holds every write");
      }
    },
  };
}

export type Compactor = ReturnType<typeof createCompactor>;
