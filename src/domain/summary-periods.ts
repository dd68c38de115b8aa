/**
 * The governors' and Ofsted summary: a term or a school year, and small numbers suppressed.
 * Terms are the school's own, as reports count them (school-calendar.ts reportingTermOf).
 */
import { periodOf } from "./report-periods.js";
import { reportingTermOf, shiftDays, WEEKDAYS_ONLY, type SchoolCalendar } from "./school-calendar.js";

export const SUMMARY_PERIODS = ["term", "schoolYear"] as const;
export type SummaryPeriod = (typeof SUMMARY_PERIODS)[number];

/** Counts below this are shown as "fewer than 3": with so few, governors could tell who it was. */
export const SUPPRESS_BELOW = 3;

export type SummaryCount = { shown: string; count?: number };

export const FEWER_THAN = `fewer than ${SUPPRESS_BELOW}`;

/** A count as the summary shows it; a suppressed count's number never leaves the server. */
export const suppressed = (n: number): SummaryCount => (n > 0 && n < SUPPRESS_BELOW ? { shown: FEWER_THAN } : { shown: String(n), count: n });

/** The term or school year holding `date`: its first and last days and its name. */
export function summaryRange(
  period: SummaryPeriod,
  date: string,
  calendar: SchoolCalendar = WEEKDAYS_ONLY,
): { from: string; to: string; label: string } {
  if (period === "term") {
    const { from, to, label } = reportingTermOf(calendar, date);
    return { from, to, label };
  }
  const year = Number(date.slice(0, 4));
  const start = Number(date.slice(5, 7)) >= 9 ? year : year - 1;
  return { from: `${start}-09-01`, to: `${start + 1}-08-31`, label: periodOf(period, date).label };
}

/** The period before (the previous term or year), for the trend. */
export const previousRange = (period: SummaryPeriod, from: string, calendar: SchoolCalendar = WEEKDAYS_ONLY) =>
  summaryRange(period, shiftDays(from, -1), calendar);

/** The terms of the school year starting `from` (1 September), in order: they share out its days with no gaps. */
export function termsOfYear(from: string, calendar: SchoolCalendar = WEEKDAYS_ONLY): { from: string; to: string; label: string }[] {
  const year = summaryRange("schoolYear", from, calendar);
  const terms = [summaryRange("term", year.from, calendar)];
  // Each term ends on or after the day it is asked for, so this moves on; the bound is a backstop.
  while (terms.at(-1)!.to < year.to && terms.length < 366) terms.push(summaryRange("term", shiftDays(terms.at(-1)!.to, 1), calendar));
  return terms;
}
