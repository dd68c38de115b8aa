// Dates as UK staff read them, always in UK time whatever the device says,
// because a chronology may become evidence and must read the same everywhere.
const dateTime = new Intl.DateTimeFormat("en-GB", {
  weekday: "short",
  day: "numeric",
  month: "short",
  year: "numeric",
  hour: "2-digit",
  minute: "2-digit",
  timeZone: "Europe/London",
});
const dateOnly = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short", year: "numeric", timeZone: "Europe/London" });

export function formatDateTime(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : dateTime.format(date);
}

export function formatDate(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : dateOnly.format(date);
}

const partLabels: Record<string, string> = {
  subject: "Subject",
  involved: "Involved",
  "alleged-victim": "Alleged victim",
  "alleged-perpetrator": "Alleged perpetrator",
  witness: "Witness",
};

export function partLabel(part: string): string {
  return partLabels[part] ?? part;
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

const dayNumeric = new Intl.DateTimeFormat("en-GB", { day: "2-digit", month: "2-digit", year: "numeric", timeZone: "Europe/London" });

/** dd/mm/yyyy on the UK calendar (a review at 23:30 UTC in summer is dated the next day, as in school). */
export function formatDayNumeric(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : dayNumeric.format(date);
}
