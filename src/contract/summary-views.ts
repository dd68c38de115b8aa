/** What the governors' and Ofsted summary answers (zod/mini: the tab bundles it). */
import * as z from "zod/mini";

/** A count, or "fewer than 3" or "hidden" (so a small count cannot be worked out) with no number at all. */
export const summaryCountSchema = z.object({ shown: z.string(), count: z.optional(z.int()) });

export const governorsSummarySchema = z.object({
  period: z.string(),
  from: z.string(),
  to: z.string(),
  total: summaryCountSchema,
  open: summaryCountSchema,
  previous: z.object({ period: z.string(), total: summaryCountSchema }),
  sections: z.array(
    z.object({
      title: z.string(),
      rows: z.array(z.object({ label: z.string(), count: summaryCountSchema })),
      /** Why some or all of the section's counts are hidden, when they are. */
      note: z.optional(z.string()),
    }),
  ),
});
export type GovernorsSummary = z.infer<typeof governorsSummarySchema>;
