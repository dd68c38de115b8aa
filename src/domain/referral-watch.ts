/**
 * What the referral-overdue job keeps per referral: the one mutable document of a referral, so the
 * referral and its outcome stay immutable. `nextAlertAt` is when the next alert is due (the start
 * of a school day after the due date); the job claims it with the document's ETag and moves it to
 * the next school day in the same batch as the alerts, so two job runners or a restart never alert
 * twice for one day. Recording the outcome closes it.
 */
import { wallClockToIso } from "./wall-clock.js";
import { nextSchoolDay, type SchoolCalendar } from "./school-calendar.js";

export interface ReferralWatch {
  /** The referral's id. */
  id: string;
  schoolId: string;
  pupilId: string;
  dueDate: string;
  status: "open" | "closed";
  nextAlertAt: string;
  alertsSent: number;
  /** The school date of the last alert sent. */
  lastAlertDay?: string;
}

/** School starts: an overdue alert goes when the DSLs are in, not at midnight. */
export const OVERDUE_ALERT_TIME = "08:00";

/** The start of the first school day after `date` in the school's zone and calendar. */
export function alertTimeAfter(date: string, school: { timeZone: string; calendar: SchoolCalendar }): string {
  const day = nextSchoolDay(school.calendar, date);
  return wallClockToIso(day, OVERDUE_ALERT_TIME, school.timeZone) ?? `${day}T${OVERDUE_ALERT_TIME}:00Z`;
}

/** Overdue on the first school day past its due date, until an outcome closes it. */
export const isOverdue = (dueDate: string, today: string, outcomeRecorded: boolean) => !outcomeRecorded && today > dueDate;
