/**
 * Early warning that survives a crash (issue 9): each concern's batch stores a check naming its
 * pupil (domain/early-warning-check.ts). The in-process evaluation after the answer clears it;
 * this job looks at any check still there a minute after its concern (the process died in
 * between, or the evaluation failed), evaluates that pupil and clears it. Evaluation is
 * idempotent (a firing's id is fixed per episode), so a check looked at by both still alerts once.
 * One instance looks at a time, through a lease in the store like the orphan clean-up. Its first
 * run first evaluates pupils whose concerns were stored before checks existed
 * (early-warning-backfill.ts).
 */
import { randomUUID } from "node:crypto";
import type { EarlyWarningCheck } from "../domain/early-warning-check.js";
import type { EarlyWarningFiring } from "../domain/early-warning.js";
import { childLogger } from "../logger.js";
import type { RoleDirectoryStore } from "../ports/role-directory-store.js";
import { evaluateEarlyWarning, type EarlyWarningDeps } from "./early-warning.js";
import { backfillEarlyWarnings } from "./early-warning-backfill.js";
import { WatchJob, type WatchJobDeps } from "./watch-job.js";

const log = childLogger("early-warning-check-job");

const LEASE = "early-warning-checks";
/** Far longer than a run takes; a holder that dies mid-run frees the lease after this. */
const LEASE_MS = 5 * 60_000;

/** Evaluates the check's pupil, then clears the check; a failure leaves it for the job's next look. */
export async function evaluateAndClear(deps: EarlyWarningDeps, check: EarlyWarningCheck): Promise<EarlyWarningFiring[]> {
  const fired = await evaluateEarlyWarning(deps, check);
  await deps.earlyWarnings.clearCheck(check);
  return fired;
}

export interface EarlyWarningCheckJobDeps extends WatchJobDeps, EarlyWarningDeps {
  leases: Pick<RoleDirectoryStore, "claimLease" | "releaseLease">;
}

export type EarlyWarningCheckRun = { outcome: "checked"; alerted: number } | { outcome: "leased-elsewhere"; alerted: 0 };

export class EarlyWarningCheckJob extends WatchJob<EarlyWarningCheck> {
  private readonly holder = `early-warning-checks:${randomUUID()}`;
  /** Pupils evaluated in this run: several checks for one pupil need one evaluation. */
  private evaluated = new Set<string>();
  private backfilled = false;

  constructor(private readonly deps: EarlyWarningCheckJobDeps) {
    super(deps, log);
  }

  override async runOnce(): Promise<EarlyWarningCheckRun> {
    const now = this.deps.clock.now();
    const until = new Date(now.getTime() + LEASE_MS).toISOString();
    if (!(await this.deps.leases.claimLease(LEASE, this.holder, now.toISOString(), until))) return { outcome: "leased-elsewhere", alerted: 0 };
    this.evaluated = new Set();
    try {
      const fired = this.backfilled ? 0 : await this.backfill();
      const { alerted } = await super.runOnce();
      return { outcome: "checked", alerted: alerted + fired };
    } finally {
      await this.deps.leases.releaseLease(LEASE, this.holder, this.deps.clock.now().toISOString()).catch(() => undefined);
    }
  }

  /** The firings the backfill wrote; until it succeeds each run tries it again, and the due checks are still looked at. */
  private async backfill(): Promise<number> {
    try {
      const run = await backfillEarlyWarnings(this.deps);
      this.backfilled = true;
      const fired = run.ran ? run.fired : 0;
      if (fired) this.deps.onAlerted?.();
      return fired;
    } catch (e) {
      log.warn({ event: "early-warning.backfill-failed", err: e instanceof Error ? e.name : "unknown" }, "early warning backfill failed; will retry");
      return 0;
    }
  }

  protected due(now: string, limit: number) {
    return this.deps.earlyWarnings.dueChecks(now, limit);
  }

  protected async chase(check: EarlyWarningCheck): Promise<boolean> {
    if (this.evaluated.has(check.pupilId)) {
      await this.deps.earlyWarnings.clearCheck(check);
      return false;
    }
    const fired = await evaluateAndClear(this.deps, check);
    this.evaluated.add(check.pupilId);
    log.info(
      { event: "early-warning.check-evaluated", incidentId: check.id, pupilId: check.pupilId, fired: fired.length },
      "late early-warning check evaluated",
    );
    return fired.length > 0;
  }
}
