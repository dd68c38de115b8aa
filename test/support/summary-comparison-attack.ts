/**
 * What a reader could work out by putting several published summaries side by side: a school
 * year's terms and the year itself, each with one section whose rows add up to its total. By brute
 * force, not by the rules' own arithmetic, so it checks summary-year.ts rather than repeating it.
 *
 * The reader knows: a term's "fewer than 3" is 1 or 2 and its "hidden" is at least 3 and at most
 * the smallest count the term still shows (small-counts.ts); a term that shows no rows hid them
 * all, labels too (so any label, or one never published, may hold any part of its total); a
 * year's "between a and b" lies in that range and its "hidden" may be anything; a label a summary
 * with rows does not list is 0 there; and the year's every count is the sum of its terms' counts.
 */
import type { SummaryCount } from "../../src/domain/summary-periods.js";

export interface PublishedSection {
  total: SummaryCount;
  rows: { label: string; count: SummaryCount }[];
  note?: string;
}
/** A count to ask about: a term's row or total (term index), or the year's (term "year"). */
export type Target = { term: number | "year"; label?: string };

const UNLISTED = "(a label never published)";
const ANY = Number.MAX_SAFE_INTEGER;
const span = (lo: number, hi: number) => Array.from({ length: Math.max(0, hi - lo + 1) }, (_, i) => lo + i);

/** The values a count may take as shown; `hidden` is the range a "hidden" count may take. */
function valuesOf(c: SummaryCount, hidden: [number, number]): [number, number] {
  if (c.count !== undefined) return [c.count, c.count];
  if (c.shown.startsWith("fewer than")) return [1, 2];
  const range = /^between (\d+) and (\d+)$/.exec(c.shown);
  return range ? [Number(range[1]), Number(range[2])] : hidden;
}

const hidesAll = (s: PublishedSection) => !s.rows.length && !!s.note;

/** Every assignment of a term's counts (label to value, and its total) that fits what it shows. */
function termAssignments(s: PublishedSection, universe: string[]): { cells: Map<string, number>; total: number }[] {
  const [tLo, tHi] = valuesOf(s.total, [0, 0]);
  const shown = s.rows.flatMap((r) => (r.count.count !== undefined && r.count.count >= 3 ? [r.count.count] : []));
  const ceiling = Math.min(...shown, tHi);
  const cells: [string, number[]][] = hidesAll(s)
    ? [...universe, UNLISTED].map((label) => [label, span(0, tHi)])
    : s.rows.map((r) => [r.label, span(...valuesOf(r.count, [3, ceiling]))]);
  const out: { cells: Map<string, number>; total: number }[] = [];
  const walk = (i: number, sum: number, chosen: number[]) => {
    if (sum > tHi) return;
    if (i === cells.length) {
      if (sum >= tLo) out.push({ cells: new Map(cells.map(([label], j) => [label, chosen[j]!])), total: sum });
      return;
    }
    for (const v of cells[i]![1]) walk(i + 1, sum + v, [...chosen, v]);
  };
  walk(0, 0, []);
  return out;
}

/** Every value `target` can take in some set of true counts that fits every summary shown. */
export function possibleValues(terms: PublishedSection[], year: PublishedSection, target: Target): Set<number> {
  const universe = [...new Set([...terms, year].flatMap((s) => s.rows.map((r) => r.label)))];
  // What the year pins down: each label's sum over the terms (0 if a year with rows leaves it out), and the total.
  const yearRange = (label: string): [number, number] => {
    if (hidesAll(year)) return [0, ANY];
    const row = year.rows.find((r) => r.label === label);
    return row ? valuesOf(row.count, [0, ANY]) : [0, 0];
  };
  const bounds = [...universe, UNLISTED].map(yearRange).concat([valuesOf(year.total, [0, ANY])]);
  const labels = [...universe, UNLISTED];
  // States: the partial sums of every bounded quantity and of the target, after each term.
  let states = new Map<string, number[]>([[JSON.stringify(bounds.map(() => 0).concat(0)), bounds.map(() => 0).concat(0)]]);
  terms.forEach((s, t) => {
    const projected = new Map<string, number[]>();
    for (const a of termAssignments(s, universe)) {
      const v = labels.map((l) => a.cells.get(l) ?? 0).concat([a.total]);
      const aimed = target.term === "year" || target.term === t ? (target.label ? (a.cells.get(target.label) ?? 0) : a.total) : 0;
      projected.set(JSON.stringify([...v, aimed]), [...v, aimed]);
    }
    const next = new Map<string, number[]>();
    for (const state of states.values())
      for (const p of projected.values()) {
        const sum = state.map((n, i) => n + p[i]!);
        if (sum.slice(0, bounds.length).every((n, i) => n <= bounds[i]![1])) next.set(JSON.stringify(sum), sum);
      }
    states = next;
  });
  const fits = [...states.values()].filter((s) => s.slice(0, bounds.length).every((n, i) => n >= bounds[i]![0]));
  return new Set(fits.map((s) => s.at(-1)!));
}
