/**
 * Runs `src/main.ts` (what `npm start` runs) as a child process, so a test can kill it with
 * SIGKILL and start it again on the same data dir.
 */
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { projectRoot } from "./keepsafe-instance.js";

/** The node flags of package.json's `start` script, so the child runs exactly what `npm start` runs. */
export function startScriptArgs(): string[] {
  const pkg = JSON.parse(fs.readFileSync(path.join(projectRoot, "package.json"), "utf8")) as { scripts: { start: string } };
  const [command, ...args] = pkg.scripts.start.trim().split(/\s+/);
  if (command !== "node") throw new Error(`the start script should run node, not ${command}`);
  return args;
}

export interface KeepsafeProcess {
  url: string;
  child: ChildProcess;
  output(): string;
  kill9(): Promise<void>;
  stop(): Promise<void>;
}

export async function spawnKeepsafe(env: Record<string, string>, timeoutMs = 60_000): Promise<KeepsafeProcess> {
  const child = spawn(process.execPath, startScriptArgs(), {
    cwd: projectRoot,
    env: { ...process.env, LOG_LEVEL: "warn", KEEPSAFE_ENV: "test-none", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  child.stdout!.on("data", (d) => (out += d));
  child.stderr!.on("data", (d) => (out += d));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`Keepsafe did not start in time:\n${out}`)), timeoutMs);
    const check = () => {
      const m = /Open (http:\/\/[^\s/]+)\//.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    };
    child.stdout!.on("data", check);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`Keepsafe exited with ${code} before starting:\n${out}`));
    });
  });
  return {
    url,
    child,
    output: () => out,
    kill9: async () => {
      child.kill("SIGKILL");
      await exited;
    },
    stop: async () => {
      if (child.exitCode === null) child.kill("SIGTERM");
      await exited;
    },
  };
}
