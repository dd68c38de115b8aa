import type { BodyMap } from "./body-map.js";
import type { DraftFile } from "./files.js";
import type { Session } from "./school.js";
import type { ActionTask } from "./tasks.js";

export type PupilPart = "subject" | "involved" | "alleged-victim" | "alleged-perpetrator" | "witness";

/** The parts a linked pupil can have; each linked pupil has their own, so a victim and a perpetrator never share a label. */
export const LINKED_PARTS = ["involved", "alleged-victim", "alleged-perpetrator", "witness"] as const;
export type LinkedPart = (typeof LINKED_PARTS)[number];

export const PART_LABELS: Record<PupilPart, string> = {
  subject: "Subject of the record",
  involved: "Involved",
  "alleged-victim": "Alleged victim",
  "alleged-perpetrator": "Alleged perpetrator",
  witness: "Witness",
};

export const INCIDENT_STATUSES = ["active", "closed"] as const;
/** The kinds of row a pupil's chronology shows (and a DSL can filter it by). */
export const CHRONOLOGY_ROW_KINDS = ["incident", "action", "change", "case-entry"] as const;
export type ChronologyRowKind = (typeof CHRONOLOGY_ROW_KINDS)[number];
export type IncidentStatus = (typeof INCIDENT_STATUSES)[number];

/** A category's own fields as filled in: multi-selects hold the chosen options, text fields a string. */
export type CategoryFieldValues = Record<string, Record<string, string | string[]>>;

export interface PlannerReminder {
  /** The school's wall-clock date (YYYY-MM-DD) and time (HH:mm). */
  date: string;
  time: string;
  note: string;
}

/** A file kept with an incident: the metadata of its draft file, fixed when the incident is stored. */
export type IncidentFile = DraftFile;

/** Where a concern recorded from a Teams message came from; the message's words are only what went into the account. */
export interface IncidentOrigin {
  kind: "teams-message";
  messageId?: string;
  /** The message author's display name as Teams gave it. */
  sender?: string;
  sentAt?: string;
}

export interface StaffRef {
  staffId: string;
  name: string;
}

/**
 * An incident as submitted. It is never edited after it is stored: corrections, follow-ups and
 * re-categorisations are separate records (actions, audited category changes).
 */
export interface Incident {
  id: string;
  schoolId: string;
  /** A short reference staff can quote ("KS-7K2M9Q"). */
  reference: string;
  /** The pupil whose chronology holds the record (partition key of the record store). */
  pupilId: string;
  linkedPupils: { pupilId: string; part: LinkedPart }[];
  /** The form instance's id, which makes submission idempotent. */
  submissionId: string;
  categoryIds: string[];
  subCategoryIds: string[];
  /** Category id -> field id -> value, checked against the school's Category.fields (absent on older records). */
  categoryFields?: CategoryFieldValues;
  occurredAt: string;
  /** "Monday" etc., of occurredAt in the school's time zone; stored for reports by day of the week. */
  dayOfWeek?: string;
  session?: Session;
  location?: string;
  account: string;
  raisedBy: StaffRef;
  recordedAt: string;
  alertedStaffIds: string[];
  /**
   * Alerts chosen at submit on a protected record by someone other than a DSL, to people who could
   * not see it otherwise: held for the DSLs to approve (policy.splitAlerts). Not alerted, no access until then.
   */
  pendingAlertStaffIds?: string[];
  /** Set when the raiser said a child disclosed something to them. */
  disclosure?: boolean;
  /** Asked of non-DSLs raising a disclosure or a protected category: had they told a DSL in person? */
  toldDslInPerson?: boolean;
  /** True when a DSL has not yet been told in person; the alert says URGENT. */
  urgent: boolean;
  status: IncidentStatus;
  /** A DSL, deputy or SLT member who takes the record on. */
  assignedToStaffId?: string;
  agencyInvolved?: string;
  /** A reminder for the person who raised it (the "add to planner" box). */
  plannerReminder?: PlannerReminder;
  source: "bot" | "message-extension" | "tab" | "import";
  /** Staff an allegation is about (issue: allegations against staff); they never see or hear of it. */
  allegationSubjectStaffIds?: string[];
  /** The body map drawn on the form (its draft), stored with the incident and never changed. */
  bodyMap?: BodyMap;
  /** Files uploaded to the form and finished before it was submitted; the bytes are in blob storage under `key`. */
  files?: IncidentFile[];
  /** Set when the concern was recorded from a Teams message (the message extension). */
  origin?: IncidentOrigin;
}

/** What a pupil's chronology shows for one entry; no more than a reader of that row needs. */
export interface ChronologyEntry {
  kind: "incident" | "action";
  incidentId: string;
  actionId?: string;
  reference: string;
  pupilId: string;
  /** The pupil under whom the incident itself is stored (differs for linked pupils). */
  incidentPupilId: string;
  part: PupilPart;
  occurredAt: string;
  recordedAt: string;
  categoryIds: string[];
  raisedBy: StaffRef;
  summary: string;
  status: "active" | "closed";
  /** The raiser had not told a DSL in person (absent on entries written before it was kept). */
  urgent?: boolean;
  /** Copied from the incident so the access policy can be applied to each row. */
  alertedStaffIds: string[];
  allegationSubjectStaffIds?: string[];
}

export interface Alert {
  id: string;
  incidentId: string;
  pupilId: string;
  staffId: string;
  urgent: boolean;
  createdAt: string;
  acknowledgedAt?: string;
}

export const ACTION_KINDS = ["action", "correction"] as const;
/** A follow-up ("action") or a correction of the incident, which itself is never edited. */
export type ActionKind = (typeof ACTION_KINDS)[number];

export interface IncidentAction {
  id: string;
  incidentId: string;
  pupilId: string;
  schoolId?: string;
  /** Absent on older records: an action. */
  kind?: ActionKind;
  /** The form instance's id, which makes adding idempotent (the action id is derived from it). */
  requestId?: string;
  text: string;
  occurredAt: string;
  recordedAt: string;
  recordedBy: StaffRef;
  taggedStaffIds: string[];
  /**
   * Tags on a protected record by someone other than a DSL, of people who could not see it
   * otherwise: kept for the DSLs to approve (policy.splitTags). Not alerted, no access until then.
   */
  pendingTaggedStaffIds?: string[];
  /**
   * On a DSL's decision about held tags or alerts: those declined, because a tag can never open
   * the record to them (an allegation about an adult who works here). No longer waiting; never alerted.
   */
  declinedStaffIds?: string[];
  /** Set when the action is a task: its owner and due date (done or not is kept in task status changes, tasks.ts). */
  task?: ActionTask;
}

export type AuditEventType =
  | "incident.recorded"
  | "incident.viewed"
  | "chronology.viewed"
  | "alert.acknowledged"
  /** A DSL's decision declined an alert held at submit (one event per person; the reason as a code). */
  | "alert.declined"
  | "action.added"
  | "incident.recategorised"
  | "incident.assigned"
  | "incident.closed"
  | "incident.reopened"
  | "incident.no-further-action"
  | "school.imported"
  /** A referral, outcome, decision not to refer, meeting, call, disclosure or document added to a chronology (case-entries.ts). */
  | "case-entry.recorded"
  /** The overdue job alerted the DSLs that a referral has had no outcome. */
  | "referral.overdue-alerted"
  /** The deadline job alerted the safeguarding team that a subject access deadline is near, today or past. */
  | "subject-access.deadline-alerted"
  /** Concerns about a pupil built up past a school rule and the DSLs were alerted (early-warning.ts). */
  | "early-warning.fired"
  | "early-warning.reviewed"
  | "early-warning.listed"
  | "file.downloaded"
  /** The clean-up deleted uploads no stored record holds (orphan-upload-job.ts); counts only. */
  | "files.orphans-cleaned"
  | "concerns.listed"
  /** Lists that name pupils and categories: My actions, a home page's list, the subject access requests. */
  | "actions.listed"
  | "home.listed"
  | "subject-access.listed"
  | "audit.viewed"
  | "audit.exported"
  /** A pupil's chronology exported as a PDF (for a conference or core group), watermarked with who and when. */
  | "chronology.exported"
  /** Subject access requests: opened, extended, previewed, a pack approved (kept), a pack exported as PDF. */
  | "subject-access.opened"
  | "subject-access.extended"
  | "subject-access.previewed"
  | "subject-access.approved"
  | "subject-access.exported"
  /** The governors' and Ofsted summary exported as a PDF (counts only; no pupil). */
  | "summary.exported"
  /** An incident report opened or downloaded as CSV, with its filters (report-view-audit.ts). */
  | "report.viewed"
  /** The governors' and Ofsted summary opened in the tab. */
  | "summary.viewed"
  /** Someone asked for a record they may not see; they were answered as if it did not exist. */
  | "access.refused"
  /** A task (an action with an owner and a due date) marked done or not done. */
  | "task.marked";

/** Where an audited request came from. Events stored before this was kept have none. */
export const AUDIT_SOURCES = ["bot", "tab", "cli", "job"] as const;
export type AuditSource = (typeof AUDIT_SOURCES)[number];
export type AuditOutcome = "allowed" | "refused";

export interface AuditEvent {
  id: string;
  schoolId: string;
  pupilId?: string;
  incidentId?: string;
  type: AuditEventType;
  actorStaffId: string;
  at: string;
  /** Non-personal detail only (ids, counts, category ids). */
  detail?: Record<string, string | number | boolean | string[]>;
  /** From where: bot, tab, cli or job (absent on events stored before it was kept). */
  via?: AuditSource;
  /** Absent on older events: read them with auditOutcome(). */
  outcome?: AuditOutcome;
}

/** An event's outcome, also for events stored before the outcome was kept (a refusal is its own type). */
export const auditOutcome = (e: Pick<AuditEvent, "type" | "outcome">): AuditOutcome =>
  e.outcome ?? (e.type === "access.refused" ? "refused" : "allowed");

export type AlertChannel = "activity-feed" | "email";

/**
 * A notification waiting to be sent, written in the same transaction as its incident so a Graph
 * outage never loses it; the dispatcher marks it sent so a restart never sends it twice.
 */
export interface OutboxMessage {
  id: string;
  schoolId: string;
  pupilId: string;
  incidentId: string;
  /** Set when the alert is for an action the recipient was tagged in, rather than the incident. */
  actionId?: string;
  /** Set when the alert is for a change to the record (incident-changes.ts): assigned or re-assigned to the recipient. */
  changeId?: string;
  assignment?: "assigned" | "reassigned";
  /** Set on a planner reminder to the person who set it, due at the time they chose. */
  reminder?: true;
  /** Set on the note to the raiser that the safeguarding team has read their concern (school setup tellRaiserWhenRead). */
  readByTeam?: true;
  /** Set on a task's alerts to its owner: given to them, or past its due date (tasks.ts). */
  task?: "assigned" | "overdue";
  /** Set on a referral's overdue alert to the DSLs (referral-overdue-job.ts); incidentId then holds the referral's id. */
  referralOverdue?: true;
  /** Set on a subject access deadline alert to the team (subject-access-deadline-job.ts); incidentId then holds the request's id. */
  subjectAccessDue?: true;
  /** Set on the early-warning alert to the DSLs (early-warning.ts); incidentId then holds the firing's id. */
  earlyWarning?: true;
  recipientStaffId: string;
  channel: AlertChannel;
  /** "cancelled": no longer wanted when its time came (a task done before it was overdue). */
  status: "pending" | "sent" | "failed" | "cancelled";
  attempts: number;
  nextAttemptAt: string;
  lastError?: string;
  sentAt?: string;
  /** Written with each claim's lease by the dispatcher that holds it (cosmos-outbox-claim.ts). */
  claimToken?: string;
  /** The notification's text, already free of personal data (see alert-content.ts). */
  content: { subject: string; preview: string; deepLinkSubEntityId: string; urgent: boolean };
}

const SUMMARY_LENGTH = 160;

/** The row a pupil's chronology shows for an incident, from that pupil's point of view. */
export function toChronologyEntry(incident: Incident, pupilId: string): ChronologyEntry {
  const part: PupilPart = pupilId === incident.pupilId ? "subject" : (incident.linkedPupils.find((l) => l.pupilId === pupilId)?.part ?? "involved");
  const summary = incident.account.length > SUMMARY_LENGTH ? `${incident.account.slice(0, SUMMARY_LENGTH - 1)}…` : incident.account;
  return {
    kind: "incident",
    incidentId: incident.id,
    reference: incident.reference,
    pupilId,
    incidentPupilId: incident.pupilId,
    part,
    occurredAt: incident.occurredAt,
    recordedAt: incident.recordedAt,
    categoryIds: incident.categoryIds,
    raisedBy: incident.raisedBy,
    summary,
    status: incident.status,
    urgent: incident.urgent,
    alertedStaffIds: incident.alertedStaffIds,
    allegationSubjectStaffIds: incident.allegationSubjectStaffIds,
  };
}
