/** What the governors' and Ofsted summary answers (zod/mini: the tab bundles it). */
import * as z from "zod/mini";

/** A count, or "fewer than 3" with no number at all. */
export const summaryCountSchema = z.object({ shown: z.string(), count: z.optional(z.int()) });

export const governorsSummarySchema = z.object({
  period: z.string(),
  from: z.string(),
  to: z.string(),
  total: summaryCountSchema,
  open: summaryCountSchema,
  previous: z.object({ period: z.string(), total: summaryCountSchema }),
  sections: z.array(z.object({ title: z.string(), rows: z.array(z.object({ label: z.string(), count: summaryCountSchema })) })),
});
export type GovernorsSummary = z.infer<typeof governorsSummarySchema>;
