import type { AuditEvent, Incident, IncidentStatus } from "../domain/incident.js";
import type { IncidentState } from "../domain/incident-changes.js";
import type { TaskAction, TaskStatusChange } from "../domain/tasks.js";

/** The fields of an incident the home's lists show and the access policy decides by; never the account. */
export type CaseFact = Pick<
  Incident,
  | "id"
  | "schoolId"
  | "pupilId"
  | "reference"
  | "categoryIds"
  | "occurredAt"
  | "recordedAt"
  | "urgent"
  | "status"
  | "alertedStaffIds"
  | "allegationSubjectStaffIds"
  | "assignedToStaffId"
  | "raisedBy"
>;

/** Which of a school's incidents to read; each is an indexed field, every one given must hold. */
export interface CaseFilter {
  ids?: string[];
  urgent?: boolean;
  recordedFrom?: string;
  recordedBefore?: string;
  assignedToStaffId?: string;
}

/** Tasks (actions with an owner and a due date), their done / not done changes, and the home's reads. */
export interface TaskRecords {
  /**
   * Stores a task status change with its audit event, atomically (the incident's partition). The id
   * follows from the version it was made on, so a second writer on that version gets `created: false`.
   */
  addTaskStatus(status: TaskStatusChange, audit: AuditEvent): Promise<{ created: boolean }>;
  /** A task's status changes, oldest first. */
  taskStatusesForAction(actionId: string, pupilId: string): Promise<TaskStatusChange[]>;
  /** Tasks owned by a member of staff (across pupils, by the owner field), at most `limit`. */
  tasksOwnedBy(schoolId: string, staffId: string, limit: number): Promise<TaskAction[]>;
  /** A school's tasks due on or before a date (done or not), at most `limit`. */
  tasksDueBy(schoolId: string, dueOn: string, limit: number): Promise<TaskAction[]>;
  /** The status changes of the given tasks. */
  taskStatusesOf(schoolId: string, actionIds: string[]): Promise<TaskStatusChange[]>;
  /** Incidents of a school matching the filter, with only the fields a list needs, at most `limit`. */
  caseFacts(schoolId: string, filter: CaseFilter, limit: number): Promise<CaseFact[]>;
  /** Each changed record's state after its latest change, by incident id. */
  latestStates(schoolId: string): Promise<Map<string, IncidentState & { status: IncidentStatus }>>;
  /** Incidents with an alert to this member of staff not yet marked as read. */
  unreadAlertIncidents(schoolId: string, staffId: string): Promise<string[]>;
  /** Incidents with an alert Graph refused or that ran out of tries (dead letters). */
  deadLetterIncidents(schoolId: string): Promise<string[]>;
}
