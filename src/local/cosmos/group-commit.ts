import fs from "node:fs";

/** Makes what was written to `fd` durable (fdatasync by default); injectable so tests can count calls. */
export type SyncFile = (fd: number) => Promise<void>;

export const fdatasyncFile: SyncFile = (fd) => new Promise((resolve, reject) => fs.fdatasync(fd, (err) => (err ? reject(err) : resolve())));

interface Waiter {
  seq: number;
  resolve: () => void;
  reject: (err: unknown) => void;
}

/**
 * Group commit for the journal: entries are written (to the page cache) as they come and one
 * fdatasync at a time runs in the thread pool, covering every entry written before it started.
 * Entries written while it runs wait for the next one, so N concurrent writes cost about one sync
 * instead of N, and the event loop is never blocked on the disk.
 *
 * Durability is tracked by journal sequence number, not byte offset, so that emptying the journal
 * after a snapshot (which makes everything up to its sequence durable at once) cannot confuse it.
 * After a failed sync nothing is durable any more: every waiter, present and future, is refused.
 */
export class GroupCommit {
  private durable: number;
  private written: number;
  private waiters: Waiter[] = [];
  private inFlight: Promise<void> | undefined;
  private failure: unknown;
  private failed = false;

  constructor(
    private readonly fd: number,
    private readonly sync: SyncFile,
    lastSeq: number,
  ) {
    this.durable = lastSeq;
    this.written = lastSeq;
  }

  /** The last sequence number known to be on disk. */
  get durableSeq() {
    return this.durable;
  }

  /** Refuses further writes once a sync failed: memory may be ahead of disk. */
  assertHealthy() {
    if (this.failed) throw this.failure;
  }

  /** Records that entries up to `seq` are in the file (not yet synced) and starts a sync if none runs. */
  wrote(seq: number) {
    this.written = seq;
    this.startSync();
  }

  /** Everything up to `seq` is durable by other means (a synced snapshot): release its waiters. */
  coveredUpTo(seq: number) {
    this.advance(seq);
  }

  /** Resolves once every entry up to `seq` is durable; rejects if a sync failed first. */
  whenDurable(seq: number): Promise<void> {
    if (this.failed) return Promise.reject(this.failure);
    if (seq <= this.durable) return Promise.resolve();
    return new Promise((resolve, reject) => {
      this.waiters.push({ seq, resolve, reject });
      this.startSync();
    });
  }

  /** Waits for the sync in flight, if any (before closing the file descriptor). */
  async idle() {
    while (this.inFlight) await this.inFlight.catch(() => undefined);
  }

  private startSync() {
    if (this.inFlight || this.failed || this.written <= this.durable) return;
    let target = this.written;
    // Start after the current event-loop turn, so writes whose requests arrived together are
    // appended first and share this sync instead of each waiting for the next.
    this.inFlight = new Promise<void>((resolve) => setImmediate(resolve))
      .then(() => {
        target = this.written;
        return this.sync(this.fd);
      })
      .then(
        () => {
          this.inFlight = undefined;
          this.advance(target);
          this.startSync(); // entries written while this sync ran: one sync for all of them
        },
        (err: unknown) => {
          this.inFlight = undefined;
          this.failed = true;
          this.failure = err;
          for (const w of this.waiters.splice(0)) w.reject(err);
        },
      );
  }

  private advance(seq: number) {
    if (seq <= this.durable) return;
    this.durable = seq;
    const ready = this.waiters.filter((w) => w.seq <= seq);
    this.waiters = this.waiters.filter((w) => w.seq > seq);
    for (const w of ready) w.resolve();
  }
}
