/**
 * Concerns stored before early warning's checks existed (an upgraded school's data dir) carry no
 * check, so nothing looks at their pupil until the next concern: a pupil whose last 30 days were
 * all recorded before the upgrade is never flagged. The check job's first run evaluates, once,
 * each pupil with concerns inside the school's longest rule window, as a fresh concern would now.
 *
 * Safe to repeat and to run on two instances at once: evaluation writes a firing whose id comes
 * from the pupil, the rule and the episode's first concern, created only if absent, and an open or
 * reviewed episode never fires again, so a second run creates nothing. The candidates come from
 * one query bounded by the window, and a marker says the backfill ran, so a later start reads one
 * document, not the window. An episode that ended before the upgrade (its window already past) is
 * not reconstructed: the rules look back from now, as they do for every concern.
 */
import { DEFAULT_EARLY_WARNING, type EarlyWarningRules } from "../domain/early-warning.js";
import { childLogger } from "../logger.js";
import { evaluateEarlyWarning, type EarlyWarningDeps } from "./early-warning.js";

const log = childLogger("early-warning-backfill");

const DAY_MS = 86_400_000;

export type EarlyWarningBackfill = { ran: false } | { ran: true; evaluated: number; fired: number };

/** Fewer concerns than the smaller count cannot make either rule fire, so that pupil is not read. */
const fewestThatFire = (rules: EarlyWarningRules) => Math.min(rules.anyCount, rules.staffCount);
const longestWindowDays = (rules: EarlyWarningRules) => Math.max(rules.anyWithinDays, rules.staffWithinDays);

/** Runs once per store; a failure throws before the marker, so the next run tries the whole again. */
export async function backfillEarlyWarnings(deps: EarlyWarningDeps): Promise<EarlyWarningBackfill> {
  if (await deps.earlyWarnings.backfillDone()) return { ran: false };
  const now = deps.clock.now();
  let evaluated = 0;
  let fired = 0;
  for (const school of await deps.schools.listSchools()) {
    const rules = school.earlyWarning ?? DEFAULT_EARLY_WARNING;
    const since = new Date(now.getTime() - longestWindowDays(rules) * DAY_MS).toISOString();
    const candidates = await deps.earlyWarnings.backfillCandidates(school.id, since);
    // One pupil at a time: this runs beside the school's own work, on the first minute after start.
    for (const { pupilId } of candidates.filter((c) => c.concerns >= fewestThatFire(rules))) {
      fired += (await evaluateEarlyWarning(deps, { schoolId: school.id, pupilId })).length;
      evaluated++;
    }
  }
  await deps.earlyWarnings.markBackfillDone(now.toISOString());
  log.info({ event: "early-warning.backfilled", evaluated, fired }, "early warning evaluated for concerns stored before checks");
  return { ran: true, evaluated, fired };
}
