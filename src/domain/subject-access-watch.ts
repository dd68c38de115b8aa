/**
 * When the safeguarding team is alerted about a subject access deadline: on the school day a
 * school-set number of school days before it (default 5), on the day itself (or the last school
 * day before it, when it falls in a holiday or at a weekend), and every school day after it while
 * no pack has been released. The deadline itself stays a calendar one (the law's month).
 *
 * The job's state per request is its watch, the one document of a request that changes: when the
 * next alert is due, claimed with its ETag in the batch that writes that day's alerts, so two
 * runners or a restart never alert twice for one day. The job reads the request again at each
 * alert, so an extension (a later deadline) or a released pack is seen without touching the watch.
 */
import { addSchoolDays, isSchoolDay, previousSchoolDay, shiftDays, type SchoolCalendar } from "./school-calendar.js";
import { wallClockToIso } from "./wall-clock.js";
import { OVERDUE_ALERT_TIME } from "./referral-watch.js";

export const DEFAULT_SAR_ALERT_DAYS = 5;

export interface SubjectAccessWatch {
  /** The request's id. */
  id: string;
  schoolId: string;
  pupilId: string;
  /** Who opened the request: alerted with the safeguarding team. */
  openedBy: string;
  status: "open" | "closed";
  nextAlertAt: string;
  alertsSent: number;
  /** The school date of the last alert sent. */
  lastAlertDay?: string;
}

export type SarAlertKind = "due-soon" | "due-today" | "overdue";

/** The last school day on or before the deadline: "on the day" when the day is not a school day. */
const lastSchoolDayBy = (cal: SchoolCalendar, deadline: string) => (isSchoolDay(cal, deadline) ? deadline : previousSchoolDay(cal, deadline));

/** What alert, if any, `today` brings for a deadline. */
export function sarAlertOn(cal: SchoolCalendar, deadline: string, today: string, leadDays: number): SarAlertKind | undefined {
  if (!isSchoolDay(cal, today)) return undefined;
  if (today > deadline) return "overdue";
  const last = lastSchoolDayBy(cal, deadline);
  if (today === last) return "due-today";
  return today === addSchoolDays(cal, last, -leadDays) ? "due-soon" : undefined;
}

/** Whether the list flags it: from the first alert day on (the same day the team is first alerted). */
export const sarDueSoon = (cal: SchoolCalendar, deadline: string, today: string, leadDays: number) =>
  today >= addSchoolDays(cal, lastSchoolDayBy(cal, deadline), -leadDays);

/** The first alert day on or after `from`. */
export function nextSarAlertDay(cal: SchoolCalendar, deadline: string, from: string, leadDays: number): string {
  const last = lastSchoolDayBy(cal, deadline);
  const soon = addSchoolDays(cal, last, -leadDays);
  if (from <= soon) return soon;
  if (from <= last) return last;
  // Every school day after the deadline.
  let d = from > deadline ? from : shiftDays(deadline, 1);
  while (!isSchoolDay(cal, d)) d = shiftDays(d, 1);
  return d;
}

/** The start of an alert day in the school's zone: sent when the DSLs are in. */
export const sarAlertTime = (day: string, timeZone: string) =>
  wallClockToIso(day, OVERDUE_ALERT_TIME, timeZone) ?? `${day}T${OVERDUE_ALERT_TIME}:00Z`;

/**
 * A request's watch as it starts: due at the first alert day from `today`. Opening a request
 * writes it; the deadline job's backfill writes it for a request stored before watches existed.
 */
export function firstSarWatch(
  request: { id: string; schoolId: string; pupilId: string; openedBy: string },
  cal: SchoolCalendar,
  deadline: string,
  today: string,
  leadDays: number,
  timeZone: string,
): SubjectAccessWatch {
  return {
    id: request.id,
    schoolId: request.schoolId,
    pupilId: request.pupilId,
    openedBy: request.openedBy,
    status: "open",
    nextAlertAt: sarAlertTime(nextSarAlertDay(cal, deadline, today, leadDays), timeZone),
    alertsSent: 0,
  };
}
