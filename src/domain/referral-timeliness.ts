/**
 * Referral timeliness (issue 9's reports): whether an agency answered a referral by its due date.
 * Days are the school's calendar days; the due date itself is still on time.
 */
import type { Referral, ReferralOutcome } from "./case-entries.js";
import { isOverdue } from "./referral-watch.js";
import { dateIn } from "./school-clock.js";

export const TIMELINESS = ["onTime", "late", "outstanding", "awaiting"] as const;
export type Timeliness = (typeof TIMELINESS)[number];

/** On time: outcome on or before the due date; late: after it; outstanding: none and past due; awaiting: none and not yet due. */
export function timelinessOf(
  referral: Pick<Referral, "dueDate">,
  outcome: Pick<ReferralOutcome, "occurredAt"> | undefined,
  today: string,
  timeZone: string,
): Timeliness {
  if (outcome) return dateIn(outcome.occurredAt, timeZone) <= referral.dueDate ? "onTime" : "late";
  return isOverdue(referral.dueDate, today, false) ? "outstanding" : "awaiting";
}
