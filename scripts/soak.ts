/**
 * `npm run soak`: the fault soak (test/support/fault-soak.ts), bounded in time, printing what it
 * checked. SOAK_SUBMITS (default 300), SOAK_FAULT_SHARE (0.15), SOAK_CONCURRENCY (8), SOAK_SEED.
 * Exits 1 when an acknowledged incident was lost or duplicated, an answer was unclear or said
 * "Nothing was saved" of a stored incident, or an alert was not delivered exactly once.
 */
import { runSoak } from "../test/support/fault-soak.js";

const num = (name: string, fallback: number) => {
  const v = Number(process.env[name] ?? fallback);
  if (!Number.isFinite(v) || v < 0) throw new Error(`${name} must be a number`);
  return v;
};

process.env.LOG_LEVEL ??= "silent";
const report = await runSoak({
  submits: Math.min(5000, Math.floor(num("SOAK_SUBMITS", 300))),
  faultShare: Math.min(0.5, num("SOAK_FAULT_SHARE", 0.15)),
  concurrency: Math.max(1, Math.min(32, Math.floor(num("SOAK_CONCURRENCY", 8)))),
  seed: Math.floor(num("SOAK_SEED", Date.now() % 100000)),
  // Covers one 60 s outbox lease (the bound when a claim's read-back fails too) and the backoffs.
  alertsTimeoutMs: 120_000,
});
console.table({ ...report, faults: undefined, plainMessages: undefined, alertDetail: undefined });
if (report.alertsMissing || report.alertsDuplicated) console.log("alerts not delivered exactly once:", JSON.stringify(report.alertDetail, null, 2));
console.log("store faults injected:", report.faults);
console.log("what users were told when a save did not happen:", report.plainMessages);
const ok =
  report.lost === 0 &&
  report.duplicated === 0 &&
  report.unclear === 0 &&
  report.falselyToldNotSaved === 0 &&
  report.alertsMissing === 0 &&
  report.alertsDuplicated === 0 &&
  report.unidentifiedRequests === 0 &&
  report.alertsDeliveredOnce === report.alertsExpected;
console.log(ok ? "soak: every guarantee held" : "soak: A GUARANTEE FAILED");
process.exit(ok ? 0 : 1);
