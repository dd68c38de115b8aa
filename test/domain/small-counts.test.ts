/**
 * Small counts in the governors' summary cannot be worked out: over random count tables, every
 * hidden small count keeps at least two values that fit the total and the rows shown, no hidden
 * number is sent, and the hidden rows' order says nothing about their sizes.
 */
import assert from "node:assert/strict";
import fc from "fast-check";
import { suppressBreakdown } from "../../src/domain/small-counts.js";
import { suppressed } from "../../src/domain/summary-periods.js";
import { possibleValues } from "../support/small-count-attack.js";

const table = fc
  .uniqueArray(fc.constantFrom(..."ABCDEFGHIJ"), { minLength: 1, maxLength: 8 })
  .chain((labels) =>
    fc.tuple(
      fc.constant(labels),
      fc.array(fc.oneof(fc.integer({ min: 1, max: 2 }), fc.integer({ min: 3, max: 14 })), { minLength: labels.length, maxLength: labels.length }),
    ),
  )
  .map(([labels, counts]) => labels.map((label, i) => ({ label: `Row ${label}`, count: counts[i]! })));

/** The total as the summary shows it: exact, or 1 or 2 when it is itself "fewer than 3". */
const totalsSeen = (total: number) => (suppressed(total).count === undefined ? [1, 2] : [total]);

describe("small counts in the summary", () => {
  it("no suppressed small count can be recovered from the total and the shown cells, over random count tables", () => {
    fc.assert(
      fc.property(table, fc.boolean(), (rows, keepOrder) => {
        const total = rows.reduce((n, r) => n + r.count, 0);
        const section = suppressBreakdown(total, rows, { keepOrder });
        const truth = new Map(rows.map((r) => [r.label, r.count]));
        if (!section.rows.length) return assert.ok(section.note, "a section with no rows says why");
        assert.equal(section.rows.length, rows.length);
        for (const r of section.rows) {
          const n = truth.get(r.label)!;
          if (n < 3) assert.equal(r.count.count, undefined, `${r.label} (${n}) is hidden`);
          if (r.count.count !== undefined) assert.equal(r.count.count, n, "a shown count is true");
          else assert.ok(!/\d/.test(r.count.shown.replace("fewer than 3", "")), "no hidden number is sent");
        }
        for (const [i, values] of possibleValues(section.rows, totalsSeen(total))) {
          const row = section.rows[i]!;
          assert.ok(values.has(truth.get(row.label)!), "the check sees the true value as possible");
          if (truth.get(row.label)! < 3) assert.ok(values.size >= 2, `${row.label} could be worked out: ${JSON.stringify(section.rows)}`);
        }
        if (!keepOrder) {
          const hidden = section.rows.filter((r) => r.count.count === undefined).map((r) => r.label);
          assert.deepEqual(hidden, [...hidden].sort(), "hidden rows in label order, after the shown ones");
        }
      }),
      { numRuns: 2000 },
    );
  });

  it("the same check catches a small count hidden alone when the total gives it away", () => {
    const naive = [{ count: suppressed(4) }, { count: suppressed(1) }, { count: suppressed(1) }];
    assert.deepEqual(
      [...possibleValues(naive, [6]).values()].map((v) => [...v]),
      [[1], [1]],
    );
    const rows = [
      { label: "Welfare", count: 4 },
      { label: "Behaviour", count: 1 },
      { label: "Bullying", count: 1 },
    ];
    assert.deepEqual(
      suppressBreakdown(6, rows).rows.map((r) => `${r.label}: ${r.count.shown}`),
      ["Behaviour: fewer than 3", "Bullying: fewer than 3", "Welfare: hidden"],
    );
  });
});
