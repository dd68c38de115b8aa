/**
 * The school's calendar: the day of the week and today's date as staff on site see them.
 * Reports group by the day an incident happened in the school's own zone, not the server's.
 * Intl only, so the domain needs no date library.
 */
import { dateFormat } from "./date-formats.js";

export const WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"] as const;
export type DayOfWeek = (typeof WEEKDAYS)[number];

/** "Monday" .. "Sunday" of an instant in the school's zone. */
export function dayOfWeekIn(instant: Date | string, timeZone: string): DayOfWeek {
  const name = dateFormat("weekday", "en-GB", timeZone, { weekday: "long" }).format(new Date(instant));
  return WEEKDAYS.find((d) => d === name) ?? "Monday";
}

/** The calendar date (YYYY-MM-DD) of an instant in the school's zone. */
export function dateIn(instant: Date | string, timeZone: string): string {
  // en-CA formats as YYYY-MM-DD.
  return dateFormat("date", "en-CA", timeZone, { year: "numeric", month: "2-digit", day: "2-digit" }).format(new Date(instant));
}

/** A real calendar date written YYYY-MM-DD (no 31 April). */
export function isCalendarDate(text: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.getUTCFullYear() === Number(m[1]) && d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3]);
}
