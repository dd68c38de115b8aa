/**
 * What "My actions", marking a task and the home page answer (zod/mini, because the tab bundles
 * them). Kept beside views.ts so each stays small.
 */
import * as z from "zod/mini";
import { actionViewSchema, staffRefSchema, statusSchema } from "./views.js";

export const taskMarkedSchema = z.object({ action: actionViewSchema });

/** One row of "My actions": a task the reader owns, with its record's reference and pupil. */
export const myActionSchema = z.object({
  incidentId: z.string(),
  actionId: z.string(),
  reference: z.string(),
  pupilName: z.string(),
  text: z.string(),
  dueOn: z.string(),
  done: z.boolean(),
  overdue: z.boolean(),
  version: z.number(),
  recordedBy: staffRefSchema,
});
export const myActionsSchema = z.object({
  actions: z.array(myActionSchema),
  /** More tasks exist than the list holds: only the first `limit` were read (narrow the filters). */
  truncated: z.boolean(),
  limit: z.number(),
});

/** A record in a list behind a home count: enough to recognise it and open it, never its words. */
export const homeRecordSchema = z.object({
  incidentId: z.string(),
  reference: z.string(),
  pupilName: z.string(),
  recordedAt: z.string(),
  categoryNames: z.array(z.string()),
  status: statusSchema,
  urgent: z.boolean(),
});

export const homeCountSchema = z.object({
  list: z.string(),
  label: z.string(),
  count: z.number(),
  /** The count stopped at the cap (500): more than `count` are on the list ("500+"), paged through with its continuation. */
  more: z.boolean(),
});
export const homeSchema = z.object({
  /** Which home: the safeguarding team's, SLT's (its categories only) or staff's. */
  kind: z.enum(["safeguarding", "senior", "staff"]),
  counts: z.array(homeCountSchema),
});
export const homeListSchema = z.object({
  list: z.string(),
  label: z.string(),
  records: z.array(homeRecordSchema),
  /** For "my-actions" and "tasks-due": the tasks, not only their records. */
  actions: z.optional(z.array(myActionSchema)),
  /** Opaque; given back (`?continuation=`) for the next page of records. Absent when nothing remains. */
  continuation: z.optional(z.string()),
});

export type MyAction = z.infer<typeof myActionSchema>;
export type MyActions = z.infer<typeof myActionsSchema>;
export type HomeRecord = z.infer<typeof homeRecordSchema>;
export type HomeView = z.infer<typeof homeSchema>;
export type HomeList = z.infer<typeof homeListSchema>;
