import type { Alert, AuditEvent, ChronologyEntry, Incident, IncidentAction, OutboxMessage, PupilPart } from "../domain/incident.js";
import type { IncidentChange } from "../domain/incident-changes.js";
import type { TaskRecords } from "./task-store.js";
import type { CaseEntry } from "../domain/case-entries.js";
import type { EarlyWarningCheck } from "../domain/early-warning-check.js";
import type { ReportCountRule } from "../domain/policy/report-counts.js";

/** A linked pupil's pointer to an incident held in another pupil's chronology. */
export interface IncidentLink {
  incidentId: string;
  /** The pupil whose chronology shows the link. */
  pupilId: string;
  /** Where the incident itself is stored. */
  incidentPupilId: string;
  part: PupilPart;
  entry: ChronologyEntry;
}

/** One page of a pupil's chronology: its entries newest first, with their incidents' actions and alerts. */
export interface ChronologyPage {
  entries: ChronologyEntry[];
  /** Actions and alerts of the page's incidents, wherever each incident is stored. */
  actions: IncidentAction[];
  alerts: Alert[];
  /** Changes made after submission (re-categorised, assigned, closed...), oldest first. */
  changes: IncidentChange[];
  /** The page's chronology entries that are not concerns (referrals, meetings...), in the same time order. */
  caseEntries: CaseEntry[];
  /** Opaque; given back to read the next page. Absent when nothing remains. */
  continuation?: string;
}

export interface PageRequest {
  pageSize: number;
  continuation?: string;
}

/** Whose audit trail: a pupil's (their partition), or what a member of staff did across the school. */
export type AuditScope = { pupilId: string } | { schoolId: string; staffId: string };

/**
 * The few fields of an incident a report counts by, and the facts the access policy needs to
 * decide whether the reader may open it; never the account, files or body map.
 */
export type ReportFact = Pick<
  Incident,
  | "id"
  | "pupilId"
  | "categoryIds"
  | "subCategoryIds"
  | "occurredAt"
  | "dayOfWeek"
  | "session"
  | "location"
  | "status"
  | "alertedStaffIds"
  | "allegationSubjectStaffIds"
> & { raisedBy: { staffId: string } };

/** What a report asks the store to count (cosmos-report-counts.ts). */
export interface ReportCountQuery {
  schoolId: string;
  /** The first instant of the period and the first after it. */
  from: string;
  until: string;
  rule: ReportCountRule;
  /** Only records with any of these categories. */
  categoryIds?: string[];
  /** Only these pupils' records (the year group and pupil group filters, resolved on the roll). */
  pupilIds?: string[];
  /** Counted per value of each: the UTC hour or minute it happened ("2026-09-01T09"), a field, or each category or sub-category. */
  groupings: ReportStoreGrouping[];
  /**
   * Instants (ascending, inside the period) that cut it into parts: every count is then also per
   * part, 0 before the first cut, 1 from it, and so on (a year's terms, and the period before).
   */
  splitAt?: string[];
}

export type ReportStoreGrouping = "hour" | "minute" | "dayOfWeek" | "session" | "location" | "category" | "subCategory";

export interface ReportCounts {
  byPupil: { pupilId: string; status: "active" | "closed"; count: number; part?: number }[];
  /** Per grouping asked, per value; a record without the field counts in the group with no value. */
  groups: { value?: string; count: number; part?: number }[][];
}

export interface NewIncidentWrite {
  incident: Incident;
  alerts: Alert[];
  outbox: OutboxMessage[];
  audit: AuditEvent;
  links: IncidentLink[];
  /** Stored in the incident's batch, so early warning looks at its pupil even after a crash (early-warning-check.ts). */
  earlyWarningCheck?: EarlyWarningCheck;
}

/**
 * Incidents and everything hung off them. There is deliberately no way to update an
 * incident's account: an incident is created once and only actions, alerts and audit follow.
 */
export interface RecordStore extends TaskRecords {
  /**
   * Stores the incident with its alerts, outbox and audit atomically (one partition) and then its
   * links. Idempotent on `incident.submissionId`: a second call returns the incident stored first
   * and `created: false`.
   */
  createIncident(write: NewIncidentWrite): Promise<{ created: boolean; incident: Incident }>;
  /** Finds the incident stored for a form submission, if any. */
  findBySubmission(submissionId: string): Promise<Incident | undefined>;
  getIncident(incidentId: string): Promise<Incident | undefined>;
  /**
   * The pupils of the incidents a member of staff raised, newest first, at most `limit` incidents
   * (a pupil can repeat). Only the pupil ids leave the store: the form's "recent pupils" choices.
   */
  recentPupilIdsRaisedBy(schoolId: string, staffId: string, limit: number): Promise<string[]>;
  /** A pupil's chronology, newest first: incidents stored for them and links to others' incidents. */
  chronology(pupilId: string): Promise<ChronologyEntry[]>;
  /**
   * A page of the chronology with everything its rows need, in a bounded number of queries
   * whatever the page holds: the entries, their actions and alerts in the pupil's partition, and
   * those of linked incidents stored under other pupils. A continuation not made by this store for
   * this pupil is refused as a ValidationError.
   */
  chronologyPage(pupilId: string, page: PageRequest): Promise<ChronologyPage>;
  /** An incident's actions (by when they happened) and alerts, in one query over its partition. */
  incidentRecords(incidentId: string, pupilId: string): Promise<{ actions: IncidentAction[]; alerts: Alert[] }>;
  /**
   * The given incidents (each named with the pupil it is stored under) and all their actions, in one
   * query per kind whatever their number: an export of a long chronology reads in two queries.
   */
  incidentsWithActions(
    refs: readonly { incidentId: string; incidentPupilId: string }[],
  ): Promise<{ incidents: Incident[]; actions: IncidentAction[] }>;
  alertsForIncident(incidentId: string, pupilId: string): Promise<Alert[]>;
  /** Records the acknowledgement and its audit event together. Acknowledging twice keeps the first time. */
  /** The first acknowledgement stands; `outbox` (in the alert's partition) is written with it, never with a repeat. */
  acknowledgeAlert(alert: Alert, at: string, audit: AuditEvent, outbox?: OutboxMessage[]): Promise<Alert>;
  /**
   * Stores an action with its audit event (or events: a decision about several people audits each)
   * and the alerts for the staff tagged in it, atomically
   * (the incident's partition). Idempotent on `action.id`: a second call stores nothing and returns
   * the action stored first with `created: false`.
   */
  addAction(
    action: IncidentAction,
    audit: AuditEvent | readonly AuditEvent[],
    outbox?: OutboxMessage[],
  ): Promise<{ created: boolean; action: IncidentAction }>;
  /**
   * Stores a change to a record with its audit event and any alerts, atomically (the incident's
   * partition). The change id is derived from the version it was made on, so a second writer on
   * the same version stores nothing and gets `created: false`: the caller answers it as stale.
   */
  addChange(change: IncidentChange, audit: AuditEvent, outbox?: OutboxMessage[]): Promise<{ created: boolean }>;
  /** A record's changes, oldest first. */
  changesForIncident(incidentId: string, pupilId: string): Promise<IncidentChange[]>;
  actionsForIncident(incidentId: string, pupilId: string): Promise<IncidentAction[]>;
  /**
   * The incidents a member of staff raised, was alerted to or was tagged in (an action), newest
   * recorded first, at most `limit`. Read across pupils by those fields, never by scanning pupils.
   */
  incidentsForStaff(schoolId: string, staffId: string, limit: number): Promise<Incident[]>;
  /**
   * The same, a page at a time: at most `pageSize`, and a continuation while more remain. A
   * continuation not made by this store for this member of staff's list is refused as a ValidationError.
   */
  incidentsForStaffPage(schoolId: string, staffId: string, page: PageRequest): Promise<{ incidents: Incident[]; continuation?: string }>;
  /**
   * Audit is append-only: there is deliberately no way to change or delete an event (a test of this
   * interface holds it to that).
   */
  appendAudit(event: AuditEvent): Promise<void>;
  /**
   * A report's counts, made by the store over the school's records as they stand now, in
   * [from, until), under the reader's count rule: per pupil and status, and per value of `groupBy`.
   */
  reportCounts(q: ReportCountQuery): Promise<ReportCounts>;
  /** The records outside the rule the reader might open through a link (raised, alerted, tagged, allegation), counted fields only. */
  reportLinkedFacts(q: ReportCountQuery, taggedIds: readonly string[]): Promise<ReportFact[]>;
  /** Ids of the incidents with an action tagging this member of staff (being tagged opens an incident). */
  incidentsTagging(staffId: string): Promise<string[]>;
  auditForPupil(pupilId: string): Promise<AuditEvent[]>;
  /** What a member of staff did (as the actor), newest first, at most `limit`. */
  auditForStaff(schoolId: string, staffId: string, limit: number): Promise<AuditEvent[]>;
  /** A page of a pupil's or a member of staff's audit trail, newest first; a continuation while more remain (checked as above). */
  auditPage(scope: AuditScope, page: PageRequest): Promise<{ events: AuditEvent[]; continuation?: string }>;
  /** Outbox messages due at `now`, oldest first. */
  dueOutbox(now: string, limit: number): Promise<OutboxMessage[]>;
  /**
   * Claims a message for sending with optimistic concurrency so two dispatchers never both send it.
   * Returns false when another dispatcher changed it first.
   */
  /**
   * Takes the message until leaseUntil, or answers undefined when it is not (or no longer) due.
   * claimToken is written with the lease, so a claim whose answer was lost is recognised as ours.
   */
  claimOutbox(message: OutboxMessage, leaseUntil: string, claimToken: string): Promise<OutboxMessage | undefined>;
  saveOutbox(message: OutboxMessage): Promise<void>;
  /** A school's overdue alerts for tasks that no dispatcher has tried or claimed yet, by id after `afterId`, at most `limit`. */
  untriedTaskOverdues(schoolId: string, afterId: string | undefined, limit: number): Promise<OutboxMessage[]>;
  /** Moves a pending message (as it was read) to wait until `at`; false when it changed since it was read, and was left. */
  moveOutbox(message: OutboxMessage, at: string): Promise<boolean>;
  outboxForIncident(incidentId: string, pupilId: string): Promise<OutboxMessage[]>;
}
