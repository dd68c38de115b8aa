import fs from "node:fs";
import path from "node:path";
import type { Effect, Snapshot } from "./account-state.js";
import { fdatasyncFile, GroupCommit, type SyncFile } from "./group-commit.js";

/**
 * Write-ahead journal of effects, one JSON line each, synced before the client hears "done"
 * (group commit: concurrent writes share one fdatasync, see group-commit.ts). A crash can tear
 * only the last lines, which were never acknowledged, so reading stops at the first torn line and
 * the file is cut back to it before anything new is appended.
 */
export interface JournalEntry {
  seq: number;
  effects: Effect[];
}

const fsyncDir = (dir: string) => {
  const fd = fs.openSync(dir, "r");
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
};

export function readJournal(file: string): { entries: JournalEntry[]; validBytes: number } {
  if (!fs.existsSync(file)) return { entries: [], validBytes: 0 };
  const buf = fs.readFileSync(file);
  const entries: JournalEntry[] = [];
  let offset = 0;
  while (offset < buf.length) {
    const nl = buf.indexOf(0x0a, offset);
    if (nl < 0) break; // torn tail: never acknowledged
    try {
      entries.push(JSON.parse(buf.subarray(offset, nl).toString("utf8")) as JournalEntry);
    } catch {
      break;
    }
    offset = nl + 1;
  }
  return { entries, validBytes: offset };
}

export class Journal {
  private fd: number;
  private seq: number;
  /** Next write position; explicit because an "r+" descriptor starts at 0, not at the end. */
  private offset: number;
  private readonly commit: GroupCommit;

  /** Opens for appending after cutting off any torn tail at `validBytes`. */
  constructor(
    private readonly file: string,
    validBytes: number,
    lastSeq: number,
    sync: SyncFile = fdatasyncFile,
  ) {
    const existed = fs.existsSync(file);
    this.fd = fs.openSync(file, existed ? "r+" : "w+");
    fs.ftruncateSync(this.fd, validBytes);
    fs.fsyncSync(this.fd);
    if (!existed) fsyncDir(path.dirname(file));
    this.seq = lastSeq;
    this.offset = validBytes;
    this.commit = new GroupCommit(this.fd, sync, lastSeq);
  }

  get lastSeq() {
    return this.seq;
  }

  /** The last sequence number known to be on disk. */
  get durableSeq() {
    return this.commit.durableSeq;
  }

  /**
   * Writes the entry (synchronously, so journal order is the order of the calls) and returns its
   * sequence number; it is durable once `whenDurable(seq)` resolves, not before. Throws once a sync
   * has failed.
   */
  append(effects: Effect[]): number {
    this.commit.assertHealthy();
    const entry: JournalEntry = { seq: this.seq + 1, effects };
    const line = Buffer.from(`${JSON.stringify(entry)}\n`, "utf8");
    let written = 0;
    while (written < line.length) {
      written += fs.writeSync(this.fd, line, written, line.length - written, this.offset + written);
    }
    this.offset += line.length;
    this.seq = entry.seq;
    this.commit.wrote(entry.seq);
    return entry.seq;
  }

  /** Resolves once every entry up to `seq` survives a SIGKILL or power cut; rejects if a sync failed. */
  whenDurable(seq = this.seq) {
    return this.commit.whenDurable(seq);
  }

  /** Empties the journal after its effects were folded into a durable snapshot, which covers them all. */
  truncate() {
    fs.ftruncateSync(this.fd, 0);
    fs.fsyncSync(this.fd);
    this.offset = 0;
    this.commit.coveredUpTo(this.seq);
  }

  size() {
    return fs.fstatSync(this.fd).size;
  }

  /** Closes after the sync in flight, so it never runs on a closed (or reused) descriptor. */
  async close() {
    await this.commit.idle();
    fs.closeSync(this.fd);
  }
}

export function readSnapshot(file: string): Snapshot | undefined {
  if (!fs.existsSync(file)) return undefined;
  return JSON.parse(fs.readFileSync(file, "utf8")) as Snapshot;
}

/** Writes the snapshot atomically: temp file, fsync, rename, fsync the directory. Returns its size. */
export function writeSnapshot(file: string, snap: Snapshot): number {
  const tmp = `${file}.tmp`;
  const fd = fs.openSync(tmp, "w");
  let bytes: number;
  try {
    fs.writeSync(fd, JSON.stringify(snap));
    fs.fsyncSync(fd);
    bytes = fs.fstatSync(fd).size;
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(tmp, file);
  fsyncDir(path.dirname(file));
  return bytes;
}
