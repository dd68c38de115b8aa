/**
 * What "Add to chronology" accepts: one body per kind of entry (referral, decision not to refer,
 * meeting, phone call, information disclosed), and a referral's outcome. Strict objects, so a key
 * the contract does not name (`__proto__` among them) is refused; every text has a named limit.
 */
import { z } from "zod";
import { CALL_DIRECTIONS, MEETING_TYPES } from "../domain/case-entries.js";
import { LIMITS } from "../domain/limits.js";
import { safeKeySchema } from "./requests.js";

const text = (max: number, missing: string) => z.string().trim().min(1, missing).max(max, `Keep this to ${max} characters.`);
const notes = (missing: string) => text(LIMITS.actionMaxLength, missing);
const who = (missing: string) => text(LIMITS.agencyMaxLength, missing);

const base = {
  /** Made by the form once; a repeat with the same id adds nothing. */
  requestId: z
    .string()
    .trim()
    .min(8, "The form is missing its id; open it again.")
    .max(100)
    .regex(/^[A-Za-z0-9_-]+$/, "Not a valid id."),
  occurredAt: z.iso.datetime({ offset: true, message: "Give the date and time it happened." }),
};

/**
 * A file uploaded first through POST /api/files with the form's requestId as its submissionId (the
 * one upload path, with its size and type checks); the entry names it here and takes it from the draft.
 */
const fileId = z
  .string({ error: "Attach the document's file." })
  .trim()
  .min(1, "Attach the document's file.")
  .max(200)
  .regex(/^[A-Za-z0-9_-]+$/, "Not a valid file id.");

export const addCaseEntryBodySchema = z.discriminatedUnion(
  "kind",
  [
    z.strictObject({
      kind: z.literal("referral"),
      ...base,
      agencyId: safeKeySchema,
      contact: who("Say who the referral was made to (name, team or number)."),
      notes: z.string().trim().max(LIMITS.actionMaxLength, `Keep this to ${LIMITS.actionMaxLength} characters.`).optional(),
    }),
    z.strictObject({
      kind: z.literal("no-referral"),
      ...base,
      agencyId: safeKeySchema.optional(),
      reason: notes("Record why it was decided not to refer."),
    }),
    z.strictObject({
      kind: z.literal("meeting"),
      ...base,
      meetingType: z.enum(MEETING_TYPES, { message: "Choose the type of meeting." }),
      attendees: text(1000, "Say who attended."),
      notes: notes("Record what was discussed or agreed."),
      /** The meeting's minutes or papers, when there are any. */
      fileId: fileId.optional(),
    }),
    z.strictObject({
      kind: z.literal("phone-call"),
      ...base,
      who: who("Say who the call was with."),
      direction: z.enum(CALL_DIRECTIONS, { message: "Say whether the call was made or received." }),
      notes: notes("Record what was said."),
    }),
    z.strictObject({
      kind: z.literal("disclosure"),
      ...base,
      what: notes("Say what information was shared."),
      to: who("Say who it was shared with."),
      authority: who("Say on whose authority it was shared."),
    }),
    z.strictObject({
      kind: z.literal("document"),
      ...base,
      occurredAt: z.iso.datetime({ offset: true, message: "Give the date of the document." }),
      title: text(200, "Give the document a title."),
      // The school's own list (its setup): checked against it by addCaseEntry, which has the school.
      documentType: text(80, "Choose the type of document."),
      note: z.string().trim().max(LIMITS.actionMaxLength, `Keep this to ${LIMITS.actionMaxLength} characters.`).optional(),
      fileId,
    }),
  ],
  {
    error: () => "Choose what to add: a referral, a decision not to refer, a meeting, a phone call, information disclosed or a document.",
  },
);
export type AddCaseEntryBody = z.input<typeof addCaseEntryBodySchema>;

export const referralOutcomeBodySchema = z.strictObject({
  outcome: notes("Record the outcome of the referral."),
  occurredAt: base.occurredAt,
});
export type ReferralOutcomeBody = z.input<typeof referralOutcomeBodySchema>;
