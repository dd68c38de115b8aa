// Response shapes of Keepsafe's tab API (/api/*), as zod schemas.
// The client parses every response with these, so a server change that the tab
// does not understand shows up as one clear error instead of a blank field.
// They mirror the contract the API is written to; when the server's own
// schemas move somewhere both sides can import, these should be replaced by them.
// zod/mini rather than classic zod: same checks, but 18 KB in the bundle instead of 450 KB.
import * as z from "zod/mini";

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
});

export const chronologySchema = z.object({
  pupil: z.extend(pupilSummarySchema, { dateOfBirth: z.string() }),
  entries: z.array(chronologyEntrySchema),
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
    linkedPupils: z.array(z.object({ pupilId: z.string(), displayName: z.string(), part: partSchema })),
  }),
  pupil: pupilSummarySchema,
  alerts: z.array(z.extend(staffRefSchema, { acknowledgedAt: z.optional(z.string()) })),
  myAlert: z.optional(z.object({ acknowledgedAt: z.optional(z.string()) })),
});

export const acknowledgeSchema = z.object({
  alert: z.object({ staffId: z.string(), acknowledgedAt: z.string() }),
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
