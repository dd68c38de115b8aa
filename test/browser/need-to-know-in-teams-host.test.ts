/**
 * Need to know, in the real tab in headless Chromium through the local Teams host: the head of year
 * (scope `year:5`) finds only Year 5 pupils, and another year's pupil opened by the chronology link
 * answers "not found"; a teacher's deep link to a colleague's safeguarding concern reads exactly like
 * a made-up id.
 */
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Browser } from "playwright-core";
import { AxeBuilder } from "@axe-core/playwright";
import { startTestKeepsafe, staffByRole, waitFor, type TestKeepsafe } from "../support/keepsafe-instance.js";
import { launchBrowser, newLoopbackPage, openTabAs } from "../support/browser.js";

const SHOTS = join(process.cwd(), "test-results", "screenshots");

describe("tab: need to know — a head of year and a teacher see only what is theirs", function () {
  this.timeout(180_000);
  let keepsafe: TestKeepsafe;
  let browser: Browser;
  const headOfYear = staffByRole(/^Head of year \(Year 5\)/);
  const dsl = staffByRole(/^DSL/);
  let otherYearPupilId: string;
  let sharedName: string;
  let colleaguesConcernId: string;
  const teacher = staffByRole(/^Teacher \(Year 3\)/);
  const colleague = staffByRole(/^Teacher \(Reception\)/);

  before(async () => {
    mkdirSync(SHOTS, { recursive: true });
    keepsafe = await startTestKeepsafe();
    browser = await launchBrowser();
    const dslActor = await keepsafe.service.resolveActor(dsl.oid, { mfa: true });
    const everyone = await keepsafe.service.searchPupils(dslActor, "a");
    const other = everyone.find((p) => p.yearGroup !== "Year 5");
    assert.ok(other, "the demo roll has pupils outside Year 5");
    otherYearPupilId = other.id;
    // A few letters that find a Year 5 pupil and a pupil of another year alike, so the search could show both.
    for (const p of everyone.filter((q) => q.yearGroup === "Year 5")) {
      const letters = p.displayName.slice(0, 2);
      const found = await keepsafe.service.searchPupils(dslActor, letters);
      if (found.some((q) => q.yearGroup !== "Year 5")) {
        sharedName = letters;
        break;
      }
    }
    assert.ok(sharedName, "the demo roll has letters shared across years");
    const colleagueActor = await keepsafe.service.resolveActor(colleague.oid, { mfa: true });
    const recorded = await keepsafe.service.recordIncident(colleagueActor, {
      pupilId: everyone[0].id,
      submissionId: "need-to-know-colleague",
      categoryIds: ["safeguarding"],
      occurredAt: "2026-03-12T10:00:00Z",
      account: "A made-up account for the browser test.",
      source: "tab",
      alertStaffIds: [],
      toldDslInPerson: "yes",
    });
    colleaguesConcernId = recorded.incident.id;
  });
  after(async () => {
    await browser?.close();
    await keepsafe?.cleanup();
  });

  it("the head of year searching for a name shared across years sees only Year 5 pupils", async () => {
    const { page, tab } = await openTabAs(browser, keepsafe.url, headOfYear.oid);
    await tab.getByTestId("pupil-search").fill(sharedName);
    const results = tab.getByTestId("pupil-result");
    await waitFor(async () => ((await results.count()) > 0 ? true : undefined), "some Year 5 pupils");
    const metas = await results.allInnerTexts();
    for (const meta of metas) assert.match(meta, /Year 5/, `every result is in Year 5: ${meta}`);
    await page.screenshot({ path: join(SHOTS, "need-to-know-head-of-year-search.png"), fullPage: true });
  });

  it("another year's pupil opened by the chronology link shows not found, and passes axe", async () => {
    const { page, tab } = await openTabAs(browser, keepsafe.url, headOfYear.oid);
    await tab.getByTestId("pupil-search").waitFor();
    // The chronology link is the tab's own address with ?view=pupil&pupilId=...; load the tab frame there.
    await page.evaluate((pupilId) => {
      const frame = document.querySelector<HTMLIFrameElement>("#kh-tab");
      if (!frame) throw new Error("no tab frame");
      const url = new URL(frame.src);
      url.searchParams.set("view", "pupil");
      url.searchParams.set("pupilId", pupilId);
      frame.src = url.href;
    }, otherYearPupilId);
    await tab
      .getByText(/not found/i)
      .first()
      .waitFor();
    await page.screenshot({ path: join(SHOTS, "need-to-know-other-year-not-found.png"), fullPage: true });
    const axe = await new AxeBuilder({ page }).include("#kh-tab").exclude(["#kh-tab", "[data-tabster-dummy]"]).analyze();
    const bad = axe.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
    assert.deepEqual(
      bad.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`),
      [],
    );
  });

  it("a teacher's deep link to a colleague's safeguarding concern reads exactly like a made-up id", async () => {
    const shown: string[] = [];
    for (const [name, id] of [
      ["colleague", colleaguesConcernId],
      ["made-up", "no-such-incident"],
    ] as const) {
      const page = await newLoopbackPage(browser);
      // The Teams deep link opens the tab with subPageId `incident:<id>`; the local host passes it on from #subEntityId.
      await page.goto(`${keepsafe.url}/?as=${teacher.oid}#subEntityId=${encodeURIComponent(`incident:${id}`)}`);
      const tab = page.frameLocator("#kh-tab");
      await tab
        .getByText(/not found/i)
        .first()
        .waitFor();
      await page.screenshot({ path: join(SHOTS, `need-to-know-deep-link-${name}.png`), fullPage: true });
      shown.push((await tab.locator("body").innerText()).replaceAll(id, "<id>"));
      await page.close();
    }
    assert.equal(shown[0], shown[1]);
  });
});
