// Response shapes of Keepsafe's tab API (/api/*), as zod schemas.
// The client parses every response with these, so a server change that the tab
// does not understand shows up as one clear error instead of a blank field.
// They mirror the contract the API is written to; when the server's own
// schemas move somewhere both sides can import, these should be replaced by them.
// zod/mini rather than classic zod: same checks, but 18 KB in the bundle instead of 450 KB.
import * as z from "zod/mini";
import { ACTION_KINDS, type ActionKind } from "../../src/domain/incident.js";

export const roleSchema = z.enum(["DSL", "DDSL", "SLT", "STAFF"]);
export const partSchema = z.enum(["subject", "involved", "alleged-victim", "alleged-perpetrator", "witness"]);
export const statusSchema = z.enum(["active", "closed"]);

const staffRefSchema = z.object({ staffId: z.string(), name: z.string() });

export const meSchema = z.object({
  staffId: z.string(),
  name: z.string(),
  role: roleSchema,
  mfa: z.boolean(),
  school: z.object({ id: z.string(), name: z.string() }),
});

export const pupilSummarySchema = z.object({
  id: z.string(),
  displayName: z.string(),
  yearGroup: z.string(),
  className: z.string(),
  flags: z.array(z.string()),
});

export const pupilSearchSchema = z.object({ pupils: z.array(pupilSummarySchema) });

export const chronologyEntrySchema = z.object({
  kind: z.enum(["incident", "action"]),
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
  unacknowledgedAlerts: z.int().check(z.minimum(0)),
  /** On kind "action" rows: occurredAt, raisedBy and summary are the action's. */
  actionId: z.optional(z.string()),
  actionKind: z.optional(z.enum(ACTION_KINDS)),
});

export const chronologySchema = z.object({
  pupil: z.extend(pupilSummarySchema, { dateOfBirth: z.string() }),
  entries: z.array(chronologyEntrySchema),
});

export const bodyMapMarkSchema = z.object({
  side: z.enum(["front", "back"]),
  x: z.number(),
  y: z.number(),
  colour: z.optional(z.string()),
  shape: z.optional(z.string()),
  size: z.optional(z.string()),
  note: z.optional(z.string()),
});

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

/** An action on an incident: a follow-up, an outcome, or a correction of the incident. */
export const actionSchema = z.object({
  id: z.string(),
  kind: z.enum(ACTION_KINDS),
  text: z.string(),
  occurredAt: z.string(),
  recordedAt: z.string(),
  recordedBy: staffRefSchema,
  taggedStaffIds: z.array(z.string()),
  taggedNames: z.array(z.string()),
});

export const incidentDetailSchema = z.object({
  incident: z.object({
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
    linkedPupils: z.array(z.object({ pupilId: z.string(), displayName: z.string(), part: partSchema, partLabel: z.optional(z.string()) })),
    dayOfWeek: z.optional(z.string()),
    sessionLabel: z.optional(z.string()),
    subCategories: z.optional(z.array(z.object({ categoryName: z.string(), name: z.string() }))),
    categoryFields: z.optional(z.array(z.object({ categoryName: z.string(), label: z.string(), value: z.string() }))),
    disclosure: z.optional(z.boolean()),
    toldDslInPerson: z.optional(z.boolean()),
    allegation: z.optional(z.object({ note: z.string() })),
    assignedTo: z.optional(staffRefSchema),
    agencyInvolved: z.optional(z.string()),
    plannerReminder: z.optional(z.object({ date: z.string(), time: z.string(), note: z.string() })),
    origin: z.optional(z.object({ kind: z.string(), sender: z.optional(z.string()), sentAt: z.optional(z.string()) })),
    bodyMap: z.optional(z.object({ marks: z.array(bodyMapMarkSchema), recordedAt: z.string() })),
    files: z.optional(z.array(incidentFileSchema)),
  }),
  pupil: pupilSummarySchema,
  alerts: z.array(z.extend(staffRefSchema, { acknowledgedAt: z.optional(z.string()) })),
  myAlert: z.optional(z.object({ acknowledgedAt: z.optional(z.string()) })),
  /** The actions this reader may see, oldest first. */
  actions: z.array(actionSchema),
});

export const acknowledgeSchema = z.object({
  alert: z.object({ staffId: z.string(), acknowledgedAt: z.string() }),
});

const categoryFieldSchema = z.object({
  id: z.string(),
  label: z.string(),
  kind: z.enum(["multi-select", "text"]),
  options: z.optional(z.array(z.string())),
});

export const formOptionsSchema = z.object({
  categories: z.array(z.object({
    id: z.string(),
    name: z.string(),
    guidance: z.optional(z.string()),
    subCategories: z.array(z.object({ id: z.string(), name: z.string() })),
    protected: z.optional(z.boolean()),
    fields: z.optional(z.array(categoryFieldSchema)),
  })),
  staff: z.array(z.object({ id: z.string(), name: z.string(), role: z.string() })),
  alertGroups: z.array(z.object({ id: z.string(), name: z.string() })),
  locations: z.array(z.string()),
  sessions: z.array(z.object({ id: z.string(), label: z.string() })),
  timeZone: z.string(),
  now: z.string(),
});

export const recordedSchema = z.object({ incident: z.object({ id: z.string(), reference: z.string() }) });

export const actionAddedSchema = z.object({ action: actionSchema });

/** The body of POST /api/incidents/{id}/actions (the server's addActionInputSchema, less the incident id). */
export interface AddActionRequest {
  /** Made once per form; sending it again adds nothing, so a double click makes one action. */
  requestId: string;
  text: string;
  occurredAt: string;
  taggedStaffIds: string[];
  kind: ActionKind;
}

export const uploadedFileSchema = z.object({
  fileId: z.string(),
  contentType: z.string(),
  size: z.number(),
  name: z.string(),
  writtenBy: z.optional(z.string()),
});

export const errorBodySchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    fields: z.optional(z.array(z.object({ field: z.string(), message: z.string() }))),
  }),
});

export type Role = z.infer<typeof roleSchema>;
export type Part = z.infer<typeof partSchema>;
export type Me = z.infer<typeof meSchema>;
export type PupilSummary = z.infer<typeof pupilSummarySchema>;
export type PupilSearch = z.infer<typeof pupilSearchSchema>;
export type ChronologyEntry = z.infer<typeof chronologyEntrySchema>;
export type Chronology = z.infer<typeof chronologySchema>;
export type IncidentDetail = z.infer<typeof incidentDetailSchema>;
export type Acknowledgement = z.infer<typeof acknowledgeSchema>;
export type ErrorBody = z.infer<typeof errorBodySchema>;
export type FormOptions = z.infer<typeof formOptionsSchema>;
export type Recorded = z.infer<typeof recordedSchema>;
export type UploadedFile = z.infer<typeof uploadedFileSchema>;
export type IncidentFile = z.infer<typeof incidentFileSchema>;
export type IncidentAction = z.infer<typeof actionSchema>;
export type { ActionKind };
