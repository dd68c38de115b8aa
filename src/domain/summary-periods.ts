/**
 * The governors' and Ofsted summary: a term or a school year, and small numbers suppressed.
 * Terms follow report-periods.ts (autumn Sep-Dec, spring Jan-Mar, summer Apr-Aug).
 */
import { periodOf } from "./report-periods.js";
import { addCalendarMonths } from "./subject-access.js";

export const SUMMARY_PERIODS = ["term", "schoolYear"] as const;
export type SummaryPeriod = (typeof SUMMARY_PERIODS)[number];

/** Counts below this are shown as "fewer than 3": with so few, governors could tell who it was. */
export const SUPPRESS_BELOW = 3;

export type SummaryCount = { shown: string; count?: number };

/** A count as the summary shows it; a suppressed count's number never leaves the server. */
export const suppressed = (n: number): SummaryCount =>
  n > 0 && n < SUPPRESS_BELOW ? { shown: `fewer than ${SUPPRESS_BELOW}` } : { shown: String(n), count: n };

const dayBefore = (date: string) => new Date(Date.parse(`${date}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);

/** The term or school year holding `date`: its first and last days and its name. */
export function summaryRange(period: SummaryPeriod, date: string): { from: string; to: string; label: string } {
  const year = Number(date.slice(0, 4));
  const month = Number(date.slice(5, 7));
  const label = periodOf(period, date).label;
  if (period === "schoolYear") {
    const start = month >= 9 ? year : year - 1;
    return { from: `${start}-09-01`, to: `${start + 1}-08-31`, label };
  }
  const [from, months] = month >= 9 ? [`${year}-09-01`, 4] : month <= 3 ? [`${year}-01-01`, 3] : [`${year}-04-01`, 5];
  return { from, to: dayBefore(addCalendarMonths(from, months)), label };
}

/** The period before (the previous term or year), for the trend. */
export const previousRange = (period: SummaryPeriod, from: string) => summaryRange(period, dayBefore(from));
