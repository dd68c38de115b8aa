import fs from "node:fs";
import path from "node:path";
import type { Effect, Snapshot } from "./account-state.js";

/**
 * Write-ahead journal of effects, one JSON line each, fsync'ed before the client hears "done".
 * A crash can tear only the last line, which was never acknowledged, so reading stops there and
 * the file is cut back to the last whole line before anything new is appended.
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

  /** Opens for appending after cutting off any torn tail at `validBytes`. */
  constructor(
    private readonly file: string,
    validBytes: number,
    lastSeq: number,
  ) {
    const existed = fs.existsSync(file);
    this.fd = fs.openSync(file, existed ? "r+" : "w+");
    fs.ftruncateSync(this.fd, validBytes);
    fs.fsyncSync(this.fd);
    if (!existed) fsyncDir(path.dirname(file));
    this.seq = lastSeq;
    this.offset = validBytes;
  }

  get lastSeq() {
    return this.seq;
  }

  /** Appends and fsyncs synchronously: once this returns, the effects survive a SIGKILL or power cut. */
  append(effects: Effect[]) {
    const entry: JournalEntry = { seq: this.seq + 1, effects };
    const line = Buffer.from(`${JSON.stringify(entry)}\n`, "utf8");
    let written = 0;
    while (written < line.length) {
      written += fs.writeSync(this.fd, line, written, line.length - written, this.offset + written);
    }
    fs.fdatasyncSync(this.fd);
    this.offset += line.length;
    this.seq = entry.seq;
  }

  /** Empties the journal after its effects were folded into a durable snapshot. */
  truncate() {
    fs.ftruncateSync(this.fd, 0);
    fs.fsyncSync(this.fd);
    this.offset = 0;
  }

  size() {
    return fs.fstatSync(this.fd).size;
  }

  close() {
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
