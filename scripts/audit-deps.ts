/**
 * `npm run audit:deps`: npm audit of the production dependencies in package-lock.json, failing on
 * high or critical advisories. npm has no offline advisory source, so when the registry's advisory
 * endpoint cannot be reached or refuses (this build machine answers 405), the script says plainly
 * that nothing was checked. It exits 0 then only outside CI; with CI set (as every CI service
 * does) an unchecked audit fails, so a build never passes on an audit that did not run.
 */
import { spawnSync } from "node:child_process";
import { pathToFileURL } from "node:url";

export type AuditOutcome =
  { kind: "checked"; high: number; critical: number; total: number } | { kind: "not-checked"; reason: string } | { kind: "failed"; reason: string };

const UNREACHABLE = /\b(ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENETUNREACH|EHOSTUNREACH|CERT_|SELF_SIGNED)\w*/;

/** Reads `npm audit --json`'s output: a report, or npm's description of why there is none. */
export function auditOutcome(stdout: string, stderr: string): AuditOutcome {
  let json: Record<string, any> | undefined;
  try {
    json = JSON.parse(stdout);
  } catch {
    json = undefined;
  }
  const counts = json?.metadata?.vulnerabilities;
  if (counts && typeof counts === "object") {
    return { kind: "checked", high: Number(counts.high ?? 0), critical: Number(counts.critical ?? 0), total: Number(counts.total ?? 0) };
  }
  const status = Number(json?.statusCode ?? json?.error?.statusCode);
  const text = `${json?.message ?? ""} ${json?.code ?? ""} ${json?.error?.code ?? ""} ${json?.error?.summary ?? ""} ${stderr}`;
  if (status === 405 || status === 404 || status >= 500)
    return { kind: "not-checked", reason: `the registry's advisory endpoint answered ${status}` };
  const network = UNREACHABLE.exec(text);
  if (network) return { kind: "not-checked", reason: `the registry could not be reached (${network[1]})` };
  const firstLine = (json?.message ?? stderr.split("\n").find((l) => l.trim()) ?? "no output").toString().trim();
  return { kind: "failed", reason: firstLine };
}

function main(): number {
  const run = spawnSync("npm", ["audit", "--omit=dev", "--audit-level=high", "--json"], { encoding: "utf8", timeout: 120_000 });
  const outcome = auditOutcome(run.stdout ?? "", `${run.stderr ?? ""} ${run.error?.message ?? ""}`);
  if (outcome.kind === "checked") {
    const failing = outcome.high + outcome.critical;
    console.log(
      `npm audit (production dependencies): ${outcome.total} advisories, ${outcome.high} high, ${outcome.critical} critical${failing ? " - FAILED" : " - passed"}`,
    );
    if (failing) console.log("Run `npm audit --omit=dev` for the details.");
    return failing ? 1 : 0;
  }
  if (outcome.kind === "not-checked") {
    const ci = !!process.env.CI;
    console.log(
      `npm audit: NOT CHECKED - ${outcome.reason}; no dependency was audited.${ci ? " CI is set, so this fails." : " Production CI runs it with network access (SECURITY.md)."}`,
    );
    return ci ? 1 : 0;
  }
  console.log(`npm audit could not run: ${outcome.reason}`);
  return 1;
}

if (process.argv[1] && pathToFileURL(process.argv[1]).href === import.meta.url) process.exitCode = main();
