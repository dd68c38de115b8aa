/**
 * The governors' and Ofsted summary over HTTP against a running Keepsafe, and its PDF read back
 * with pdf-parse: counts and trends only, counts of 1-2 shown as "fewer than 3" with no number
 * sent, no pupil's name anywhere; SLT's counts leave out what SLT may not open; staff are refused.
 */
import assert from "node:assert/strict";
import { pdfText } from "../support/pdf-text.js";
import { headingsOf, pdfStructure } from "../support/pdf-structure.js";
import { startTestKeepsafe, staffByRole, type TestKeepsafe } from "../support/keepsafe-instance.js";
import { pupilDisplayName, type Pupil } from "../../src/domain/school.js";
import { previousRange, summaryRange } from "../../src/domain/summary-periods.js";
import type { GovernorsSummary } from "../../src/contract/summary-views.js";
import { possibleValues } from "../support/small-count-attack.js";
import { possibleValues as comparedValues } from "../support/summary-comparison-attack.js";

describe("governors' and Ofsted summary", function () {
  this.timeout(120_000);
  let keepsafe: TestKeepsafe;
  const dsl = staffByRole(/^DSL/);
  const slt = staffByRole(/^SLT/);
  const teacher = staffByRole(/^Teacher \(Year 3\)/);
  let pupils: Pupil[];
  const today = new Date().toISOString().slice(0, 10);
  const path = (ext = "") => `/api/reports/governors-summary${ext}?period=term&date=${today}`;

  it("knows its terms and school years", () => {
    assert.deepEqual(summaryRange("term", "2026-10-15"), { from: "2026-09-01", to: "2026-12-31", label: "Autumn term 2026/27" });
    assert.deepEqual(summaryRange("term", "2027-02-28"), { from: "2027-01-01", to: "2027-03-31", label: "Spring term 2026/27" });
    assert.deepEqual(summaryRange("term", "2027-06-01"), { from: "2027-04-01", to: "2027-08-31", label: "Summer term 2026/27" });
    assert.deepEqual(summaryRange("schoolYear", "2027-06-01"), { from: "2026-09-01", to: "2027-08-31", label: "School year 2026/27" });
    assert.equal(previousRange("term", "2027-01-01").label, "Autumn term 2026/27");
  });

  describe("over HTTP", () => {
    before(async () => {
      keepsafe = await startTestKeepsafe();
      const t = await keepsafe.service.resolveActor(teacher.oid, { mfa: false });
      pupils = (await keepsafe.service["deps"].schools.listPupils(t.schoolId)).slice(0, 3);
      const at = (hoursAgo: number) => new Date(Date.now() - hoursAgo * 3_600_000).toISOString();
      const record = (i: number, pupilId: string, categoryIds: string[], extra: { toldDslInPerson?: "yes" } = {}) =>
        keepsafe.service.recordIncident(t, {
          submissionId: `summary-test-${i}`,
          pupilId,
          occurredAt: at(i + 1),
          categoryIds,
          account: "A concern for the termly summary.",
          alertStaffIds: [dsl.oid],
          source: "tab",
          ...extra,
        });
      for (let i = 0; i < 4; i++) await record(i, pupils[0]!.id, ["welfare"]);
      await record(4, pupils[1]!.id, ["behaviour"]);
      await record(5, pupils[2]!.id, ["safeguarding"], { toldDslInPerson: "yes" });
    });
    after(async () => keepsafe?.cleanup());

    it('counts the term\'s concerns, shows 1-2 as "fewer than 3" without the number, and names no pupil', async () => {
      const res = await keepsafe.api(path(), await keepsafe.tokenFor(dsl));
      assert.equal(res.status, 200, await res.clone().text());
      const summary = (await res.json()) as GovernorsSummary;
      assert.deepEqual(summary.total, { shown: "6", count: 6 });
      const byCategory = summary.sections.find((s) => s.title === "By category")!.rows;
      // 6 in all, and Behaviour and Safeguarding 1 each: with Welfare's 4 shown, 6 - 4 = 2 would make them 1 each.
      assert.deepEqual(byCategory.find((r) => r.label === "Welfare")?.count, { shown: "hidden" });
      assert.deepEqual(byCategory.find((r) => r.label === "Behaviour")?.count, { shown: "fewer than 3" });
      assert.match(summary.sections.find((s) => s.title === "By category")!.note ?? "", /cannot be worked out/);
      const sent = JSON.stringify(summary);
      for (const p of pupils) assert.ok(!sent.includes(p.surname) && !sent.includes(p.id), "no pupil in the answer");

      const pdfRes = await keepsafe.api(path(".pdf"), await keepsafe.tokenFor(dsl));
      assert.equal(pdfRes.status, 200);
      const bytes = await pdfRes.arrayBuffer();
      // Tagged: its title the H1 and each section an H2, in the order of the summary.
      const tagged = await pdfStructure(bytes);
      const text = await pdfText(bytes); // pdf-parse hands the bytes to its worker: read them last
      assert.deepEqual([tagged.lang, tagged.marked], ["en-GB", true]);
      assert.deepEqual(headingsOf(tagged), ["H1: Safeguarding summary for governors and Ofsted", ...summary.sections.map((s) => `H2: ${s.title}`)]);
      assert.ok(
        text.includes("Safeguarding summary for governors and Ofsted") &&
          text.includes("Welfare: hidden") &&
          text.includes("Behaviour: fewer than 3"),
      );
      assert.match(text, /Prepared by Helen Okafor on/);
      for (const p of pupils) assert.ok(!text.includes(pupilDisplayName(p)) && !text.includes(p.surname), `no ${pupilDisplayName(p)} in the PDF`);
      const audit = await keepsafe.service["deps"].records.auditForStaff(pupils[0]!.schoolId, dsl.oid, 50);
      assert.ok(
        audit.some((e) => e.type === "summary.exported"),
        "the export is audited",
      );
    });

    it("no section's small count can be worked out from the summary's total and the rows shown, on a real school", async () => {
      for (const staff of [dsl, slt]) {
        const summary = (await (await keepsafe.api(path(), await keepsafe.tokenFor(staff))).json()) as GovernorsSummary;
        const totals = summary.total.count === undefined ? [1, 2] : [summary.total.count];
        // Each of these sections' rows add up to the total (here every concern has one category); a
        // pupil may have several pupil groups or none, so that section's rows have no known sum.
        for (const section of summary.sections.filter((s) => s.title !== "By pupil group"))
          for (const [i, values] of possibleValues(section.rows, totals))
            if (section.rows[i]!.count.shown.startsWith("fewer than"))
              assert.ok(values.size >= 2, `${staff.label}: ${section.title}, ${section.rows[i]!.label}: ${JSON.stringify(section.rows)}`);
      }
    });

    describe("a school year beside its terms", () => {
      // 2025/26, by category: Welfare 4 + 3 + 2, Behaviour 3 + 3 + 4, Safeguarding 0 + 0 + 5. The
      // summer hides Welfare's 2 (and Behaviour's 4 beside it); a year suppressed on its own would
      // show Welfare 9, and 9 - 4 - 3 = 2.
      const days = ["2025-10-15", "2026-02-10", "2026-05-12"];
      const plan: [string, number][][] = [
        [
          ["welfare", 4],
          ["behaviour", 3],
        ],
        [
          ["welfare", 3],
          ["behaviour", 3],
        ],
        [
          ["welfare", 2],
          ["behaviour", 4],
          ["safeguarding", 5],
        ],
      ];
      before(async () => {
        const t = await keepsafe.service.resolveActor(teacher.oid, { mfa: false });
        let n = 0;
        for (const [term, categories] of plan.entries())
          for (const [category, count] of categories)
            for (let i = 0; i < count; i++)
              await keepsafe.service.recordIncident(t, {
                submissionId: `summary-year-test-${n++}`,
                pupilId: pupils[n % 3]!.id,
                occurredAt: `${days[term]}T10:${String(n % 60).padStart(2, "0")}:00.000Z`,
                categoryIds: [category],
                account: "A concern for the year's summary.",
                alertStaffIds: [dsl.oid],
                source: "tab",
                ...(category === "safeguarding" ? { toldDslInPerson: "yes" as const } : {}),
              });
      });

      it("summary year from terms: the year's counts are its terms' added up, a hidden term count kept hidden or a range, and the page's rule is in the PDF", async () => {
        const get = async (period: string, date: string) =>
          (await (
            await keepsafe.api(`/api/reports/governors-summary?period=${period}&date=${date}`, await keepsafe.tokenFor(dsl))
          ).json()) as GovernorsSummary;
        const terms = await Promise.all(days.map((d) => get("term", d)));
        const year = await get("schoolYear", days[0]!);
        const byCategory = (s: GovernorsSummary) => s.sections.find((x) => x.title === "By category")!;
        assert.deepEqual(
          byCategory(terms[2]!).rows.map((r) => `${r.label}: ${r.count.shown}`),
          ["Safeguarding: 5", "Behaviour: hidden", "Welfare: fewer than 3"],
        );
        assert.deepEqual(
          byCategory(year).rows.map((r) => `${r.label}: ${r.count.shown}`),
          ["Safeguarding: 5", "Behaviour: hidden", "Welfare: between 8 and 9"],
        );
        assert.deepEqual([year.total, year.previous.period], [{ shown: "24", count: 24 }, "School year 2024/25"]);
        // Everything the terms and the year show, put together, still leaves the summer's Welfare 1 or 2.
        const section = (s: GovernorsSummary) => ({ total: s.total, ...byCategory(s) });
        const values = comparedValues(terms.map(section), section(year), { term: 2, label: "Welfare" });
        assert.deepEqual([...values].sort(), [1, 2]);

        assert.match(year.rule, /A school year's counts are its terms' counts added up, hidden or given as a range wherever a term's is hidden/);
        const res = await keepsafe.api(`/api/reports/governors-summary.pdf?period=schoolYear&date=${days[0]}`, await keepsafe.tokenFor(dsl));
        assert.equal(res.status, 200);
        const text = await pdfText(await res.arrayBuffer());
        assert.ok(text.includes(year.rule), "the PDF says the rule in the page's words");
        assert.ok(text.includes("Welfare: between 8 and 9") && text.includes("Behaviour: hidden"));
      });
    });

    it("gives SLT only what SLT may open, and refuses staff and bad periods", async () => {
      const summary = (await (await keepsafe.api(path(), await keepsafe.tokenFor(slt))).json()) as GovernorsSummary;
      assert.deepEqual(summary.total, { shown: "5", count: 5 }, "the safeguarding record is not SLT's to count");
      assert.ok(!summary.sections.some((s) => s.rows.some((r) => r.label === "Safeguarding")));
      assert.equal((await keepsafe.api(path(), await keepsafe.tokenFor(teacher))).status, 403);
      assert.equal((await keepsafe.api(`/api/reports/governors-summary?period=week&date=${today}`, await keepsafe.tokenFor(dsl))).status, 400);
      assert.equal((await keepsafe.api("/api/reports/governors-summary?period=term&date=2026-02-30", await keepsafe.tokenFor(dsl))).status, 400);
      assert.equal((await keepsafe.api(`${path()}&__proto__=1`, await keepsafe.tokenFor(dsl))).status, 400);
    });
  });
});
