/**
 * What a report may count in the store, without reading each record. canViewIncident decides one
 * record at a time; a report over a school's year cannot afford that, so the decision is split in
 * two exact parts (test/domain/report-count-rule.test.ts proves both):
 * - the rule: records the reader may open whatever their own links to them, expressed as plain
 *   data the store turns into its WHERE clause and counts per group (GROUP BY);
 * - the linked: any other record the reader could still open only through a link of their own
 *   (they raised it, were alerted to it, are tagged in it, or it is an allegation they receive).
 *   Those are few, so they are read and each decided by canViewIncident itself.
 * A record passes the rule only if canViewIncident lets the reader open it; a record the reader
 * may open either passes the rule or is a linked candidate. So the counts are exactly those of
 * the records the reader could open, and no record is counted twice (the linked are outside it).
 */
import type { Actor } from "../actor.js";
import type { Category } from "../categories.js";
import { isAllegation, isAllegationSubject, type IncidentAccessFacts } from "./incident.js";
import { isSafeguardingLead } from "./roles.js";

export interface ReportCountRule {
  /** Never counted: an allegation naming the reader (they never see it, whatever their role). */
  readerStaffId: string;
  /** Whether allegations about adults count under the rule (the safeguarding team's) or only as linked. */
  allegations: boolean;
  /** Records with any of these categories count only as linked (SLT: the protected categories). */
  withoutCategoryIds: string[];
  /** Only these pupils' records count under the rule (a scoped senior leader), or every pupil's. */
  pupilIds?: string[];
  /** Whether any record outside the rule could still be opened through a link (false for the safeguarding team). */
  linksMatter: boolean;
}

/** The rule for a reader of reports (DSLs, deputies, SLT: assertCanViewReports has passed). */
export function reportCountRule(actor: Pick<Actor, "staffId" | "role" | "scopePupilIds">, categories: readonly Category[]): ReportCountRule {
  // The safeguarding team opens every record but an allegation about themselves, and a link never opens that.
  if (isSafeguardingLead(actor.role)) return { readerStaffId: actor.staffId, allegations: true, withoutCategoryIds: [], linksMatter: false };
  return {
    readerStaffId: actor.staffId,
    allegations: false,
    withoutCategoryIds: categories.filter((c) => c.protected).map((c) => c.id),
    ...(actor.scopePupilIds ? { pupilIds: [...actor.scopePupilIds].sort() } : {}),
    linksMatter: true,
  };
}

/** The rule as the store applies it, for one record (what the store's WHERE clause must agree with). */
export function passesReportCountRule(
  rule: ReportCountRule,
  incident: Pick<IncidentAccessFacts, "categoryIds" | "pupilId" | "allegationSubjectStaffIds">,
): boolean {
  if (isAllegationSubject({ staffId: rule.readerStaffId }, incident)) return false;
  if (!rule.allegations && isAllegation(incident)) return false;
  if (incident.categoryIds.some((id) => rule.withoutCategoryIds.includes(id))) return false;
  return !rule.pupilIds || (incident.pupilId !== undefined && rule.pupilIds.includes(incident.pupilId));
}

/**
 * Outside the rule, whether the reader might still open the record through a link of their own:
 * only these are read and decided one by one (taggedIds: the incidents the reader is tagged in).
 */
export function mayOpenThroughLink(rule: ReportCountRule, incident: IncidentAccessFacts & { id: string }, taggedIds: ReadonlySet<string>): boolean {
  if (!rule.linksMatter) return false;
  return (
    incident.raisedBy.staffId === rule.readerStaffId ||
    incident.alertedStaffIds.includes(rule.readerStaffId) ||
    taggedIds.has(incident.id) ||
    isAllegation(incident)
  );
}
