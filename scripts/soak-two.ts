/**
 * The kill -9 soak with two instances: `npm run soak:two` (test/support/kill-soak.ts), bounded in
 * time, printing the counts it checked. SOAK_SUBMITS (default 120), SOAK_KILLS (10),
 * SOAK_CONCURRENCY (4), SOAK_SEED. Exits 1 when an acknowledged incident was lost or stored twice,
 * a submit was never answered, or an alert is missing or repeated outside the crash window (a kill
 * between Graph's answer and the saved "sent"); repeats within it are counted, not failed.
 */
import { killSoakHeld, runKillSoak } from "../test/support/kill-soak.js";

const num = (name: string, fallback: number) => {
  const v = Number(process.env[name] ?? fallback);
  if (!Number.isFinite(v) || v < 0) throw new Error(`${name} must be a number`);
  return Math.floor(v);
};

process.env.LOG_LEVEL ??= "silent";
const report = await runKillSoak({
  submits: Math.max(1, Math.min(2000, num("SOAK_SUBMITS", 120))),
  kills: Math.min(100, num("SOAK_KILLS", 10)),
  concurrency: Math.max(1, Math.min(16, num("SOAK_CONCURRENCY", 4))),
  pupils: 20,
  seed: num("SOAK_SEED", Date.now() % 100000),
  // The shortest lease Keepsafe allows: an alert a killed instance had claimed waits this long.
  leaseMs: 20_000,
  // One lease plus the backoffs, with room.
  alertsTimeoutMs: 90_000,
  deadlineMs: 15 * 60_000,
});
console.table({ ...report, alertDetail: undefined, timings: undefined });
console.log("timings:", JSON.stringify(report.timings));
if (report.alertsMissing || report.alertsRepeated) console.log("alert detail:", JSON.stringify(report.alertDetail, null, 2));
const ok = killSoakHeld(report);
console.log(ok ? "soak-two: every guarantee held" : "soak-two: A GUARANTEE FAILED");
process.exit(ok ? 0 : 1);
