import { spawn } from "node:child_process";
import path from "node:path";
import { createInterface } from "node:readline";

const CHILD = path.resolve("test/support/cosmos-writer-child.ts");

/**
 * Starts cosmos-writer-child.ts on `dataDir` (modes: see there) and collects its stdout lines, so a
 * test can wait for a line (a condition) and then SIGKILL it.
 */
export function spawnWriterChild(dataDir: string, mode?: string) {
  const child = spawn(process.execPath, ["--import", "tsx", CHILD, dataDir, ...(mode ? [mode] : [])], {
    env: { ...process.env, LOG_LEVEL: "silent" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const lines: string[] = [];
  let stderr = "";
  child.stderr!.on("data", (d) => (stderr += d));
  const waiters: { test: (l: string) => boolean; resolve: (l: string) => void }[] = [];
  createInterface({ input: child.stdout! }).on("line", (line) => {
    lines.push(line);
    for (const w of [...waiters]) if (w.test(line)) waiters.splice(waiters.indexOf(w), 1) && w.resolve(line);
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const waitFor = (test: (l: string) => boolean, ms = 20_000) =>
    new Promise<string>((resolve, reject) => {
      const hit = lines.find(test);
      if (hit) return resolve(hit);
      const timer = setTimeout(() => reject(new Error(`child did not print the expected line; stderr: ${stderr}`)), ms);
      waiters.push({ test, resolve: (l) => (clearTimeout(timer), resolve(l)) });
    });
  return { child, lines, waitFor, exited };
}
