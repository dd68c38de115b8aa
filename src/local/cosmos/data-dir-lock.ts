import fs from "node:fs";
import path from "node:path";
import { KeepsafeError } from "../../domain/errors.js";

/** True when a process with this pid exists (EPERM means it exists but belongs to someone else). */
export function pidAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

const readPid = (file: string): number | undefined => {
  try {
    return Number.parseInt(fs.readFileSync(file, "utf8").trim(), 10);
  } catch {
    return undefined;
  }
};

export interface DataDirLock {
  release(): void;
}

/**
 * An exclusive lock on the data directory so two processes never append to the same journal.
 * The lock file holds the owner's pid; a lock left by a process that has died (SIGKILL, power
 * cut) is taken over. Takeover renames the stale file away first, so of two processes racing for
 * the same stale lock only one wins the rename.
 */
export function lockDataDir(dataDir: string, name = "cosmos.lock"): DataDirLock {
  const file = path.join(dataDir, name);
  for (let attempt = 0; attempt < 5; attempt++) {
    try {
      const fd = fs.openSync(file, "wx");
      fs.writeSync(fd, String(process.pid));
      fs.fsyncSync(fd);
      fs.closeSync(fd);
      return {
        release: () => {
          if (readPid(file) === process.pid) fs.rmSync(file, { force: true });
        },
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
    }
    const owner = readPid(file);
    if (owner !== undefined && !Number.isNaN(owner) && pidAlive(owner)) {
      throw new KeepsafeError("conflict", `The data directory is in use by process ${owner}.`);
    }
    const aside = `${file}.stale-${process.pid}-${attempt}`;
    try {
      fs.renameSync(file, aside);
    } catch {
      continue; // someone else moved it first; look again
    }
    const movedPid = readPid(aside);
    if (movedPid !== undefined && movedPid !== owner && pidAlive(movedPid)) {
      // We moved a lock another process had just taken: give it back and stop.
      fs.renameSync(aside, file);
      throw new KeepsafeError("conflict", `The data directory is in use by process ${movedPid}.`);
    }
    fs.rmSync(aside, { force: true });
  }
  throw new KeepsafeError("conflict", "Could not lock the data directory.");
}
