/**
 * A home count past the cap of 500, through the real tab API: it says 500 with `more` (the tab shows
 * "500+") rather than a silent 500, for the safeguarding team (counted in the store) and for SLT
 * (counted from the records they may open), and the list behind it pages on to every record. The
 * tab in Chromium shows the count as "500+" and says so to a screen reader.
 */
import assert from "node:assert/strict";
import { startTestKeepsafe, staffByRole, type TestKeepsafe } from "../support/keepsafe-instance.js";
import { launchBrowser, newLoopbackPage, signInToHost } from "../support/browser.js";
import type { HomeList, HomeView } from "../../src/contract/task-views.js";

const MADE = 501;

describe("a home count past the cap (API and tab)", function () {
  this.timeout(600_000);
  const dsl = staffByRole(/^DSL/);
  const slt = staffByRole(/^SLT/);
  const teacher = staffByRole(/^Teacher \(Year 3\)/);
  let keepsafe: TestKeepsafe;
  const made: string[] = [];

  const get = async (path: string, staff: typeof dsl) => {
    const res = await keepsafe.api(path, await keepsafe.tokenFor(staff));
    assert.equal(res.status, 200, await res.clone().text());
    return res.json();
  };

  before(async () => {
    keepsafe = await startTestKeepsafe();
    const me = await keepsafe.service.resolveActor(teacher.oid, { mfa: true });
    const pupils = await keepsafe.service.searchPupils(me, "a");
    for (let i = 0; i < MADE; i += 5)
      made.push(
        ...(await Promise.all(
          Array.from({ length: Math.min(5, MADE - i) }, async (_, j) => {
            const { incident } = await keepsafe.service.recordIncident(me, {
              pupilId: pupils[(i + j) % pupils.length].id,
              occurredAt: new Date(Date.now() - 3600_000).toISOString(),
              source: "tab",
              submissionId: `home-count-cap-${i + j}`,
              account: "Was upset at lunch and would not say why.",
              categoryIds: ["behaviour"],
              alertStaffIds: [dsl.oid],
            });
            return incident.id;
          }),
        )),
      );
  });
  after(() => keepsafe?.cleanup());

  it("home count cap: past 500 records a DSL's and SLT's count says more, and the list pages on to every record", async () => {
    for (const staff of [dsl, slt]) {
      const home = (await get("/api/home", staff)) as HomeView;
      const count = home.counts.find((c) => c.list === "new-today")!;
      assert.deepEqual({ count: count.count, more: count.more }, { count: 500, more: true }, `${staff.label}: 500+`);
      assert.ok(
        home.counts.filter((c) => c.list !== "new-today").every((c) => c.more === c.count >= 500),
        "only a count at the cap says more",
      );
    }
    const first = (await get("/api/home/new-today", dsl)) as HomeList;
    assert.equal(first.records.length, 500, "a page of KEEPSAFE_LIST_MAX (500)");
    assert.ok(first.continuation, "more remain");
    const rest = (await get(`/api/home/new-today?continuation=${first.continuation}`, dsl)) as HomeList;
    const ids = [...first.records, ...rest.records].map((r) => r.incidentId);
    assert.equal(new Set(ids).size, ids.length, "no record twice");
    for (const id of made) assert.ok(ids.includes(id), "every record, past the cap too");
    assert.equal(rest.continuation, undefined, "the last page");
  });

  it("home count cap: the tab shows a count at the cap as 500+", async () => {
    const browser = await launchBrowser();
    try {
      const page = await newLoopbackPage(browser);
      const tab = await signInToHost(page, keepsafe.url, dsl.oid, { mfa: true });
      const count = tab.getByTestId("home-count-new-today");
      await count.waitFor();
      assert.equal(await count.getByTestId("home-count-number").innerText(), "500+");
      assert.match((await count.getAttribute("aria-label")) ?? "", /^New today: more than 500\. Open the list$/);
    } finally {
      await browser.close();
    }
  });
});
