/**
 * A school year's summary, added up from its terms' summaries as they are published, so that
 * comparing the year with its terms cannot give away a count either hides.
 *
 * Threat model. A reader (a governor, an inspector) holds every summary one member of staff
 * publishes for a school year: each term's and the year's, each with its total, its open count,
 * its sections and the period before's total. They know the rules exactly (small-counts.ts for a
 * term; this module for the year) and can do any arithmetic across them. Out of scope: summaries
 * made by readers who may open different records (a DSL's against SLT's), figures of a period
 * still under way printed on two days, and summaries printed before and after the school moves
 * its term dates: each of those differs by records, not by arithmetic on one set.
 *
 * The rule. A term's summary is published on its own, small counts hidden within it. The year's
 * every figure is its terms' published figures added up (a row a term does not list is 0 there):
 * exact where every term's is exact; where a term shows "fewer than 3" the year gives the range
 * the sum must lie in; where a term shows a row "hidden", or no breakdown at all, so does the year.
 *
 * Why it holds. Terms cover disjoint days, so their incidents are disjoint and what one term's
 * summary allows says nothing about another's: the values that fit all terms together are every
 * combination of values that fit each. The year is worked out from the terms' published figures
 * alone, so it adds nothing to them. So a term's hidden small count keeps the two or more values
 * its own summary leaves it (small-counts.ts). A year count of 1 or 2 needs a term count of 1 or
 * 2 for the same row, which that term hides; it can take two values, so the year's sum can too.
 */
import { FEWER_THAN, type SummaryCount } from "./summary-periods.js";
import { HIDDEN_TO_PROTECT } from "./small-counts.js";

/** The rule in plain words, on the page and in the PDF: a reader knows what a hidden count means. */
export const SUMMARY_RULE =
  "Counts from 1 to 2 are shown as \"fewer than 3\", and others hidden where they would give one away. A school year's counts are its terms' counts added up, hidden or given as a range wherever a term's is hidden, so comparing the year with its terms gives no hidden count away.";

export const YEAR_NOTE =
  "The year's counts are its terms' counts added up. Where a term's count is hidden, the year's is hidden too or given as the range it lies in.";
export const YEAR_NO_BREAKDOWN_NOTE = "No breakdown is shown for the year: a term shows none, and the year's would give its counts away.";

/** A summary's counts as published: what the year is added up from, and what it gives. */
export interface PublishedCounts {
  total: SummaryCount;
  open: SummaryCount;
  sections: { title: string; rows: { label: string; count: SummaryCount }[]; note?: string }[];
}

const ZERO: SummaryCount = { shown: "0", count: 0 };

/**
 * Counts added up from what each shows: exact if all are; the range from 1 to 2 for each
 * "fewer than 3" if the rest are exact; otherwise hidden, since a hidden row's range depends on
 * its term and a year's range built from it could narrow it.
 */
export function addedUp(counts: readonly SummaryCount[]): SummaryCount {
  const exact = counts.reduce((n, c) => n + (c.count ?? 0), 0);
  const small = counts.filter((c) => c.count === undefined && c.shown === FEWER_THAN).length;
  if (counts.some((c) => c.count === undefined && c.shown !== FEWER_THAN)) return { shown: HIDDEN_TO_PROTECT };
  return small ? { shown: `between ${exact + small} and ${exact + 2 * small}` } : { shown: String(exact), count: exact };
}

/** The year's counts from its terms' published counts, in term order; `keepOrder` as for a term's section. */
export function yearFromTerms(terms: readonly PublishedCounts[], keepOrder: (title: string) => boolean): PublishedCounts {
  const titles = terms[0]?.sections.map((s) => s.title) ?? [];
  return {
    total: addedUp(terms.map((t) => t.total)),
    open: addedUp(terms.map((t) => t.open)),
    sections: titles.map((title) => yearSection(title, terms, keepOrder(title))),
  };
}

function yearSection(title: string, terms: readonly PublishedCounts[], keepOrder: boolean): PublishedCounts["sections"][number] {
  const parts = terms.map((t) => t.sections.find((s) => s.title === title) ?? { title, rows: [] });
  // A term that shows no rows but says why has hidden them all, their labels too.
  if (parts.some((p) => !p.rows.length && p.note)) return { title, rows: [], note: YEAR_NO_BREAKDOWN_NOTE };
  // By label, in the order the terms list them (months come out in order); a Map, as labels come from the school.
  const byLabel = new Map<string, SummaryCount[]>();
  for (const p of parts) for (const r of p.rows) byLabel.set(r.label, []);
  for (const label of byLabel.keys()) for (const p of parts) byLabel.get(label)!.push(p.rows.find((r) => r.label === label)?.count ?? ZERO);
  const rows = [...byLabel].map(([label, counts]) => ({ label, count: addedUp(counts) }));
  const exact = rows.filter((r) => r.count.count !== undefined);
  const ordered = keepOrder
    ? rows
    : [
        // As in a term: exact rows largest first; the rest by label, so their order says nothing of their sizes.
        ...exact.sort((a, b) => b.count.count! - a.count.count! || a.label.localeCompare(b.label)),
        ...rows.filter((r) => r.count.count === undefined).sort((a, b) => a.label.localeCompare(b.label)),
      ];
  return { title, rows: ordered, ...(exact.length < rows.length ? { note: YEAR_NOTE } : {}) };
}
