/** What the governors' and Ofsted summary answers (zod/mini: the tab bundles it). */
import * as z from "zod/mini";

/**
 * A count, or "fewer than 3", "hidden", or (a school year's, added up from its terms) "between 13
 * and 14", so a small count cannot be worked out; with no number of its own unless exact.
 */
export const summaryCountSchema = z.object({ shown: z.string(), count: z.optional(z.int()) });

export const governorsSummarySchema = z.object({
  period: z.string(),
  from: z.string(),
  to: z.string(),
  /** How counts are hidden, in plain words (the page and the PDF say it). */
  rule: z.string(),
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
