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

export const earlyWarningListSchema = z.object({ firings: z.array(earlyWarningViewSchema) });
export type EarlyWarningList = z.infer<typeof earlyWarningListSchema>;
export const earlyWarningReviewedSchema = z.object({ firingId: z.string(), reviewedAt: z.string(), created: z.boolean() });
