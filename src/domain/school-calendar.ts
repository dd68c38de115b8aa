/**
 * The school's own calendar: its terms and the days inside them when it is closed (bank holidays,
 * half terms, INSET days). Due dates, overdue alerts and report terms all count from it, on
 * calendar dates (YYYY-MM-DD) in the school's zone.
 *
 * Outside the span of the terms it knows (a school that set none, or a date past its last term),
 * every Monday to Friday counts as a school day and terms follow fixed months: an alert too many,
 * never one missed. Between two known terms (the holidays) no day is a school day.
 */
export const NON_SCHOOL_DAY_KINDS = ["bank-holiday", "half-term", "inset", "closure"] as const;
export type NonSchoolDayKind = (typeof NON_SCHOOL_DAY_KINDS)[number];

export interface SchoolTerm {
  /** As the school says it: "Autumn term". */
  name: string;
  firstDay: string;
  lastDay: string;
}

/** One day or a run of days inside a term when the school is closed. */
export interface NonSchoolDays {
  name: string;
  kind: NonSchoolDayKind;
  firstDay: string;
  lastDay: string;
}

export interface SchoolCalendar {
  /** In date order, never overlapping (school-setup checks). */
  terms: SchoolTerm[];
  nonSchoolDays: NonSchoolDays[];
}

/** No terms known: Monday to Friday, terms by fixed months. */
export const WEEKDAYS_ONLY: SchoolCalendar = { terms: [], nonSchoolDays: [] };

const DAY_MS = 86_400_000;
const ms = (date: string) => Date.parse(`${date}T00:00:00Z`);
const fromMs = (t: number) => new Date(t).toISOString().slice(0, 10);
export const shiftDays = (date: string, days: number) => fromMs(ms(date) + days * DAY_MS);

const isWeekday = (date: string) => {
  const day = new Date(ms(date)).getUTCDay();
  return day !== 0 && day !== 6;
};

const within = (date: string, r: { firstDay: string; lastDay: string }) => r.firstDay <= date && date <= r.lastDay;

/** The dates the school's terms cover, first to last; undefined when it set none. */
function span(cal: SchoolCalendar): { firstDay: string; lastDay: string } | undefined {
  if (!cal.terms.length) return undefined;
  return { firstDay: cal.terms[0]!.firstDay, lastDay: cal.terms[cal.terms.length - 1]!.lastDay };
}

export function isSchoolDay(cal: SchoolCalendar, date: string): boolean {
  if (!isWeekday(date)) return false;
  const known = span(cal);
  if (!known || !within(date, known)) return true;
  return cal.terms.some((t) => within(date, t)) && !cal.nonSchoolDays.some((n) => within(date, n));
}

/** The first school day after `date`. */
export function nextSchoolDay(cal: SchoolCalendar, date: string): string {
  let d = shiftDays(date, 1);
  while (!isSchoolDay(cal, d)) d = shiftDays(d, 1);
  return d;
}

/** The last school day before `date`. */
export function previousSchoolDay(cal: SchoolCalendar, date: string): string {
  let d = shiftDays(date, -1);
  while (!isSchoolDay(cal, d)) d = shiftDays(d, -1);
  return d;
}

/** `days` school days after `date` (0: the date itself); a negative count goes back. */
export function addSchoolDays(cal: SchoolCalendar, date: string, days: number): string {
  let out = date;
  for (let i = 0; i < Math.abs(days); i++) out = days > 0 ? nextSchoolDay(cal, out) : previousSchoolDay(cal, out);
  return out;
}

/** School days after `from` up to and including `to`; negative when `to` is before `from`. */
export function schoolDaysBetween(cal: SchoolCalendar, from: string, to: string): number {
  if (to < from) return -schoolDaysBetween(cal, to, from);
  let n = 0;
  for (let d = shiftDays(from, 1); d <= to; d = shiftDays(d, 1)) if (isSchoolDay(cal, d)) n++;
  return n;
}

/**
 * The latest date that is at least `days` school days before `today` (schoolDaysBetween(it, today)
 * >= days): a record made on it or earlier has been open that many school days. A weekend or a
 * holiday just before `today` adds no age.
 */
export function latestDateSchoolDaysBefore(cal: SchoolCalendar, today: string, days: number): string {
  let date = today;
  for (let counted = 0; counted < days; date = shiftDays(date, -1)) if (isSchoolDay(cal, date)) counted++;
  return date;
}

/** The term the date falls in (its first to last day), or undefined in a holiday or outside the calendar. */
export const termOf = (cal: SchoolCalendar, date: string): SchoolTerm | undefined => cal.terms.find((t) => within(date, t));

/** "2026/27": English school years run September to August. */
export function schoolYearOf(date: string): string {
  const year = Number(date.slice(0, 4));
  const start = Number(date.slice(5, 7)) >= 9 ? year : year - 1;
  return `${start}/${String((start + 1) % 100).padStart(2, "0")}`;
}

const FIXED_TERMS = [
  { name: "Autumn term", first: "09-01", last: "12-31" },
  { name: "Spring term", first: "01-01", last: "03-31" },
  { name: "Summer term", first: "04-01", last: "08-31" },
] as const;

/**
 * The term a report counts a date in, and the dates that term's report covers. A school year's
 * terms share out 1 September to 31 August with no gaps: holidays count with the term before them
 * (a concern over half term or at Christmas still belongs to a term) and the first days of
 * September with the first term. A school year the calendar does not cover has fixed-month terms
 * (autumn Sep-Dec, spring Jan-Mar, summer Apr-Aug).
 */
export function reportingTermOf(cal: SchoolCalendar, date: string): { from: string; to: string; label: string; key: string } {
  const year = schoolYearOf(date);
  const start = Number(year.slice(0, 4));
  const [yearStart, yearEnd] = [`${start}-09-01`, `${start + 1}-08-31`];
  const terms = cal.terms.filter((t) => schoolYearOf(t.firstDay) === year);
  if (!terms.length) {
    const y = date.slice(0, 4);
    const t = FIXED_TERMS.find((f) => `${y}-${f.first}` <= date && date <= `${y}-${f.last}`)!;
    return { from: `${y}-${t.first}`, to: `${y}-${t.last}`, label: `${t.name} ${year}`, key: `${y}-${t.first}` };
  }
  const index = Math.max(
    0,
    terms.findLastIndex((t) => t.firstDay <= date),
  );
  const term = terms[index]!;
  const next = terms[index + 1];
  const from = index === 0 ? yearStart : term.firstDay;
  return { from, to: next ? shiftDays(next.firstDay, -1) : yearEnd, label: `${term.name} ${year}`, key: from };
}

/** A school's calendar as set in its setup; Monday to Friday until it sets one. */
export const calendarOf = (school: { calendar?: SchoolCalendar }): SchoolCalendar => school.calendar ?? WEEKDAYS_ONLY;
