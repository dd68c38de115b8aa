// Dates as UK staff type and read them: dd/mm/yyyy. The forms keep ISO days (yyyy-mm-dd) in their
// state and send those; only what is shown and typed is in the UK order, whatever the browser's locale.

/** "2026-12-02" -> "02/12/2026"; anything else is shown as it is. */
export function ukFromIso(iso: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  return m ? `${m[3]}/${m[2]}/${m[1]}` : iso;
}

/**
 * "2/12/2026", "02/12/2026", "2.12.2026" or "2-12-2026" -> "2026-12-02"; a day that does not exist
 * (31/04/2026) or text that is not a date gives undefined.
 */
export function isoFromUk(text: string): string | undefined {
  const m = /^\s*(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})\s*$/.exec(text);
  if (!m) return undefined;
  const [day, month, year] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return undefined;
  return `${m[3]}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
}

/**
 * "9:05", "09:05" or "9.05" -> "09:05" on the 24-hour clock UK schools use; anything that is not a
 * time of day ("25:00", "9:5", "9am") gives undefined.
 */
export function clockTimeFrom(text: string): string | undefined {
  const m = /^\s*(\d{1,2})[:.](\d{2})\s*$/.exec(text);
  if (!m) return undefined;
  const [hours, minutes] = [Number(m[1]), Number(m[2])];
  if (hours > 23 || minutes > 59) return undefined;
  return `${String(hours).padStart(2, "0")}:${m[2]}`;
}
