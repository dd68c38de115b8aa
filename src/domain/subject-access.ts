/**
 * Subject access requests (UK GDPR art. 15): a parent or a pupil asks for the pupil's records.
 * The school answers within one calendar month of receiving the request, extendable by two
 * further months for a complex one. Everything here is kept as immutable documents: the request,
 * each extension and each approved pack are written once, never changed; the request's state is
 * read by folding them together.
 */
import { isCalendarDate } from "./school-clock.js";

export const SAR_RELATIONSHIPS = ["parent", "carer", "pupil", "solicitor", "other"] as const;
export type SarRelationship = (typeof SAR_RELATIONSHIPS)[number];

export interface SubjectAccessRequest {
  id: string;
  schoolId: string;
  pupilId: string;
  /** Who asked, as they gave it (the pack goes to them). */
  requester: string;
  relationship: SarRelationship;
  /** The day the school received it (YYYY-MM-DD): the clock starts here. */
  receivedOn: string;
  openedBy: string;
  openedAt: string;
}

export interface SubjectAccessExtension {
  id: string;
  requestId: string;
  schoolId: string;
  pupilId: string;
  reason: string;
  by: string;
  at: string;
}

/** Why text is cut: another pupil's name, a staff name, a person outside the school named in a case entry, or a passage the DSL chose. */
export const REDACTION_REASONS = ["pupil", "staff", "outside", "passage"] as const;
export type RedactionReason = (typeof REDACTION_REASONS)[number];

/** A stretch of a block's original text left out of the pack, and why. */
export interface Redaction {
  blockId: string;
  start: number;
  end: number;
  reason: RedactionReason;
}

/** One passage of the pack as released: its text with every redaction already removed. */
export interface PackBlock {
  id: string;
  heading: string;
  text: string;
}

export interface SubjectAccessPack {
  id: string;
  requestId: string;
  schoolId: string;
  pupilId: string;
  approvedBy: string;
  approvedAt: string;
  blocks: PackBlock[];
  redactions: Redaction[];
  /** The case entries the DSL left out of this pack (absent on packs approved before the choice existed). */
  excludedEntryIds?: string[];
}

/** What the store gives back for one request: the request and everything written after it. */
export interface SubjectAccessRecord {
  request: SubjectAccessRequest;
  extensions: SubjectAccessExtension[];
  packs: SubjectAccessPack[];
}

/**
 * The same day `months` calendar months later; when that month is shorter, its last day
 * (the ICO's reading: received 31 January, due 28 February, or 29th in a leap year).
 */
export function addCalendarMonths(date: string, months: number): string {
  if (!isCalendarDate(date)) throw new RangeError("A calendar date is needed (YYYY-MM-DD).");
  const [y, m, d] = date.split("-").map(Number) as [number, number, number];
  const monthIndex = m - 1 + months;
  const year = y + Math.floor(monthIndex / 12);
  const month = ((monthIndex % 12) + 12) % 12;
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  return `${String(year).padStart(4, "0")}-${String(month + 1).padStart(2, "0")}-${String(Math.min(d, lastDay)).padStart(2, "0")}`;
}

/**
 * One calendar month from receipt; once extended, three months from receipt (the month plus
 * two further months, counted from the day received so a 31st keeps its month-end).
 */
export const sarDeadline = (receivedOn: string, extended: boolean) => addCalendarMonths(receivedOn, extended ? 3 : 1);

/** Whole days from `today` to `deadline` (both YYYY-MM-DD); negative once it has passed. */
export const daysUntil = (today: string, deadline: string) =>
  Math.round((Date.parse(`${deadline}T00:00:00Z`) - Date.parse(`${today}T00:00:00Z`)) / 86_400_000);
