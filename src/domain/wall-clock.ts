/**
 * Dates on the form are the school's wall-clock time (a teacher in a UK school types "10:15"
 * meaning 10:15 in Europe/London, whatever the server's zone), so the bot and the tab convert between that
 * and UTC instants with Intl only: no date library, and DST handled by the platform's zone data.
 */
import { dateFormat } from "./date-formats.js";

const partsIn = (instant: Date, timeZone: string) => {
  const parts = dateFormat("parts", "en-GB", timeZone, {
    hourCycle: "h23",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
  }).formatToParts(instant);
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  return { year: get("year"), month: get("month"), day: get("day"), hour: get("hour"), minute: get("minute"), second: get("second") };
};

const pad = (n: number) => String(n).padStart(2, "0");

/** "Now" as the Input.Date / Input.Time values a card expects (YYYY-MM-DD, HH:mm) in the school's zone. */
export function wallClockNow(now: Date, timeZone: string): { date: string; time: string } {
  const p = partsIn(now, timeZone);
  return { date: `${p.year}-${pad(p.month)}-${pad(p.day)}`, time: `${pad(p.hour)}:${pad(p.minute)}` };
}

/** The zone's offset from UTC, in ms, at a given instant. */
function offsetAt(instant: number, timeZone: string): number {
  const p = partsIn(new Date(instant), timeZone);
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return asUtc - Math.floor(instant / 1000) * 1000;
}

/**
 * The UTC instant (ISO) of a wall-clock date and time in the school's zone, or undefined if the
 * text is not a real date/time. A time skipped by the spring-forward change resolves to the
 * instant an hour later, which is what a clock on the wall would have shown.
 */
export function wallClockToIso(date: string, time: string, timeZone: string): string | undefined {
  const d = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date.trim());
  const t = /^(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(time.trim());
  if (!d || !t) return undefined;
  const [y, mo, da, h, mi] = [d[1], d[2], d[3], t[1], t[2]].map(Number);
  if (mo < 1 || mo > 12 || da < 1 || da > 31 || h > 23 || mi > 59) return undefined;
  const naive = Date.UTC(y, mo - 1, da, h, mi);
  if (new Date(naive).getUTCDate() !== da) return undefined; // 31 April and the like
  // Two passes: the offset found at the first guess may differ from the one at the answer near a DST change.
  let instant = naive - offsetAt(naive, timeZone);
  instant = naive - offsetAt(instant, timeZone);
  return new Date(instant).toISOString();
}

/** "Tuesday, 4 March 2025, 10:15" in the school's zone: staff read dates with the day of the week. */
export function formatWallClock(iso: string, timeZone: string): string {
  return dateFormat("wall-clock", "en-GB", timeZone, {
    weekday: "long",
    day: "numeric",
    month: "long",
    year: "numeric",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  })
    .format(new Date(iso))
    .replace(" at ", ", ");
}
