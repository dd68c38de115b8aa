/** What the early-warning routes answer (zod/mini: the tab bundles these; see views.ts). */
import * as z from "zod/mini";

export const earlyWarningViewSchema = z.object({
  id: z.string(),
  pupil: z.object({ id: z.string(), displayName: z.string() }),
  rule: z.enum(["any-concerns", "different-staff"]),
  /** The triggering concerns' references, oldest first (nothing of what they say). */
  references: z.array(z.string()),
  incidentIds: z.array(z.string()),
  firedAt: z.string(),
});
export type EarlyWarningView = z.infer<typeof earlyWarningViewSchema>;

/** A firing a DSL has reviewed: who, when and their note (the team's own words; only they read this list). */
export const reviewedEarlyWarningViewSchema = z.object({
  ...earlyWarningViewSchema.shape,
  review: z.object({ by: z.string(), at: z.string(), note: z.string() }),
});
export type ReviewedEarlyWarningView = z.infer<typeof reviewedEarlyWarningViewSchema>;

/** The open firings, and the most recently reviewed ones so the team can see what was decided. */
export const earlyWarningListSchema = z.object({ firings: z.array(earlyWarningViewSchema), reviewed: z.array(reviewedEarlyWarningViewSchema) });
export type EarlyWarningList = z.infer<typeof earlyWarningListSchema>;
export const earlyWarningReviewedSchema = z.object({ firingId: z.string(), reviewedAt: z.string(), created: z.boolean() });
