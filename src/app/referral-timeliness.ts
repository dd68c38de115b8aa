/**
 * The reports' referral timeliness: per agency, the period's referrals answered on time, late,
 * outstanding (no outcome, past due) and awaiting (no outcome, not yet due). Referrals are the
 * safeguarding team's casework, so only they get this section: for anyone else it does not exist,
 * not even as zeros. Two queries for the school, whatever the number of referrals.
 */
import type { Actor } from "../domain/actor.js";
import { referralAgenciesOf, type Referral } from "../domain/case-entries.js";
import { canViewCaseEntries } from "../domain/policy/index.js";
import { timelinessOf, TIMELINESS, type Timeliness } from "../domain/referral-timeliness.js";
import { dateIn } from "../domain/school-clock.js";
import type { Pupil, School } from "../domain/school.js";
import type { CaseEntryStore } from "../ports/case-entry-store.js";
import type { Clock } from "../ports/clock.js";

export type TimelinessCounts = Record<Timeliness, number>;
export interface ReferralTimeliness {
  rows: ({ agencyId: string; agency: string } & TimelinessCounts)[];
  total: TimelinessCounts;
}

const zero = (): TimelinessCounts => ({ onTime: 0, late: 0, outstanding: 0, awaiting: 0 });

export async function referralTimeliness(
  deps: { caseEntries?: CaseEntryStore; clock: Clock },
  actor: Actor,
  school: School,
  period: { from: string; until: string },
  /** The report's pupil filters (year group, pupil group); a referral has no category to filter by. */
  keepPupil: (pupil: Pupil | undefined) => boolean,
  roster: ReadonlyMap<string, Pupil>,
): Promise<ReferralTimeliness | undefined> {
  if (!canViewCaseEntries(actor) || !deps.caseEntries) return undefined;
  const { referrals, outcomes } = await deps.caseEntries.referralsForSchool(school.id, period.from, period.until);
  const outcomeOf = new Map(outcomes.map((o) => [o.referralId, o]));
  const today = dateIn(deps.clock.now(), school.timeZone);
  // Rows in the order of the school's agency list; an agency since removed keeps its own name.
  const names = new Map(referralAgenciesOf(school).map((a) => [a.id, a.name]));
  const rows = new Map<string, ReferralTimeliness["rows"][number]>(
    [...names].map(([agencyId, agency]) => [agencyId, { agencyId, agency, ...zero() }]),
  );
  const total = zero();
  const counted = referrals.filter((r: Referral) => keepPupil(roster.get(r.pupilId)));
  for (const r of counted) {
    const row = rows.get(r.agencyId) ?? { agencyId: r.agencyId, agency: r.agencyName, ...zero() };
    const t = timelinessOf(r, outcomeOf.get(r.id), today, school.timeZone);
    row[t]++;
    total[t]++;
    rows.set(r.agencyId, row);
  }
  return { rows: [...rows.values()].filter((row) => TIMELINESS.some((t) => row[t] > 0)), total };
}
