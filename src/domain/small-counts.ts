/**
 * Small counts that cannot be worked out. A count from 1 to SUPPRESS_BELOW - 1 is hidden as
 * "fewer than 3"; but with the total shown, one hidden row is the total minus the rows shown, and
 * two rows of "fewer than 3" with 2 left over are 1 each. So, per section, more rows are hidden
 * (complementary suppression: the next smallest shown row, then the next) until every small
 * count has at least two values that fit what is shown. The reader is assumed to know the rule,
 * the section's exact sum, that a small count is 1 or 2, and that a row hidden to protect it is at
 * least 3 and at most the smallest row still shown. If even hiding every row cannot protect them
 * (or there is nothing to hide them among), the section shows no rows at all.
 */
import { SUPPRESS_BELOW, suppressed, type SummaryCount } from "./summary-periods.js";

export const HIDDEN_TO_PROTECT = "hidden";
export const HIDDEN_NOTE = `Some counts are hidden so that counts under ${SUPPRESS_BELOW} cannot be worked out from the total.`;
export const NO_BREAKDOWN_NOTE = `No breakdown is shown: with so few concerns, counts under ${SUPPRESS_BELOW} could be worked out from it.`;

export interface CountRow {
  label: string;
  count: number;
}
export interface ShownSection {
  rows: { label: string; count: SummaryCount }[];
  note?: string;
}

const isSmall = (n: number) => n > 0 && n < SUPPRESS_BELOW;

/**
 * A section of a summary whose total is `total`. When the total is itself a small count (shown as
 * "fewer than 3"), one row is the total and as hidden; two or more would be 1 each (their sum is
 * the total, under 3), so the section then shows no rows.
 */
export const suppressBreakdown = (total: number, rows: readonly CountRow[], opts: { keepOrder?: boolean } = {}): ShownSection =>
  isSmall(total) && rows.length > 1 ? { rows: [], note: NO_BREAKDOWN_NOTE } : isSmall(total) ? suppressedRows(rows) : suppressSection(rows, opts);

const suppressedRows = (rows: readonly CountRow[]): ShownSection => ({ rows: rows.map((r) => ({ label: r.label, count: suppressed(r.count) })) });

/**
 * The section as it may be shown. `keepOrder` for rows in their own order (months); otherwise the
 * shown rows come largest first and the hidden ones after them by label, so the order of the
 * hidden rows says nothing about their sizes.
 */
export function suppressSection(rows: readonly CountRow[], opts: { keepOrder?: boolean } = {}): ShownSection {
  const small = new Set(rows.filter((r) => isSmall(r.count)));
  if (!small.size) return suppressedRows(rows);
  // Candidates to hide alongside them, smallest first (a row of 0 protects nothing).
  const shown = rows.filter((r) => r.count >= SUPPRESS_BELOW).sort((a, b) => a.count - b.count);
  const complementary = new Set<CountRow>();
  while (!protects(rows, small, complementary)) {
    const next = shown.shift();
    if (!next) return { rows: [], note: NO_BREAKDOWN_NOTE };
    complementary.add(next);
  }
  const countOf = (r: CountRow): SummaryCount => (complementary.has(r) ? { shown: HIDDEN_TO_PROTECT } : suppressed(r.count));
  const ordered = opts.keepOrder
    ? rows
    : [
        ...rows.filter((r) => !small.has(r) && !complementary.has(r)).sort((a, b) => b.count - a.count || a.label.localeCompare(b.label)),
        ...rows.filter((r) => small.has(r) || complementary.has(r)).sort((a, b) => a.label.localeCompare(b.label)),
      ];
  return { rows: ordered.map((r) => ({ label: r.label, count: countOf(r) })), note: HIDDEN_NOTE };
}

/**
 * Does every small count keep two possible values? The hidden rows sum to the section's sum minus
 * the shown rows; each lies in its own range, so one row's possible values are its range cut by
 * what the others' ranges leave (integer ranges add up to every sum between their ends).
 */
function protects(rows: readonly CountRow[], small: ReadonlySet<CountRow>, complementary: ReadonlySet<CountRow>): boolean {
  const hidden = rows.filter((r) => small.has(r) || complementary.has(r));
  const shown = rows.filter((r) => r.count >= SUPPRESS_BELOW && !complementary.has(r));
  const left = hidden.reduce((n, r) => n + r.count, 0);
  const ceiling = shown.length ? Math.min(...shown.map((r) => r.count)) : left;
  const range = (r: CountRow): [number, number] => (small.has(r) ? [1, SUPPRESS_BELOW - 1] : [SUPPRESS_BELOW, ceiling]);
  const lo = hidden.reduce((n, r) => n + range(r)[0], 0);
  const hi = hidden.reduce((n, r) => n + range(r)[1], 0);
  return [...small].every((r) => {
    const [rLo, rHi] = range(r);
    const least = Math.max(rLo, left - (hi - rHi));
    const most = Math.min(rHi, left - (lo - rLo));
    return most > least;
  });
}
