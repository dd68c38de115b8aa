/**
 * A school year's summary put beside its terms' gives no hidden small count away: over random
 * per-term counts, every count of 1 or 2 that a term or the year hides keeps at least two values
 * that fit everything the terms and the year show together (summary-year.ts). The same check
 * finds the hole when the year is suppressed on its own, as it was.
 */
import assert from "node:assert/strict";
import fc from "fast-check";
import { suppressBreakdown } from "../../src/domain/small-counts.js";
import { suppressed, termsOfYear, type SummaryCount } from "../../src/domain/summary-periods.js";
import type { SchoolCalendar } from "../../src/domain/school-calendar.js";
import { yearFromTerms, YEAR_NO_BREAKDOWN_NOTE, YEAR_NOTE, type PublishedCounts } from "../../src/domain/summary-year.js";
import { possibleValues, type PublishedSection, type Target } from "../support/summary-comparison-attack.js";

type Counts = Map<string, number>;
const LABELS = ["Toilets", "Playground", "Classroom", "Online"];

/** Per term, each label's count: absent (0), small (1-2) or not (3-8). */
const terms = fc.array(
  fc.array(fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 2 }), fc.integer({ min: 3, max: 8 })), {
    minLength: LABELS.length,
    maxLength: LABELS.length,
  }),
  { minLength: 2, maxLength: 4 },
);

const sumOf = (c: Counts) => [...c.values()].reduce((a, b) => a + b, 0);

/** A term as it is published on its own: one section whose rows add up to its total. */
function publishedTerm(counts: Counts): PublishedCounts {
  const total = sumOf(counts);
  const rows = [...counts].filter(([, n]) => n > 0).map(([label, count]) => ({ label, count }));
  return { total: suppressed(total), open: suppressed(0), sections: [{ title: "By location", ...suppressBreakdown(total, rows) }] };
}
const sectionOf = (p: PublishedCounts): PublishedSection => ({ total: p.total, ...p.sections[0]! });

/** Every hidden count of 1 or 2, in the terms and the year, with its true value. */
function hiddenSmall(truth: Counts[], published: PublishedSection[], year: PublishedSection): [Target, number, SummaryCount | undefined][] {
  const yearTruth = new Map(LABELS.map((l) => [l, truth.reduce((n, c) => n + c.get(l)!, 0)]));
  const out: [Target, number, SummaryCount | undefined][] = [];
  // A label no summary lists (its term hid every row) cannot even be named, let alone worked out.
  const named = new Set([...published, year].flatMap((s) => s.rows.map((r) => r.label)));
  const add = (target: Target, n: number, shown: SummaryCount | undefined) =>
    n > 0 && n < 3 && (!target.label || named.has(target.label)) && out.push([target, n, shown]);
  truth.forEach((c, t) => {
    add({ term: t }, sumOf(c), published[t]!.total);
    for (const [label, n] of c) add({ term: t, label }, n, published[t]!.rows.find((r) => r.label === label)?.count);
  });
  add({ term: "year" }, sumOf(yearTruth), year.total);
  for (const [label, n] of yearTruth) add({ term: "year", label }, n, year.rows.find((r) => r.label === label)?.count);
  return out;
}

describe("school year summary against its terms", () => {
  it("no hidden small count in a term or its year can be worked out by combining every summary shown, over random per-term counts", () => {
    fc.assert(
      fc.property(terms, (table) => {
        const truth = table.map((counts) => new Map(LABELS.map((l, i) => [l, counts[i]!])));
        const parts = truth.map(publishedTerm);
        const year = sectionOf(yearFromTerms(parts, () => false));
        const published = parts.map(sectionOf);
        for (const [target, n, shown] of hiddenSmall(truth, published, year)) {
          // Shown with no number (or not listed at all, when its summary hides every row).
          assert.equal(shown?.count, undefined, `${JSON.stringify(target)} (${n}) is shown`);
          const values = possibleValues(published, year, target);
          assert.ok(values.has(n), `the check sees the true value of ${JSON.stringify(target)} as possible`);
          assert.ok(values.size >= 2, `${JSON.stringify(target)} = ${n} can be worked out: ${JSON.stringify({ published, year })}`);
        }
        for (const r of year.rows) {
          const n = truth.reduce((s, c) => s + c.get(r.label)!, 0);
          if (r.count.count !== undefined) assert.equal(r.count.count, n, "a year's exact count is true");
          const range = /^between (\d+) and (\d+)$/.exec(r.count.shown);
          if (range) assert.ok(Number(range[1]) <= n && n <= Number(range[2]), "a year's range holds its true count");
        }
      }),
      { numRuns: 300 },
    );
  });

  it("the same check catches a summer count given away by the year suppressed on its own, and the added-up year keeps it", () => {
    // Toilets 7 + 5 + 2: the summer hides its 2 (and Classroom's 4 beside it); a year suppressed on
    // its own shows Toilets 14, and 14 - 7 - 5 = 2.
    const truth = [
      { Toilets: 7, Playground: 6, Classroom: 5 },
      { Toilets: 5, Playground: 4, Classroom: 6 },
      { Toilets: 2, Playground: 5, Classroom: 4 },
    ].map((t) => new Map(Object.entries(t)));
    const parts = truth.map(publishedTerm);
    const published = parts.map(sectionOf);
    assert.deepEqual(
      published[2]!.rows.map((r) => `${r.label}: ${r.count.shown}`),
      ["Playground: 5", "Classroom: hidden", "Toilets: fewer than 3"],
    );
    const yearRows = ["Toilets", "Playground", "Classroom"].map((label) => ({ label, count: truth.reduce((n, c) => n + c.get(label)!, 0) }));
    const onItsOwn: PublishedSection = { total: suppressed(44), ...suppressBreakdown(44, yearRows) };
    assert.deepEqual([...possibleValues(published, onItsOwn, { term: 2, label: "Toilets" })], [2]);

    const year = yearFromTerms(parts, () => false);
    assert.deepEqual(
      year.sections[0]!.rows.map((r) => `${r.label}: ${r.count.shown}`),
      ["Playground: 15", "Classroom: hidden", "Toilets: between 13 and 14"],
    );
    assert.equal(year.sections[0]!.note, YEAR_NOTE);
    assert.deepEqual([...possibleValues(published, sectionOf(year), { term: 2, label: "Toilets" })].sort(), [1, 2]);
  });

  it("a school year's total is a range when a term's is fewer than 3, and it shows no breakdown where a term shows none", () => {
    const small = publishedTerm(
      new Map([
        ["Toilets", 1],
        ["Online", 1],
      ]),
    );
    const big = publishedTerm(
      new Map([
        ["Toilets", 9],
        ["Online", 6],
      ]),
    );
    assert.equal(small.sections[0]!.rows.length, 0);
    const year = yearFromTerms([big, small], () => false);
    assert.deepEqual(year.total, { shown: "between 16 and 17" });
    assert.deepEqual(year.sections[0], { title: "By location", rows: [], note: YEAR_NO_BREAKDOWN_NOTE });
    assert.deepEqual(yearFromTerms([big, big], () => false).total, { shown: "30", count: 30 });
    // Labels are the school's own words: one spelt like a prototype key is added up like any other.
    const odd = publishedTerm(
      new Map([
        ["__proto__", 4],
        ["constructor", 5],
      ]),
    );
    assert.deepEqual(
      yearFromTerms([odd, odd], () => false).sections[0]!.rows.map((r) => `${r.label}: ${r.count.shown}`),
      ["constructor: 10", "__proto__: 8"],
    );
  });

  it("a school year's terms share out 1 September to 31 August with no gaps, the school's own or fixed months", () => {
    const calendar: SchoolCalendar = {
      terms: [
        { name: "Autumn term", firstDay: "2026-09-03", lastDay: "2026-12-18" },
        { name: "Spring term", firstDay: "2027-01-05", lastDay: "2027-03-26" },
        { name: "Summer term", firstDay: "2027-04-12", lastDay: "2027-07-21" },
      ],
      nonSchoolDays: [],
    };
    assert.deepEqual(
      termsOfYear("2026-09-01", calendar).map((t) => `${t.from} ${t.to}`),
      ["2026-09-01 2027-01-04", "2027-01-05 2027-04-11", "2027-04-12 2027-08-31"],
    );
    assert.deepEqual(
      termsOfYear("2030-09-01").map((t) => `${t.label}: ${t.from} ${t.to}`),
      ["Autumn term 2030/31: 2030-09-01 2030-12-31", "Spring term 2030/31: 2031-01-01 2031-03-31", "Summer term 2030/31: 2031-04-01 2031-08-31"],
    );
  });
});
