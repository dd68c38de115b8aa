/**
 * What the tab API answers, as zod schemas: the one description of each response, used by the
 * server (its views are typed from these), the tab's API client (which parses every answer with
 * them), the tests' stand-in API, and the generated OpenAPI document.
 * zod/mini rather than classic zod: the tab bundles these, and mini costs it 18 KB, not 450 KB.
 */
import * as z from "zod/mini";
import { ACTION_KINDS, CHRONOLOGY_ROW_KINDS, INCIDENT_STATUSES } from "../domain/incident.js";
import { CHANGE_KINDS } from "../domain/incident-changes.js";
import { CASE_ENTRY_KINDS } from "../domain/case-entries.js";
import { ROLES } from "../domain/roles.js";
import { PUPIL_FLAGS } from "../domain/school.js";
import { BODY_SIDES } from "../domain/body-map.js";

export const roleSchema = z.enum(ROLES);
export const partSchema = z.enum(["subject", "involved", "alleged-victim", "alleged-perpetrator", "witness"]);
export const statusSchema = z.enum(INCIDENT_STATUSES);
export const actionKindSchema = z.enum(ACTION_KINDS);

export const staffRefSchema = z.object({ staffId: z.string(), name: z.string() });

export const meSchema = z.object({
  staffId: z.string(),
  name: z.string(),
  role: roleSchema,
  mfa: z.boolean(),
  school: z.object({ id: z.string(), name: z.string() }),
  /** Minutes without input after which the tab blanks itself (the school's setting). */
  idleHideMinutes: z.number(),
});

/** A pupil as a search result or a record's header; `flags` holds only what the reader's role may know. */
export const pupilSummarySchema = z.object({
  id: z.string(),
  displayName: z.string(),
  yearGroup: z.string(),
  className: z.string(),
  flags: z.array(z.enum(PUPIL_FLAGS)),
});

export const pupilSearchSchema = z.object({ pupils: z.array(pupilSummarySchema) });

export const incidentFileSchema = z.object({
  fileId: z.string(),
  name: z.string(),
  contentType: z.string(),
  typeLabel: z.string(),
  size: z.number(),
  uploadedBy: staffRefSchema,
  writtenBy: z.optional(z.string()),
  uploadedAt: z.string(),
  downloadUrl: z.string(),
});

export const chronologyRowSchema = z.object({
  /** "case-entry": a referral, meeting, call... not a concern; incidentId is empty and reference is its label. */
  kind: z.enum(CHRONOLOGY_ROW_KINDS),
  incidentId: z.string(),
  reference: z.string(),
  part: partSchema,
  occurredAt: z.string(),
  recordedAt: z.string(),
  categoryIds: z.array(z.string()),
  categoryNames: z.array(z.string()),
  raisedBy: staffRefSchema,
  summary: z.string(),
  status: statusSchema,
  /** Alerts about the incident nobody has marked as read yet ("someone has not read it"). */
  unacknowledgedAlerts: z.int().check(z.minimum(0)),
  /** An alert to the reader themselves is not yet marked as read ("unread by you"). */
  unreadByYou: z.boolean(),
  /** The raiser had not told a DSL in person: the record is urgent. */
  urgent: z.boolean(),
  /** On kind "action" rows: occurredAt, raisedBy and summary are the action's. */
  actionId: z.optional(z.string()),
  actionKind: z.optional(actionKindSchema),
  /** On kind "change" rows (the safeguarding team's only): which change; summary says what it changed and why. */
  changeId: z.optional(z.string()),
  changeKind: z.optional(z.enum(CHANGE_KINDS)),
  /** On kind "case-entry" rows (the safeguarding team's only). */
  caseEntryId: z.optional(z.string()),
  caseEntryKind: z.optional(z.enum(CASE_ENTRY_KINDS)),
  /** On a referral's row: when an answer is expected, whether it is late, and whether the outcome is in. */
  referral: z.optional(z.object({ agencyName: z.string(), dueDate: z.string(), overdue: z.boolean(), outcomeRecorded: z.boolean() })),
  /** On a document's row (and a meeting's with its papers): the file, who uploaded it and when. */
  file: z.optional(incidentFileSchema),
  /** On a document's row: its type from the school's list (letter from social care, CP conference minutes...). */
  documentType: z.optional(z.string()),
});

export const chronologySchema = z.object({
  pupil: z.extend(pupilSummarySchema, { dateOfBirth: z.string() }),
  entries: z.array(chronologyRowSchema),
  /** Opaque: sent back as `continuation` for the next page; absent when there is no more. */
  continuation: z.optional(z.string()),
});

/** "My concerns": what the reader raised, was alerted to or was tagged in, newest recorded first. */
export const myConcernSchema = z.object({
  incidentId: z.string(),
  reference: z.string(),
  pupilId: z.string(),
  pupilName: z.string(),
  occurredAt: z.string(),
  recordedAt: z.string(),
  categoryNames: z.array(z.string()),
  status: statusSchema,
  why: z.array(z.enum(["raised", "alerted", "tagged"])),
});
export const myConcernsSchema = z.object({
  concerns: z.array(myConcernSchema),
  /** More remain past this page (and `continuation` leads to them). */
  truncated: z.boolean(),
  /** Opaque: sent back as `continuation` for the next page; absent when there is no more. */
  continuation: z.optional(z.string()),
});

/** One audit event as the DSL reads it: who, what, when, from where and the outcome; never a record's text. */
export const auditRowSchema = z.object({
  id: z.string(),
  at: z.string(),
  type: z.string(),
  outcome: z.enum(["allowed", "refused"]),
  via: z.string(),
  actorStaffId: z.string(),
  actorName: z.string(),
  pupilId: z.optional(z.string()),
  incidentId: z.optional(z.string()),
  detail: z.string(),
});
export const auditTrailSchema = z.object({
  subject: z.object({ kind: z.enum(["pupil", "staff"]), id: z.string(), name: z.string() }),
  events: z.array(auditRowSchema),
  truncated: z.boolean(),
  /** Opaque: sent back as `continuation` for the next page; absent when there is no more (the CSV has none). */
  continuation: z.optional(z.string()),
});

export const bodyMapMarkSchema = z.object({
  side: z.enum(BODY_SIDES),
  x: z.number(),
  y: z.number(),
  colour: z.optional(z.string()),
  shape: z.optional(z.string()),
  size: z.optional(z.string()),
  note: z.optional(z.string()),
});

/** An action on an incident as its readers see it (only those tagged, its author and DSLs). */
export const actionViewSchema = z.object({
  id: z.string(),
  kind: actionKindSchema,
  text: z.string(),
  occurredAt: z.string(),
  recordedAt: z.string(),
  recordedBy: staffRefSchema,
  taggedStaffIds: z.array(z.string()),
  taggedNames: z.array(z.string()),
  /** Tags waiting for a DSL's approval (a protected record, tagged by someone else); not alerted yet. */
  pendingTaggedStaffIds: z.optional(z.array(z.string())),
  /** On a DSL's decision: held tags or alerts declined (an allegation an approval cannot open). */
  declinedStaffIds: z.optional(z.array(z.string())),
  /** Set when the action is a task (tasks.ts); `version` is what marking it done or not done sends back. */
  task: z.optional(
    z.object({ ownerStaffId: z.string(), ownerName: z.string(), dueOn: z.string(), done: z.boolean(), overdue: z.boolean(), version: z.number() }),
  ),
});

/** The rest of an incident as the form recorded it, joined with names and labels for reading. */
export const incidentDetailFieldsSchema = z.object({
  /** "Monday" etc., in the school's zone. */
  dayOfWeek: z.optional(z.string()),
  sessionLabel: z.optional(z.string()),
  /** Each chosen sub-category with the category it belongs to. */
  subCategories: z.array(z.object({ categoryName: z.string(), name: z.string() })),
  /** A category's own fields, e.g. {label: "De-escalation strategies used", value: "Calm talking, Distraction"}. */
  categoryFields: z.array(z.object({ categoryName: z.string(), label: z.string(), value: z.string() })),
  disclosure: z.boolean(),
  /** Asked of non-DSLs raising a disclosure or a protected category; absent when not asked. */
  toldDslInPerson: z.optional(z.boolean()),
  /** Only for DSL-level readers; the named adults never get this far (the policy refuses them). */
  allegation: z.optional(z.object({ note: z.string() })),
  assignedTo: z.optional(staffRefSchema),
  agencyInvolved: z.optional(z.string()),
  plannerReminder: z.optional(z.object({ date: z.string(), time: z.string(), note: z.string() })),
  /** Recorded from a Teams message (the message extension). */
  origin: z.optional(z.object({ kind: z.literal("teams-message"), sender: z.optional(z.string()), sentAt: z.optional(z.string()) })),
  /** The tab draws it with renderBodyMapSvg, the drawing the body map dialog uses. */
  bodyMap: z.optional(z.object({ marks: z.array(bodyMapMarkSchema), recordedAt: z.string() })),
  files: z.array(incidentFileSchema),
});

const changeStateSchema = z.object({
  categoryNames: z.array(z.string()),
  status: statusSchema,
  assigneeName: z.optional(z.string()),
});
/** One change to a record after submission, with the value before it and the reason. */
export const incidentChangeViewSchema = z.object({
  id: z.string(),
  kind: z.enum(CHANGE_KINDS),
  reason: z.string(),
  decision: z.optional(z.string()),
  at: z.string(),
  by: staffRefSchema,
  before: changeStateSchema,
  after: changeStateSchema,
});
export const incidentChangedSchema = z.object({ change: incidentChangeViewSchema, version: z.int() });

export const incidentViewSchema = z.object({
  incident: z.extend(incidentDetailFieldsSchema, {
    id: z.string(),
    reference: z.string(),
    pupilId: z.string(),
    occurredAt: z.string(),
    recordedAt: z.string(),
    session: z.optional(z.string()),
    location: z.optional(z.string()),
    account: z.string(),
    categoryIds: z.array(z.string()),
    categoryNames: z.array(z.string()),
    subCategoryNames: z.array(z.string()),
    raisedBy: staffRefSchema,
    status: statusSchema,
    urgent: z.boolean(),
    source: z.string(),
    linkedPupils: z.array(z.object({ pupilId: z.string(), displayName: z.string(), part: partSchema, partLabel: z.string() })),
  }),
  pupil: pupilSummarySchema,
  alerts: z.array(z.object({ staffId: z.string(), name: z.string(), acknowledgedAt: z.optional(z.string()) })),
  myAlert: z.optional(z.object({ acknowledgedAt: z.optional(z.string()) })),
  /** Alerts chosen at submit on a protected record by someone other than a DSL, waiting for a DSL's approval; not sent yet. */
  heldAlerts: z.optional(z.array(z.object({ staffId: z.string(), name: z.string() }))),
  /** The actions this reader may see, oldest first by occurredAt. */
  actions: z.array(actionViewSchema),
  /** How many changes the record has had: sent back with a change, so a stale one is refused (409). */
  version: z.optional(z.int()),
  /** The record's changes, oldest first: for the safeguarding team only. */
  history: z.optional(z.array(incidentChangeViewSchema)),
});

export const acknowledgedSchema = z.object({
  alert: z.object({ staffId: z.string(), acknowledgedAt: z.string() }),
});

export const categoryFieldSchema = z.object({
  id: z.string(),
  label: z.string(),
  kind: z.enum(["multi-select", "text"]),
  options: z.optional(z.array(z.string())),
});

export const formOptionsSchema = z.object({
  categories: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      guidance: z.optional(z.string()),
      subCategories: z.array(z.object({ id: z.string(), name: z.string() })),
      /** Safeguarding categories: a non-DSL choosing one is asked whether they told a DSL in person. */
      protected: z.optional(z.boolean()),
      /** The category's own fields (multi-selects and text), shown when it is chosen. */
      fields: z.optional(z.array(categoryFieldSchema)),
    }),
  ),
  staff: z.array(z.object({ id: z.string(), name: z.string(), role: z.string() })),
  alertGroups: z.array(z.object({ id: z.string(), name: z.string() })),
  locations: z.array(z.string()),
  sessions: z.array(z.object({ id: z.string(), label: z.string() })),
  timeZone: z.string(),
  now: z.string(),
});

export const recordedSchema = z.object({ incident: z.object({ id: z.string(), reference: z.string() }) });

export const actionAddedSchema = z.object({ action: actionViewSchema });

/** A DSL's decision on a record's held alerts: the action, and on an allegation those declined and why. */
export const heldAlertsDecisionSchema = z.object({
  action: actionViewSchema,
  declined: z.optional(z.object({ staffIds: z.array(z.string()), reason: z.string() })),
});

/** A file kept with a form's draft, as its uploader is told (the blob key stays on the server). */
export const uploadedFileSchema = z.object({
  fileId: z.string(),
  contentType: z.string(),
  size: z.number(),
  name: z.string(),
  writtenBy: z.optional(z.string()),
});

export const draftFilesSchema = z.object({
  files: z.array(z.object({ fileId: z.string(), name: z.string(), contentType: z.string(), size: z.number(), writtenBy: z.optional(z.string()) })),
  pending: z.int().check(z.minimum(0)),
});

const timelinessCounts = z.object({ onTime: z.number(), late: z.number(), outstanding: z.number(), awaiting: z.number() });

/** A report: counts of the records the reader may open, by the chosen grouping. */
export const incidentReportSchema = z.object({
  groupBy: z.string(),
  from: z.string(),
  to: z.string(),
  total: z.number(),
  open: z.number(),
  rows: z.array(z.object({ key: z.string(), label: z.string(), count: z.number() })),
  repeatedConcerns: z.array(z.object({ pupilId: z.string(), name: z.string(), count: z.number() })),
  /** Per agency, the period's referrals by whether their outcome came by the due date; DSL and deputies only. */
  referralTimeliness: z.optional(
    z.object({
      rows: z.array(z.object({ agencyId: z.string(), agency: z.string(), ...timelinessCounts.shape })),
      total: timelinessCounts,
    }),
  ),
});

export const healthSchema = z.object({ status: z.enum(["ok", "degraded"]), store: z.enum(["ok", "unavailable"]) });

export const errorBodySchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    fields: z.optional(z.array(z.object({ field: z.string(), message: z.string() }))),
    /** On a 409 for a stale change: the version now and the changes made since the sender's. */
    detail: z.optional(z.record(z.string(), z.unknown())),
  }),
});

export type Role = z.infer<typeof roleSchema>;
export type Part = z.infer<typeof partSchema>;
export type MeView = z.infer<typeof meSchema>;
export type PupilSummary = z.infer<typeof pupilSummarySchema>;
export type PupilSearch = z.infer<typeof pupilSearchSchema>;
export type ChronologyRow = z.infer<typeof chronologyRowSchema>;
export type ChronologyView = z.infer<typeof chronologySchema>;
export type ActionView = z.infer<typeof actionViewSchema>;
export type IncidentDetailFields = z.infer<typeof incidentDetailFieldsSchema>;
export type IncidentView = z.infer<typeof incidentViewSchema>;
export type IncidentChangeView = z.infer<typeof incidentChangeViewSchema>;
export type Acknowledged = z.infer<typeof acknowledgedSchema>;
export type FormOptions = z.infer<typeof formOptionsSchema>;
export type Recorded = z.infer<typeof recordedSchema>;
export type ActionAdded = z.infer<typeof actionAddedSchema>;
export type UploadedFile = z.infer<typeof uploadedFileSchema>;
export type DraftFiles = z.infer<typeof draftFilesSchema>;
export type IncidentFile = z.infer<typeof incidentFileSchema>;
export type ErrorBody = z.infer<typeof errorBodySchema>;
export type MyConcerns = z.infer<typeof myConcernsSchema>;
export type AuditRow = z.infer<typeof auditRowSchema>;
export type AuditTrail = z.infer<typeof auditTrailSchema>;
export type IncidentReport = z.infer<typeof incidentReportSchema>;

/** "Add to chronology": an entry that is not a concern was stored (201), or was already (200, same requestId). */
export const caseEntryAddedSchema = z.object({ entry: z.object({ id: z.string(), kind: z.enum(CASE_ENTRY_KINDS) }) });
/** What the "Add to chronology" forms offer: the school's referral agencies and their expected response. */
export const caseEntryOptionsSchema = z.object({
  agencies: z.array(z.object({ id: z.string(), name: z.string(), responseDays: z.int() })),
  meetingTypes: z.array(z.string()),
  documentTypes: z.array(z.string()),
});
export type CaseEntryAdded = z.infer<typeof caseEntryAddedSchema>;
export type CaseEntryOptions = z.infer<typeof caseEntryOptionsSchema>;
