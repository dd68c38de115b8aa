import type { AuditEvent, Incident } from "../domain/incident.js";
import type { Assignee } from "../domain/incident-changes.js";
import type { TaskAction, TaskStatusChange } from "../domain/tasks.js";
import type { StoreVisibility } from "../domain/policy/index.js";

/**
 * The fields of an incident the home's lists show and the access policy decides by, as the record
 * stands now (categories, status and assignee after its latest change); never the account.
 */
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
> & { assignee?: Assignee };

/** Which of a school's incidents to read, by their current state; each is an indexed field, every one given must hold. */
export interface CaseFilter {
  ids?: string[];
  urgent?: boolean;
  /** Only records still open (status "active") now. */
  open?: true;
  recordedFrom?: string;
  recordedBefore?: string;
  /** Assigned now to this member of staff, or to one of these alert groups. */
  assignedTo?: { staffId: string; groupIds: string[] };
  /** Not a record in which this member of staff is the subject of an allegation (no one sees those). */
  notAllegationSubject?: string;
  /** Only records this reader may open, where the policy can say so to the store (home-store-visibility.ts); read by countCases only. */
  visibleTo?: StoreVisibility;
}

/** A page of a list of cases: `list` and `owner` name whose list a continuation may be followed on. */
export interface CaseFactsPageRequest {
  list: string;
  owner: string;
  pageSize: number;
  continuation?: string;
}

/** A page of one of the home's task lists: the same shape as a page of cases (list and owner bind its token). */
export type TaskPageRequest = CaseFactsPageRequest;

/** Which tasks a task list holds: one member of staff's own, or a school's due on or before a date. */
export type TaskSelection = { ownerStaffId: string } | { dueOn: string };

/** Tasks (actions with an owner and a due date), their done / not done changes, and the home's reads. */
export interface TaskRecords {
  /**
   * Stores a task status change with its audit event, atomically (the incident's partition). The id
   * follows from the version it was made on, so a second writer on that version gets `created: false`.
   */
  addTaskStatus(status: TaskStatusChange, audit: AuditEvent): Promise<{ created: boolean }>;
  /**
   * The overdue alert takes the task's `version` (the number of status changes it read) before it
   * is sent. A status change on that version takes the same slot: whichever comes first is stored.
   * True when the overdue alert holds it (this or another channel's message of the same alert);
   * false when a status change took it first, so the task must be read again.
   */
  claimTaskOverdue(task: { actionId: string; pupilId: string; schoolId: string }, version: number): Promise<boolean>;
  /** A task's status changes, oldest first. */
  taskStatusesForAction(actionId: string, pupilId: string): Promise<TaskStatusChange[]>;
  /** Tasks owned by a member of staff (across pupils, by the owner field), at most `limit`. */
  tasksOwnedBy(schoolId: string, staffId: string, limit: number): Promise<TaskAction[]>;
  /** A school's tasks due on or before a date (done or not), at most `limit`. */
  tasksDueBy(schoolId: string, dueOn: string, limit: number): Promise<TaskAction[]>;
  /**
   * One page of a task list (`tasksOwnedBy` or `tasksDueBy`), newest set first, past
   * `page.continuation` (a token made for the same `page.list` and `page.owner`, else a ValidationError).
   */
  tasksPage(schoolId: string, which: TaskSelection, page: TaskPageRequest): Promise<{ tasks: TaskAction[]; continuation?: string }>;
  /** The status changes of the given tasks. */
  taskStatusesOf(schoolId: string, actionIds: string[]): Promise<TaskStatusChange[]>;
  /** Incidents of a school matching the filter as they stand now, with only the fields a list needs, newest first, at most `limit`. */
  caseFacts(schoolId: string, filter: CaseFilter, limit: number): Promise<CaseFact[]>;
  /**
   * One page of `caseFacts`, newest first, past `page.continuation` (a token made for the same
   * `page.list` and `page.owner`, else a ValidationError naming the continuation).
   */
  caseFactsPage(schoolId: string, filter: CaseFilter, page: CaseFactsPageRequest): Promise<{ facts: CaseFact[]; continuation?: string }>;
  /** How many incidents of a school match the filter as they stand now, counted in the store (no record is read). */
  countCases(schoolId: string, filter: CaseFilter): Promise<number>;
  /**
   * Puts back the current-state documents the home reads that are missing or have drifted from
   * their incident and its latest change. A whole-school read: a job, never a page load.
   */
  rebuildCaseFacts(schoolId: string): Promise<{ checked: number; rebuilt: number }>;
  /** How many alerts to this member of staff are not yet marked as read, counted in the store (no alert is read). */
  countUnreadAlerts(staffId: string): Promise<number>;
  /** Incidents with an alert to this member of staff not yet marked as read (read alerts are not read). */
  unreadAlertIncidents(schoolId: string, staffId: string): Promise<string[]>;
  /** Incidents with an alert Graph refused or that ran out of tries (dead letters). */
  deadLetterIncidents(schoolId: string): Promise<string[]>;
}
