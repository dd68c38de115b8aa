/**
 * Finding 9, dependencies: `npm run audit:deps` says plainly when npm audit could not check
 * anything, passes then only outside CI, and fails on high or critical advisories.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { auditOutcome } from "../../scripts/audit-deps.js";
import { projectRoot } from "../support/keepsafe-instance.js";

const runScript = (env: Record<string, string | undefined>) => {
  const run = spawnSync(process.execPath, ["--import", "tsx", "scripts/audit-deps.ts"], {
    cwd: projectRoot,
    encoding: "utf8",
    env: { ...process.env, ...env },
    timeout: 120_000,
  });
  return { status: run.status, lines: run.stdout.trim().split("\n") };
};

describe("security: finding 9 — dependency audit", function () {
  this.timeout(120_000);

  it("reads npm audit's report and counts high and critical advisories", () => {
    const report = JSON.stringify({
      auditReportVersion: 2,
      vulnerabilities: {},
      metadata: { vulnerabilities: { info: 0, low: 2, moderate: 1, high: 1, critical: 0, total: 4 } },
    });
    assert.deepEqual(auditOutcome(report, ""), { kind: "checked", high: 1, critical: 0, total: 4 });
  });

  it("tells a refusing or unreachable advisory endpoint from an audit that ran", () => {
    // npm's own answers, as captured on this machine.
    const refused = JSON.stringify({
      message: "405 Method Not Allowed - POST https://registry.npmjs.org/-/npm/v1/security/advisories/bulk",
      statusCode: 405,
      body: "",
    });
    assert.deepEqual(auditOutcome(refused, ""), { kind: "not-checked", reason: "the registry's advisory endpoint answered 405" });
    const offline = JSON.stringify({
      message: "request to https://registry.invalid/-/npm/v1/security/advisories/bulk failed, reason: getaddrinfo ENOTFOUND registry.invalid",
    });
    assert.equal(auditOutcome(offline, "").kind, "not-checked");
    assert.deepEqual(auditOutcome("", "npm error something else entirely"), { kind: "failed", reason: "npm error something else entirely" });
  });

  it("says NOT CHECKED in one line and exits 0 outside CI, 1 in CI, when the registry cannot be reached", () => {
    const unreachable = { npm_config_registry: "https://registry.invalid/" };
    const local = runScript({ ...unreachable, CI: "" });
    assert.equal(local.status, 0);
    assert.equal(local.lines.length, 1);
    assert.match(local.lines[0], /^npm audit: NOT CHECKED - the registry could not be reached \(ENOTFOUND\); no dependency was audited\./);
    const ci = runScript({ ...unreachable, CI: "true" });
    assert.equal(ci.status, 1);
    assert.match(ci.lines[0], /NOT CHECKED.*CI is set, so this fails/);
  });
});
