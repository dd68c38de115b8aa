/**
 * What the tab API and the bot accept, as zod schemas: every request's path parameters, query and
 * body. The server parses with them before anything reads the input; the tab's API client takes
 * its request types from them; the OpenAPI document is generated from them. Limits come from the
 * domain, so the card, the tab and the server say the same.
 */
import { z } from "zod";
import { LINKED_PARTS, INCIDENT_STATUSES, ACTION_KINDS, CHRONOLOGY_ROW_KINDS } from "../domain/incident.js";
import { LIMITS } from "../domain/limits.js";
import { PUPIL_FLAGS, SESSIONS } from "../domain/school.js";
import { REPORT_GROUPINGS } from "../domain/report-periods.js";
import { isCalendarDate } from "../domain/school-clock.js";
import { BODY_MAP_LIMITS, BODY_SIDES } from "../domain/body-map.js";

/** Keys a plain object inherits from; as keys from outside they could reach a prototype. */
export const PROTOTYPE_KEYS: ReadonlySet<string> = new Set(["__proto__", "constructor", "prototype"]);

/**
 * A key chosen from outside (a category or field id in a record): our ids' characters only, and never
 * a prototype's name, so no input can make an object's key reach its prototype.
 */
export const safeKeySchema = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[A-Za-z0-9_-]+$/, "Not a valid id.")
  .refine((k) => !PROTOTYPE_KEYS.has(k), "This name cannot be used as an id.");

/** A record's id in a path: our ids are letters, digits, ':', '_' and '-'. */
export const idParamSchema = z
  .string()
  .trim()
  .min(1)
  .max(200)
  .regex(/^[A-Za-z0-9:_-]+$/, "Not a valid id.");

/** A comma-separated list in a query ("SEND,PPG"); each item an id, at most 50. */
const queryList = <T extends z.ZodType<unknown, string>>(item: T) =>
  z
    .string()
    .max(2000)
    .transform((s) =>
      s
        .split(",")
        .map((x) => x.trim())
        .filter(Boolean),
    )
    .pipe(z.array(item).max(50, "Choose at most 50."))
    .optional();

export const calendarDate = (message: string) =>
  z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, message)
    .refine(isCalendarDate, message);

/** A continuation is opaque, passed back untouched: only its form (base64url, bounded) is checked here. */
const continuationParam = (expired: string) =>
  z
    .string()
    .min(1)
    .max(LIMITS.continuationMaxLength, expired)
    .regex(/^[A-Za-z0-9_-]+$/, expired)
    .optional();

/** The next page of a newest-first list (My concerns, an audit trail); the first page sends none. */
export const listPageQuerySchema = z.strictObject({
  continuation: continuationParam("This page of the list has expired; open the list again."),
});

/** A page of the chronology: the continuation is opaque, passed back untouched, only its form is checked here. */
export const chronologyQuerySchema = z
  .strictObject({
    continuation: continuationParam("This page of the chronology has expired; open the chronology again."),
    pageSize: z.coerce
      .number()
      .int("Ask for a whole number of entries.")
      .min(1, "Ask for at least one entry.")
      .max(LIMITS.chronologyPageMax, `Ask for at most ${LIMITS.chronologyPageMax} entries a page.`)
      .default(LIMITS.chronologyPageDefault),
    // The filters a DSL narrows a long chronology with; the tab keeps them in its URL.
    categoryIds: queryList(safeKeySchema),
    kinds: queryList(z.enum(CHRONOLOGY_ROW_KINDS, { message: "Choose entry types from the list." })),
    from: calendarDate("Give the first day as YYYY-MM-DD.").optional(),
    to: calendarDate("Give the last day as YYYY-MM-DD.").optional(),
    authorId: idParamSchema.optional(),
    status: z.enum(INCIDENT_STATUSES, { message: "Choose active or closed." }).optional(),
  })
  .refine((q) => !q.from || !q.to || q.from <= q.to, { message: "The first day must come before the last.", path: ["to"] });

export const pupilSearchQuerySchema = z.strictObject({ query: z.string().trim().max(100, "Search with at most 100 characters.").default("") });

export const INCIDENT_SOURCES = ["bot", "message-extension", "tab"] as const;
export const TOLD_DSL_ANSWERS = ["yes", "not-yet"] as const;

const id = z.string().trim().min(1);
const optionalText = (max: number, message: string) =>
  z
    .string()
    .trim()
    .max(max, message)
    .optional()
    .transform((s) => s || undefined);

export const recordIncidentInputSchema = z.object({
  submissionId: z.string().trim().min(8, "The form is missing its id; open a new form.").max(100),
  pupilId: z.string().trim().min(1, "Choose the pupil this concern is about."),
  linkedPupils: z
    .array(
      z.object({
        pupilId: z.string().trim().min(1, "Choose the linked pupil from the list."),
        part: z.enum(LINKED_PARTS, { message: "Say how this pupil was involved." }),
      }),
    )
    .max(LIMITS.linkedPupilsMax, `Link at most ${LIMITS.linkedPupilsMax} pupils.`)
    .default([]),
  categoryIds: z.array(id).min(1, "Choose at least one category."),
  subCategoryIds: z.array(id).default([]),
  /** Category id -> field id -> chosen options (multi-select) or text. */
  categoryFields: z.record(safeKeySchema, z.record(safeKeySchema, z.union([z.string(), z.array(z.string())]))).default({}),
  occurredAt: z.iso.datetime({ offset: true, message: "Give the date and time it happened." }),
  session: z.enum(SESSIONS).optional(),
  location: z.string().trim().max(LIMITS.locationMaxLength).optional(),
  account: z
    .string()
    .trim()
    .min(LIMITS.accountMinLength, `Write what you saw or heard (at least ${LIMITS.accountMinLength} characters).`)
    .max(LIMITS.accountMaxLength, `The account can be at most ${LIMITS.accountMaxLength.toLocaleString("en-GB")} characters.`),
  disclosure: z.boolean().default(false),
  toldDslInPerson: z.enum(TOLD_DSL_ANSWERS, { message: "Say whether you have told a DSL in person." }).optional(),
  allegationAgainstStaff: z
    .object({
      staffIds: z
        .array(id)
        .min(1, "Choose the adult (or adults) the allegation is about.")
        .max(LIMITS.allegationStaffMax, `Name at most ${LIMITS.allegationStaffMax} adults.`),
    })
    .optional(),
  status: z.enum(INCIDENT_STATUSES, { message: "Choose active or closed." }).default("active"),
  assignedToStaffId: id.optional(),
  agencyInvolved: optionalText(LIMITS.agencyMaxLength, `Agency involved can be at most ${LIMITS.agencyMaxLength} characters.`),
  plannerReminder: z
    .object({
      date: z.string().trim().refine(isCalendarDate, "Give the reminder's date."),
      time: z
        .string()
        .trim()
        .regex(/^([01]\d|2[0-3]):[0-5]\d$/, "Give the reminder's time."),
      note: z
        .string()
        .trim()
        .max(LIMITS.plannerNoteMaxLength, `The reminder note can be at most ${LIMITS.plannerNoteMaxLength} characters.`)
        .default(""),
    })
    .optional(),
  alertStaffIds: z.array(id).default([]),
  alertGroupIds: z.array(id).default([]),
  source: z.enum(INCIDENT_SOURCES),
  /** Where a concern recorded from a Teams message came from (message extension only). */
  origin: z
    .object({
      kind: z.literal("teams-message"),
      messageId: z
        .string()
        .trim()
        .max(200)
        .optional()
        .transform((s) => s || undefined),
      sender: z
        .string()
        .trim()
        .max(200)
        .optional()
        .transform((s) => s || undefined),
      sentAt: z.iso.datetime({ offset: true }).optional(),
    })
    .optional(),
});

const markText = (label: string, max: number) =>
  z
    .string()
    .trim()
    .max(max, `${label} can be at most ${max} characters.`)
    .optional()
    .transform((s) => s || undefined);

/** One body-map mark as the dialog and the tab's form send it. */
export const bodyMapMarkInputSchema = z.strictObject({
  side: z.enum(BODY_SIDES, "Each mark is on the front or the back."),
  x: z.number("Each mark needs a position.").min(0, "A mark must be on the outline.").max(1, "A mark must be on the outline."),
  y: z.number("Each mark needs a position.").min(0, "A mark must be on the outline.").max(1, "A mark must be on the outline."),
  colour: markText("A colour", BODY_MAP_LIMITS.colourMaxLength),
  shape: markText("A shape", BODY_MAP_LIMITS.shapeMaxLength),
  size: markText("A size", BODY_MAP_LIMITS.sizeMaxLength),
  note: markText("A note", BODY_MAP_LIMITS.noteMaxLength),
});

export const bodyMapMarksSchema = z
  .array(bodyMapMarkInputSchema)
  .max(BODY_MAP_LIMITS.maxMarks, `A body map can have at most ${BODY_MAP_LIMITS.maxMarks} marks.`);

/** POST /api/incidents: the concern as the tab sends it, with the body map drawn in the tab's form. */
export const tabRecordIncidentBodySchema = recordIncidentInputSchema
  .extend({
    source: z.literal("tab", "This door records concerns from the tab only."),
    bodyMap: z.strictObject({ marks: bodyMapMarksSchema }).optional(),
  })
  .strict();

/** POST /api/incidents/{incidentId}/actions. */
export const addActionBodySchema = z.strictObject({
  /** Made by the form (the tab or the card) once; a repeat with the same id adds nothing. */
  requestId: z
    .string()
    .trim()
    .min(8, "The form is missing its id; open it again.")
    .max(100)
    .regex(/^[A-Za-z0-9:_-]+$/, "Not a valid id."),
  text: z
    .string()
    .trim()
    .min(1, "Say what was done or agreed.")
    .max(LIMITS.actionMaxLength, `Keep the action to ${LIMITS.actionMaxLength} characters.`),
  occurredAt: z.iso.datetime({ offset: true, message: "Give the date and time it happened or was agreed." }),
  taggedStaffIds: z
    .array(z.string().trim().min(1).max(200))
    .max(LIMITS.alertRecipientsMax, `Tag at most ${LIMITS.alertRecipientsMax} people.`)
    .default([]),
  kind: z.enum(ACTION_KINDS).default("action"),
  /** Makes the action a task: who owns it and the school day it is due on. */
  task: z
    .strictObject({
      ownerStaffId: z.string().trim().min(1, "Choose who will do it.").max(200),
      dueOn: z
        .string()
        .regex(/^\d{4}-\d{2}-\d{2}$/, "Give the due date as YYYY-MM-DD.")
        .refine(isCalendarDate, "Give the due date as YYYY-MM-DD."),
    })
    .optional(),
});

/** POST /api/incidents/:incidentId/actions/:actionId/status: done or not done, on the version the sender saw. */
export const taskStatusBodySchema = z.strictObject({
  done: z.boolean({ message: "Say whether it is done." }),
  version: z.number({ message: "The page is missing the task's version; open it again." }).int().min(0).max(10_000),
});
export type TaskStatusBody = z.input<typeof taskStatusBodySchema>;

/** GET /api/home/:list: which list behind a count on the home page. */
export const HOME_LISTS = [
  "unread",
  "urgent",
  "new-today",
  "assigned-to-me",
  "past-review",
  "tasks-due",
  "dead-letters",
  "my-concerns",
  "tagged",
  "my-actions",
] as const;
export type HomeListId = (typeof HOME_LISTS)[number];
export const homeListParamsSchema = z.strictObject({ list: z.enum(HOME_LISTS, { message: "There is no such list." }) });

const submissionIdQuery = z
  .string()
  .trim()
  .min(1, "The form is missing its id; open a new form.")
  .max(100, "The form id is too long; open a new form.");

/** POST /api/files: the file is the body; these say which form it belongs to. */
export const fileUploadQuerySchema = z.strictObject({
  submissionId: submissionIdQuery,
  name: z.string().max(1_000, "The file name is too long.").optional(),
  writtenBy: z.string().optional(),
});

/** GET /api/files: the files already kept with the caller's own form. */
export const fileListQuerySchema = z.strictObject({ submissionId: submissionIdQuery });

export type RecordIncidentBody = z.input<typeof tabRecordIncidentBodySchema>;
const reasonSchema = z
  .string()
  .trim()
  .min(1, "Say why: the reason is kept with the change in the record's history.")
  .max(LIMITS.actionMaxLength, `Keep the reason to ${LIMITS.actionMaxLength} characters.`);
const changeBase = {
  reason: reasonSchema,
  /** How many changes the sender saw on the record; a different number means someone changed it meanwhile (409). */
  version: z.int().min(0).max(10_000),
};
const idSchema = z.string().trim().min(1).max(200);

/** A DSL's change to a record after submission, one body per kind (domain/incident-changes.ts). */
export const changeIncidentBodySchema = z.discriminatedUnion("kind", [
  z.strictObject({ kind: z.literal("recategorise"), ...changeBase, categoryIds: z.array(idSchema).min(1, "Choose at least one category.").max(20) }),
  z.strictObject({ kind: z.literal("assign"), ...changeBase, assignee: z.strictObject({ kind: z.enum(["staff", "group"]), id: idSchema }) }),
  z.strictObject({ kind: z.literal("close"), ...changeBase }),
  z.strictObject({ kind: z.literal("reopen"), ...changeBase }),
  z.strictObject({
    kind: z.literal("no-further-action"),
    ...changeBase,
    decision: z
      .string()
      .trim()
      .min(1, "Record the decision.")
      .max(LIMITS.actionMaxLength, `Keep the decision to ${LIMITS.actionMaxLength} characters.`),
  }),
]);
export type ChangeIncidentBody = z.input<typeof changeIncidentBodySchema>;

export type AddActionBody = z.input<typeof addActionBodySchema>;

/** A report's filters, as kept in the tab's URL so a report can be shared as a link. */
export const incidentReportQuerySchema = z
  .strictObject({
    from: calendarDate("Give the first day as YYYY-MM-DD."),
    to: calendarDate("Give the last day as YYYY-MM-DD."),
    groupBy: z.enum(REPORT_GROUPINGS, { message: "Choose what to count by." }).default("month"),
    categoryIds: queryList(id),
    yearGroups: queryList(z.string().trim().min(1).max(40)),
    pupilGroups: queryList(z.enum(PUPIL_FLAGS, { message: "Choose a pupil group from the list." })),
  })
  .refine((q) => q.from <= q.to, { message: "The first day must come before the last.", path: ["to"] })
  .refine((q) => Date.parse(q.to) - Date.parse(q.from) <= 800 * 86_400_000, { message: "Report on at most two school years at once.", path: ["to"] });

/** Which entries a chronology PDF holds: a period (both days included) and, if given, categories. */
export const chronologyExportQuerySchema = z
  .strictObject({
    from: calendarDate("Give the first day as YYYY-MM-DD."),
    to: calendarDate("Give the last day as YYYY-MM-DD."),
    categoryIds: queryList(id),
    // The chronology's type filter, so the pack is what the DSL has on screen.
    kinds: queryList(z.enum(CHRONOLOGY_ROW_KINDS, { message: "Choose entry types from the list." })),
  })
  .refine((q) => q.from <= q.to, { message: "The first day must come before the last.", path: ["to"] });
