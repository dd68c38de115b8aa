/**
 * Starts the whole of Keepsafe in this process, in local mode, on a temporary data dir and a
 * free port: the same composition `npm start` uses, with every local part real.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { loadConfig } from "../../src/config.js";
import { startKeepsafe, type ComposeOptions, type KeepsafeHandle } from "../../src/compose.js";
import { messagesEndpointFor } from "../../bot/messages-endpoint.js";
import { DEMO_STAFF, type DemoStaffMember } from "../../src/local/demo-school.js";

export const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
export const tabDistDir = path.join(projectRoot, "tab", "dist");

export interface TestKeepsafe extends KeepsafeHandle {
  dataDir: string;
  tokenFor(staff: DemoStaffMember, opts?: { mfa?: boolean }): Promise<string>;
  api(pathname: string, token: string, init?: RequestInit): Promise<Response>;
  cleanup(): Promise<void>;
}

export const staffByRole = (label: RegExp) => {
  const s = DEMO_STAFF.find((m) => label.test(m.label));
  if (!s) throw new Error(`no demo staff member matches ${label}`);
  return s;
};

/** Polls `probe` every 50 ms until it gives a value; fails naming `what` after `timeoutMs`. */
export async function waitFor<T>(probe: () => T | undefined | Promise<T | undefined>, what: string, timeoutMs = 10_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const found = await probe();
    if (found !== undefined) return found;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export async function startTestKeepsafe(
  env: Record<string, string> = {},
  dataDir?: string,
  opts: Pick<ComposeOptions, "clock" | "interposeCosmos" | "inProcessEarlyWarning"> & { tabDistDir?: string } = {},
): Promise<TestKeepsafe> {
  const dir = dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), "keepsafe-test-"));
  const config = loadConfig({ PORT: "0", KEEPSAFE_DATA_DIR: dir, OUTBOX_INTERVAL_MS: "200", ...env }, projectRoot);
  const handle = await startKeepsafe(config, {
    tabDistDir: opts.tabDistDir ?? tabDistDir,
    messagesEndpoint: messagesEndpointFor(config),
    ...(opts.clock ? { clock: opts.clock } : {}),
    ...(opts.interposeCosmos ? { interposeCosmos: opts.interposeCosmos } : {}),
    ...(opts.inProcessEarlyWarning === false ? { inProcessEarlyWarning: false } : {}),
  });
  return {
    ...handle,
    dataDir: dir,
    tokenFor: (staff, opts = {}) =>
      handle.local.identity!.issueAccessToken({
        oid: staff.oid,
        name: staff.displayName,
        preferredUsername: staff.email,
        mfa: opts.mfa ?? staff.role !== "STAFF",
      }),
    api: (pathname, token, init = {}) =>
      fetch(`${handle.url}${pathname}`, { ...init, headers: { authorization: `Bearer ${token}`, ...(init.headers ?? {}) } }),
    cleanup: async () => {
      await handle.stop();
      if (!dataDir) fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
