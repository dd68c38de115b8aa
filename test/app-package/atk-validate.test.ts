/**
 * Microsoft's own validator passes the built manifest: `atk validate --manifest-file ... --telemetry
 * false -i false`, the Agents Toolkit CLI's schema and validation-rule check. It needs no account;
 * HOME is a temporary folder so it reads and writes no one's toolkit settings, and where the
 * kernel allows (unshare) it runs with no network at all, proving it needs none.
 */
import assert from "node:assert/strict";
import { execFile, execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { buildPackage } from "../../appPackage/build-package.js";
import { projectRoot } from "../support/keepsafe-instance.js";

const ATK = path.join(projectRoot, "node_modules", ".bin", "atk");

function canRunWithoutNetwork(): boolean {
  try {
    execFileSync("unshare", ["-rn", "true"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

/** Runs atk validate on one manifest file; resolves with its exit code and everything it printed. */
async function atkValidate(manifestFile: string, home: string): Promise<{ code: number; output: string }> {
  const args = ["validate", "--manifest-file", manifestFile, "--telemetry", "false", "-i", "false"];
  const [command, commandArgs] = canRunWithoutNetwork() ? ["unshare", ["-rn", ATK, ...args]] : [ATK, args];
  // No proxy or account settings of the developer's reach it.
  const env = { PATH: process.env.PATH ?? "", HOME: home, NO_COLOR: "1" };
  try {
    const { stdout, stderr } = await promisify(execFile)(command, commandArgs, { env, cwd: home, timeout: 120_000 });
    return { code: 0, output: stdout + stderr };
  } catch (e) {
    const err = e as { code?: number; stdout?: string; stderr?: string; message: string };
    return { code: typeof err.code === "number" ? err.code : -1, output: `${err.stdout ?? ""}${err.stderr ?? ""}${err.message}` };
  }
}

describe("Teams app package: Microsoft's validator (atk validate)", function () {
  this.timeout(180_000);
  let dir: string;
  let manifestPath: string;
  before(async () => {
    dir = mkdtempSync(path.join(tmpdir(), "keepsafe-atk-"));
    mkdirSync(path.join(dir, "home"));
    // What `npm run package` builds, with the local environment's values.
    ({ manifestPath } = await buildPackage({ env: { KEEPSAFE_ENV: "local" }, outDir: path.join(dir, "build") }));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("reports all passed for the built manifest, with no account and no network", async () => {
    const { code, output } = await atkValidate(manifestPath, path.join(dir, "home"));
    assert.equal(code, 0, output);
    assert.match(output, /checked manifest\(s\) with (the )?corresponding schema[\s\S]*All passed/, output);
    assert.match(output, /against validation rules\. All passed/, output);
    assert.doesNotMatch(output, /failed|sign in|login/i, output);
  });

  it("reports a manifest that breaks a rule as failed, naming the field", async () => {
    const manifest = JSON.parse(readFileSync(manifestPath, "utf8"));
    manifest.name.short = "K".repeat(31); // Teams allows 30 characters
    const bad = path.join(dir, "build", "too-long-name.json");
    writeFileSync(bad, JSON.stringify(manifest, null, 2));
    const { code, output } = await atkValidate(bad, path.join(dir, "home"));
    assert.notEqual(code, 0, output);
    assert.match(output, /\/name\/short must NOT have more than 30 characters/, output);
  });
});
