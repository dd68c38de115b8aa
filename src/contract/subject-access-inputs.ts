/**
 * What the subject access and governors' summary routes accept (classic zod, server only; see route-inputs.ts). Strict
 * objects, so a key the contract does not name (`__proto__` among them) is refused.
 */
import { z } from "zod";
import { SAR_RELATIONSHIPS } from "../domain/subject-access.js";
import { SUMMARY_PERIODS } from "../domain/summary-periods.js";
import { calendarDate, idParamSchema, PROTOTYPE_KEYS } from "./requests.js";

/** Which governors' and Ofsted summary: the term or school year holding `date`. */
export const governorsSummaryQuerySchema = z.strictObject({
  period: z.enum(SUMMARY_PERIODS, { message: "Choose a term or a school year." }).default("term"),
  date: calendarDate("Give a day in the period as YYYY-MM-DD."),
});

export const SAR_LIMITS = { requesterMaxLength: 200, reasonMaxLength: 1_000, passagesMax: 500, excludedEntriesMax: 1_000 } as const;

export const openSubjectAccessBodySchema = z.strictObject({
  pupilId: idParamSchema,
  requester: z.string().trim().min(1, "Say who made the request.").max(SAR_LIMITS.requesterMaxLength),
  relationship: z.enum(SAR_RELATIONSHIPS, { message: "Choose the requester's relationship to the pupil." }),
  receivedOn: calendarDate("Give the day the request was received as YYYY-MM-DD."),
});
export type OpenSubjectAccessBody = z.infer<typeof openSubjectAccessBodySchema>;

export const extendSubjectAccessBodySchema = z.strictObject({
  reason: z.string().trim().min(1, "Say why the request is complex enough to extend.").max(SAR_LIMITS.reasonMaxLength),
});

/**
 * What the DSL chose to leave out: passages (character ranges of a block's original text) and
 * whole case entries (their ids; the service checks each is one of the pupil's own).
 */
export const subjectAccessPassagesBodySchema = z.strictObject({
  passages: z
    .array(
      z
        .strictObject({ blockId: idParamSchema, start: z.int().min(0), end: z.int().min(1) })
        .refine((p) => p.start < p.end, { message: "A passage must end after it starts.", path: ["end"] }),
    )
    .max(SAR_LIMITS.passagesMax)
    .default([]),
  excludedEntries: z
    .array(idParamSchema.refine((id) => !PROTOTYPE_KEYS.has(id), "This name cannot be used as an id."))
    .max(SAR_LIMITS.excludedEntriesMax)
    .default([]),
});
export type SubjectAccessPassagesBody = z.infer<typeof subjectAccessPassagesBodySchema>;
