/**
 * Runs Azurite's blob service as a child process for local mode and tests. It binds 127.0.0.1 on a
 * free port, keeps its data under <dataDir>/azurite, and never outlives the process that started it.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, realpathSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { createServer } from "node:net";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { childLogger } from "../logger.js";

/** The well-known development account: public, documented, valid only against the emulator. */
export const DEV_ACCOUNT_NAME = "devstoreaccount1";
export const DEV_ACCOUNT_KEY = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

export const devConnectionString = (blobEndpoint: string) =>
  `DefaultEndpointsProtocol=http;AccountName=${DEV_ACCOUNT_NAME};AccountKey=${DEV_ACCOUNT_KEY};BlobEndpoint=${blobEndpoint};`;

export interface LocalAzurite {
  connectionString: string;
  blobEndpoint: string;
  stop(): Promise<void>;
}

const log = childLogger("azurite");

async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r, j) => srv.once("error", j).listen(0, "127.0.0.1", () => r()));
  const { port } = srv.address() as { port: number };
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

function findAzuriteBin(): string {
  // Walk up from this file so the repo's own node_modules is used wherever the process was started.
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(dir, "node_modules", ".bin", "azurite-blob");
    if (existsSync(candidate)) return realpathSync(candidate);
    const parent = resolve(dir, "..");
    if (parent === dir) throw new Error("azurite-blob not found in node_modules/.bin");
    dir = parent;
  }
}

/** Any HTTP answer (even 400 for a bare GET) means the blob service is up. */
async function answers(endpoint: string): Promise<boolean> {
  try {
    await fetch(endpoint, { signal: AbortSignal.timeout(1000) });
    return true;
  } catch {
    return false;
  }
}

const running = new Set<ChildProcess>();
// A test run or a local server that dies must not leave Azurite holding its port and files.
process.once("exit", () => {
  for (const child of running) child.kill("SIGKILL");
});

export async function startAzurite(opts: { dataDir: string; port?: number }): Promise<LocalAzurite> {
  const location = join(opts.dataDir, "azurite");
  await mkdir(location, { recursive: true });
  const port = opts.port ?? (await freePort());
  const args = [
    "--location",
    location,
    "--blobHost",
    "127.0.0.1",
    "--blobPort",
    String(port),
    "--skipApiVersionCheck",
    "--disableTelemetry",
    "--silent",
  ];
  // Run Azurite's script in this Node, so the pid we hold (and kill) is Azurite itself, behind a
  // one-line prelude: when our IPC channel closes (we exited, were killed, or crashed) it shuts down.
  const main = findAzuriteBin();
  const prelude =
    `process.argv.splice(1, 0, ${JSON.stringify(main)});` +
    `process.on("disconnect", () => process.kill(process.pid, "SIGTERM"));` +
    `process.channel?.unref();` +
    `require(${JSON.stringify(main)});`;
  const child = spawn(process.execPath, ["-e", prelude, "--", ...args], { stdio: ["ignore", "ignore", "pipe", "ipc"] });
  // The channel exists only so the child notices our death; it must not keep this process alive.
  child.channel?.unref();
  let exited = false;
  running.add(child);
  let stderr = "";
  child.stderr?.on("data", (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-2000);
  });
  child.once("exit", () => {
    exited = true;
    running.delete(child);
  });

  const blobEndpoint = `http://127.0.0.1:${port}/${DEV_ACCOUNT_NAME}`;
  const deadline = Date.now() + 20_000;
  while (!(await answers(blobEndpoint))) {
    if (exited || Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`Azurite did not start on port ${port}: ${stderr.trim() || "no output"}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  log.info({ port, pid: child.pid }, "azurite blob service listening");

  return {
    connectionString: devConnectionString(blobEndpoint),
    blobEndpoint,
    stop: async () => {
      if (exited) return;
      const gone = new Promise<void>((r) => child.once("exit", () => r()));
      child.kill("SIGTERM");
      // Azurite writes its blob metadata (LokiJS) as it shuts down; killed early, a file stored a
      // moment ago is lost on the next start. On a loaded machine that shutdown has taken over 5 s.
      const timer = setTimeout(() => child.kill("SIGKILL"), 20_000);
      await gone;
      clearTimeout(timer);
      log.info({ port }, "azurite stopped");
    },
  };
}
