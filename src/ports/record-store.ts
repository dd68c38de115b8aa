import type {
  Alert,
  AuditEvent,
  ChronologyEntry,
  Incident,
  IncidentAction,
  OutboxMessage,
  PupilPart,
} from "../domain/incident.js";

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

/**
 * The few fields of an incident a report counts by, and the facts the access policy needs to
 * decide whether the reader may open it; never the account, files or body map.
 */
export type ReportFact = Pick<
  Incident,
  "id" | "pupilId" | "categoryIds" | "subCategoryIds" | "occurredAt" | "dayOfWeek" | "session" | "location" | "status" | "alertedStaffIds" | "allegationSubjectStaffIds"
> & { raisedBy: { staffId: string } };

export interface NewIncidentWrite {
  incident: Incident;
  alerts: Alert[];
  outbox: OutboxMessage[];
  audit: AuditEvent;
  links: IncidentLink[];
}

/**
 * Incidents and everything hung off them. There is deliberately no way to update an
 * incident's account: an incident is created once and only actions, alerts and audit follow.
 */
export interface RecordStore {
  /**
   * Stores the incident with its alerts, outbox and audit atomically (one partition) and then its
   * links. Idempotent on `incident.submissionId`: a second call returns the incident stored first
   * and `created: false`.
   */
  createIncident(write: NewIncidentWrite): Promise<{ created: boolean; incident: Incident }>;
  /** Finds the incident stored for a form submission, if any. */
  findBySubmission(submissionId: string): Promise<Incident | undefined>;
  getIncident(incidentId: string): Promise<Incident | undefined>;
  /** A pupil's chronology, newest first: incidents stored for them and links to others' incidents. */
  chronology(pupilId: string): Promise<ChronologyEntry[]>;
  alertsForIncident(incidentId: string, pupilId: string): Promise<Alert[]>;
  /** Records the acknowledgement and its audit event together. Acknowledging twice keeps the first time. */
  acknowledgeAlert(alert: Alert, at: string, audit: AuditEvent): Promise<Alert>;
  /**
   * Stores an action with its audit event and the alerts for the staff tagged in it, atomically
   * (the incident's partition). Idempotent on `action.id`: a second call stores nothing and returns
   * the action stored first with `created: false`.
   */
  addAction(action: IncidentAction, audit: AuditEvent, outbox?: OutboxMessage[]): Promise<{ created: boolean; action: IncidentAction }>;
  actionsForIncident(incidentId: string, pupilId: string): Promise<IncidentAction[]>;
  appendAudit(event: AuditEvent): Promise<void>;
  /** The report facts of a school's incidents that happened in [from, to), read by the store with only those fields. */
  reportFacts(schoolId: string, from: string, to: string): Promise<ReportFact[]>;
  /** Ids of the incidents with an action tagging this member of staff (being tagged opens an incident). */
  incidentsTagging(staffId: string): Promise<string[]>;
  auditForPupil(pupilId: string): Promise<AuditEvent[]>;
  /** Outbox messages due at `now`, oldest first. */
  dueOutbox(now: string, limit: number): Promise<OutboxMessage[]>;
  /**
   * Claims a message for sending with optimistic concurrency so two dispatchers never both send it.
   * Returns false when another dispatcher changed it first.
   */
  claimOutbox(message: OutboxMessage, leaseUntil: string): Promise<OutboxMessage | undefined>;
  saveOutbox(message: OutboxMessage): Promise<void>;
  outboxForIncident(incidentId: string, pupilId: string): Promise<OutboxMessage[]>;
}
