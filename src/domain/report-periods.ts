/**
 * The periods a report counts incidents by, from an incident's calendar date in the school's zone.
 * English school years run September to August; terms are the school's own (school-calendar.ts),
 * each holiday counted with the term before it, and fixed months (autumn Sep-Dec, spring Jan-Mar,
 * summer Apr-Aug) for a year the school's calendar does not cover.
 */
import { reportingTermOf, schoolYearOf, WEEKDAYS_ONLY, type SchoolCalendar } from "./school-calendar.js";

export const PERIODS = ["week", "month", "term", "schoolYear"] as const;
export type Period = (typeof PERIODS)[number];

const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];

/** The Monday of the date's week (YYYY-MM-DD): weeks sort and read as "week of 7 Sep". */
function mondayOf(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  const back = (d.getUTCDay() + 6) % 7;
  d.setUTCDate(d.getUTCDate() - back);
  return d.toISOString().slice(0, 10);
}

/** A period's key (sortable) and label for a calendar date YYYY-MM-DD. */
export function periodOf(period: Period, date: string, calendar: SchoolCalendar = WEEKDAYS_ONLY): { key: string; label: string } {
  const year = Number(date.slice(0, 4));
  const month = Number(date.slice(5, 7));
  switch (period) {
    case "week": {
      const monday = mondayOf(date);
      return {
        key: monday,
        label: `Week of ${Number(monday.slice(8, 10))} ${MONTHS[Number(monday.slice(5, 7)) - 1].slice(0, 3)} ${monday.slice(0, 4)}`,
      };
    }
    case "month":
      return { key: date.slice(0, 7), label: `${MONTHS[month - 1]} ${year}` };
    case "term": {
      const { key, label } = reportingTermOf(calendar, date);
      return { key, label };
    }
    case "schoolYear": {
      const sy = schoolYearOf(date);
      return { key: sy.slice(0, 4), label: `School year ${sy}` };
    }
  }
}

/** What a report counts by: a period, or a field the form recorded, or the pupil's year, class or group. */
export const REPORT_GROUPINGS = [
  ...PERIODS,
  "category",
  "subCategory",
  "dayOfWeek",
  "session",
  "location",
  "yearGroup",
  "class",
  "pupilGroup",
] as const;
export type ReportGrouping = (typeof REPORT_GROUPINGS)[number];
