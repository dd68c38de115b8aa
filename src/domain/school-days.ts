/**
 * School days for due dates and overdue alerts: Monday to Friday, counted on calendar dates
 * (YYYY-MM-DD) in the school's own zone. Term dates and bank holidays are not known to Keepsafe
 * yet, so a holiday weekday counts as a school day (an alert too many, never one missed).
 */
const toUtc = (date: string) => {
  const [y, m, d] = date.split("-").map(Number);
  return new Date(Date.UTC(y, m - 1, d));
};
const fromUtc = (d: Date) => d.toISOString().slice(0, 10);

export function isSchoolDay(date: string): boolean {
  const day = toUtc(date).getUTCDay();
  return day !== 0 && day !== 6;
}

/** The first school day after `date`. */
export function nextSchoolDay(date: string): string {
  const d = toUtc(date);
  do d.setUTCDate(d.getUTCDate() + 1);
  while (!isSchoolDay(fromUtc(d)));
  return fromUtc(d);
}

/** `days` school days after `date` (0: the date itself). */
export function addSchoolDays(date: string, days: number): string {
  let out = date;
  for (let i = 0; i < days; i++) out = nextSchoolDay(out);
  return out;
}
