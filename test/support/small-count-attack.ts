/**
 * What a reader could work out from a published section of counts: given the rows as shown and
 * the section's total (exact, or "fewer than 3"), every value each hidden row could take. The
 * reader knows the suppression rule: "fewer than 3" is 1 or 2, "hidden" is at least 3 and at most
 * the smallest count still shown. Computed by brute force over sums, not by the rule's own
 * arithmetic, so it checks small-counts.ts rather than repeating it.
 */
import type { SummaryCount } from "../../src/domain/summary-periods.js";

const range = (lo: number, hi: number) => Array.from({ length: Math.max(0, hi - lo + 1) }, (_, i) => lo + i);

/** Each hidden row's possible values, by index in `rows`. */
export function possibleValues(rows: { count: SummaryCount }[], totals: number[]): Map<number, Set<number>> {
  const known = rows.filter((r) => r.count.count !== undefined).map((r) => r.count.count!);
  const ceiling = Math.min(...known.filter((n) => n >= 3), Math.max(...totals));
  const options = rows.map((r): number[] =>
    r.count.count !== undefined ? [r.count.count] : r.count.shown.startsWith("fewer than") ? [1, 2] : range(3, ceiling),
  );
  // sums[i]: the sums the rows other than i can reach.
  const sumsOf = (list: number[][]) => list.reduce((acc, opts) => new Set([...acc].flatMap((s) => opts.map((v) => s + v))), new Set([0]));
  const out = new Map<number, Set<number>>();
  options.forEach((opts, i) => {
    if (rows[i]!.count.count !== undefined) return;
    const others = sumsOf(options.filter((_, j) => j !== i));
    out.set(i, new Set(opts.filter((v) => totals.some((t) => others.has(t - v)))));
  });
  return out;
}
