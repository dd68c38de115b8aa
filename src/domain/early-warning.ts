/**
 * Early warning (issue 9): when concerns about one pupil build up, the DSLs are told. The school
 * sets the rules (school setup `earlyWarning`); by default three or more concerns of any category
 * within 30 days, or two or more from different members of staff within 7 days.
 *
 * A firing is an immutable record with a deterministic id (pupil + rule + the earliest triggering
 * concern), so a second write of the same episode meets 409. While a firing for a rule is not yet
 * reviewed, that rule does not fire again for the pupil: one episode, one alert.
 */
export interface EarlyWarningRules {
  anyWithinDays: number;
  anyCount: number;
  staffWithinDays: number;
  staffCount: number;
}

export const DEFAULT_EARLY_WARNING: EarlyWarningRules = { anyWithinDays: 30, anyCount: 3, staffWithinDays: 7, staffCount: 2 };

export type EarlyWarningRule = "any-concerns" | "different-staff";

export interface EarlyWarningFiring {
  id: string;
  schoolId: string;
  pupilId: string;
  rule: EarlyWarningRule;
  /** The concerns that made the rule fire, oldest first (ids and references only). */
  incidentIds: string[];
  references: string[];
  firedAt: string;
}

/** The DSL's review of a firing: a separate immutable record, so the firing itself never changes. */
export interface EarlyWarningReview {
  id: string;
  firingId: string;
  schoolId: string;
  pupilId: string;
  note: string;
  reviewedBy: { staffId: string; name: string };
  reviewedAt: string;
}

/** A concern as the rules see it: when it was recorded and who raised it, nothing of its content. */
export interface CountedConcern {
  incidentId: string;
  reference: string;
  recordedAt: string;
  raisedByStaffId: string;
}

export const firingIdFor = (pupilId: string, rule: EarlyWarningRule, firstIncidentId: string) => `ew:${pupilId}:${rule}:${firstIncidentId}`;

const DAY_MS = 86_400_000;

/**
 * The rules that fire now: the concerns within each rule's window ending at `now`, if they reach
 * its count (for the different-staff rule, one concern per distinct raiser, the earliest of each).
 * `open` holds the rules with an unreviewed firing; `after` is when the last review of each rule
 * was made, so only concerns recorded since then start a new episode.
 */
export function firingsDue(
  concerns: CountedConcern[],
  rules: EarlyWarningRules,
  now: Date,
  state: { open: ReadonlySet<EarlyWarningRule>; reviewedAt: ReadonlyMap<EarlyWarningRule, string> },
): { rule: EarlyWarningRule; concerns: CountedConcern[] }[] {
  const sorted = [...concerns].sort((a, b) => a.recordedAt.localeCompare(b.recordedAt) || a.incidentId.localeCompare(b.incidentId));
  const within = (rule: EarlyWarningRule, days: number) => {
    const from = new Date(now.getTime() - days * DAY_MS).toISOString();
    const since = state.reviewedAt.get(rule);
    return sorted.filter((c) => c.recordedAt >= from && c.recordedAt <= now.toISOString() && (!since || c.recordedAt > since));
  };
  const due: { rule: EarlyWarningRule; concerns: CountedConcern[] }[] = [];
  if (!state.open.has("any-concerns")) {
    const found = within("any-concerns", rules.anyWithinDays);
    if (found.length >= rules.anyCount) due.push({ rule: "any-concerns", concerns: found });
  }
  if (!state.open.has("different-staff")) {
    const firstByRaiser = new Map<string, CountedConcern>();
    for (const c of within("different-staff", rules.staffWithinDays))
      if (!firstByRaiser.has(c.raisedByStaffId)) firstByRaiser.set(c.raisedByStaffId, c);
    if (firstByRaiser.size >= rules.staffCount) due.push({ rule: "different-staff", concerns: [...firstByRaiser.values()] });
  }
  return due;
}
