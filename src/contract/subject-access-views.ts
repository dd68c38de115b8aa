/** What the subject access routes answer (zod/mini: the tab bundles these; see views.ts). */
import * as z from "zod/mini";
import { CASE_ENTRY_KINDS } from "../domain/case-entries.js";
import { REDACTION_REASONS, SAR_RELATIONSHIPS } from "../domain/subject-access.js";

export const sarRequestViewSchema = z.object({
  id: z.string(),
  pupil: z.object({ id: z.string(), displayName: z.string() }),
  requester: z.string(),
  relationship: z.enum(SAR_RELATIONSHIPS),
  receivedOn: z.string(),
  /** One calendar month from receipt, three once extended. */
  deadline: z.string(),
  extended: z.boolean(),
  /** Days from today (the school's calendar) to the deadline; negative when overdue. */
  daysLeft: z.int(),
  dueSoon: z.boolean(),
  status: z.enum(["open", "released"]),
  packs: z.array(z.object({ id: z.string(), approvedAt: z.string(), approvedBy: z.string() })),
});
export type SarRequestView = z.infer<typeof sarRequestViewSchema>;

export const sarListSchema = z.object({ requests: z.array(sarRequestViewSchema) });
export const sarRequestAnswerSchema = z.object({ request: sarRequestViewSchema });

export const sarRedactionSchema = z.object({ start: z.int(), end: z.int(), reason: z.enum(REDACTION_REASONS) });

/** A case entry of the pupil the DSL may leave out of the pack; `heading` is its type and date. */
export const sarEntryChoiceSchema = z.object({ id: z.string(), kind: z.enum(CASE_ENTRY_KINDS), heading: z.string(), included: z.boolean() });

export const sarPreviewSchema = z.object({
  blocks: z.array(z.object({ id: z.string(), heading: z.string(), text: z.string(), redactions: z.array(sarRedactionSchema), released: z.string() })),
  /** Every case entry of the pupil, oldest first, with the DSL's choice; only the included ones have blocks above. */
  entries: z.array(sarEntryChoiceSchema),
});
export type SarPreview = z.infer<typeof sarPreviewSchema>;

export const sarPackApprovedSchema = z.object({
  pack: z.object({ id: z.string(), approvedAt: z.string(), blocks: z.int(), redactions: z.int() }),
});
