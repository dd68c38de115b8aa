/**
 * `npm run playground`: Microsoft's own Teams emulator, the Microsoft 365 Agents Playground, talking
 * to the Keepsafe that `npm start` runs (PORT, default 3978). Its users are the demo school's staff
 * with their real Entra object ids, and its tenant is the local school's, because Keepsafe's local
 * /api/messages refuses an activity from any other tenant or from a non-GUID user.
 *   npm start                 # in one terminal
 *   npm run playground        # in another; opens on PLAYGROUND_PORT (default 56150)
 * The Playground sends no Bot Framework token and gives its own loopback connector as serviceUrl,
 * which is what local mode accepts. It listens on all interfaces (it has no option to bind one).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { LOCAL_TENANT_ID } from "../src/config.js";
import { DEMO_STAFF, type DemoStaffMember } from "../src/local/demo-school.js";

const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
/** The file the Playground reads from its working folder. */
export const PLAYGROUND_CONFIG_FILE = ".m365agentsplayground.yml";
/** Who the Playground signs in as: a teacher, the usual person to record a concern. */
export const PLAYGROUND_USER = DEMO_STAFF.find((s) => s.role === "STAFF")!;

// JSON strings are valid YAML double-quoted scalars, so no YAML library is needed to write one safely.
const q = (s: string) => JSON.stringify(s);

function userYaml(s: DemoStaffMember, indent: string): string {
  const [givenName, ...rest] = s.displayName.split(" ");
  return [
    `id: ${q(`29:${s.oid}`)}`,
    `name: ${q(s.displayName)}`,
    `userPrincipleName: ${q(s.email)}`, // sic: the Playground's own spelling
    `aadObjectId: ${q(s.oid)}`,
    `givenName: ${q(givenName)}`,
    `surname: ${q(rest.join(" "))}`,
    `email: ${q(s.email)}`,
  ].join(`\n${indent}`);
}

/** The Playground's config (schema version 0.1.1): the school's tenant, the teacher, and the rest of the staff. */
export function playgroundConfigYaml(tenantId = LOCAL_TENANT_ID, current: DemoStaffMember = PLAYGROUND_USER): string {
  // The Playground's schema allows at most 5 other users; the demo's head of year (last) is left out.
  const others = DEMO_STAFF.filter((s) => s.oid !== current.oid).slice(0, 5);
  return `# Written by scripts/playground.ts from src/local/demo-school.ts; do not edit.
version: "0.1.1"
tenantId: ${q(tenantId)}
bot:
  id: "28:keepsafe-bot"
  name: "Keepsafe"
currentUser:
  ${userYaml(current, "  ")}
users:
${others.map((s) => `  - ${userYaml(s, "    ")}`).join("\n")}
personalChat:
  id: ${q(`local-${current.oid}`)}
groupChat:
  id: "keepsafe-group-chat"
  name: "Staff room"
team:
  id: "keepsafe-team"
  name: "Staff"
  aadGroupId: "00000000-0000-4000-8000-000000000031"
  channels:
    - id: "keepsafe-general"
      name: "General"
`;
}

export interface RunningPlayground {
  url: string;
  child: ChildProcess;
  output(): string;
  stop(): Promise<void>;
}

/** Writes the config into `workDir` and starts the Playground there against `appEndpoint`; resolves once it listens. */
export async function startPlayground(opts: { appEndpoint: string; port: number; workDir: string; timeoutMs?: number }): Promise<RunningPlayground> {
  mkdirSync(opts.workDir, { recursive: true });
  writeFileSync(path.join(opts.workDir, PLAYGROUND_CONFIG_FILE), playgroundConfigYaml());
  const cli = createRequire(import.meta.url).resolve("@microsoft/m365agentsplayground/cli.js");
  const args = [cli, "start", "-e", opts.appEndpoint, "-c", "msteams", "--disable-telemetry", "-p", String(opts.port)];
  const child = spawn(process.execPath, args, { cwd: opts.workDir, stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, BROWSER: "none" } });
  let out = "";
  child.stdout!.on("data", (d) => (out += d));
  child.stderr!.on("data", (d) => (out += d));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`The Agents Playground did not start in time:\n${out}`)), opts.timeoutMs ?? 60_000);
    const check = () => {
      const m = /Listening on (\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    };
    child.stdout!.on("data", check);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`The Agents Playground exited with ${code} before listening:\n${out}`));
    });
  });
  // It says "Listening" before reading its config; a bad config is only in its log file, and then the page never serves.
  const logFile = path.join(opts.workDir, "devTools", "m365agentsplayground.log");
  const url = `http://127.0.0.1:${port}`;
  for (const until = Date.now() + (opts.timeoutMs ?? 60_000); ;) {
    const log = existsSync(logFile) ? readFileSync(logFile, "utf8") : "";
    if (/Failed to start/.test(log)) {
      child.kill("SIGTERM");
      throw new Error(
        `The Agents Playground could not start:\n${log
          .split("\n")
          .filter((l) => l.startsWith("error"))
          .join("\n")}`,
      );
    }
    if (
      await fetch(`${url}/`).then(
        (r) => r.ok,
        () => false,
      )
    )
      break;
    if (Date.now() > until) throw new Error(`The Agents Playground did not serve its page in time:\n${out}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    url,
    child,
    output: () => out,
    stop: async () => {
      if (child.exitCode === null) child.kill("SIGTERM");
      await exited;
    },
  };
}

async function main() {
  const keepsafe = `http://127.0.0.1:${process.env.PORT ?? "3978"}`;
  const healthy = await fetch(`${keepsafe}/healthz`).then(
    (r) => r.ok,
    () => false,
  );
  if (!healthy) {
    process.stderr.write(`No Keepsafe answers at ${keepsafe}. Run \`npm start\` first (same PORT), then \`npm run playground\`.\n`);
    process.exit(1);
  }
  const playground = await startPlayground({
    appEndpoint: `${keepsafe}/api/messages`,
    port: Number(process.env.PLAYGROUND_PORT ?? 56150),
    workDir: path.join(PROJECT_ROOT, ".keepsafe", "playground"),
  });
  playground.child.stdout!.pipe(process.stdout);
  playground.child.stderr!.pipe(process.stderr);
  process.stdout.write(`\nAgents Playground for Keepsafe: open ${playground.url}/ (signed in as ${PLAYGROUND_USER.label})\n\n`);
  const stop = () => void playground.stop().then(() => process.exit(0));
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await main();
