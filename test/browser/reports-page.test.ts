/**
 * The Reports page in the real tab, in headless Chromium, through the local Teams host against a
 * running Keepsafe: the DSL opens Reports, sees a chart and its table, changes a filter (the URL
 * keeps it, so the report can be shared as a link), downloads the CSV; axe-core finds no serious
 * or critical violation. Screenshots go to test-results/screenshots/.
 */
import assert from "node:assert/strict";
import { mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { Browser } from "playwright-core";
import { AxeBuilder } from "@axe-core/playwright";
import { projectRoot, startTestKeepsafe, staffByRole, type TestKeepsafe } from "../support/keepsafe-instance.js";
import { launchBrowser, newLoopbackPage, signInToHost } from "../support/browser.js";
import { seriousAxeViolations } from "../support/axe-check.js";

const SHOTS = join(projectRoot, "test-results", "screenshots");

describe("reports page in the Teams host", function () {
  this.timeout(120_000);
  let keepsafe: TestKeepsafe;
  let browser: Browser;
  const dsl = staffByRole(/^DSL/);
  const teacher = staffByRole(/^Teacher \(Year 3\)/);
  const slt = staffByRole(/^SLT/);

  before(async () => {
    mkdirSync(SHOTS, { recursive: true });
    keepsafe = await startTestKeepsafe();
    browser = await launchBrowser();
    const actor = await keepsafe.service.resolveActor(teacher.oid, { mfa: false });
    const pupils = await keepsafe.service.searchPupils(actor, "a");
    for (let i = 0; i < 6; i++) {
      await keepsafe.service.recordIncident(actor, {
        submissionId: `reports-page-${i}`,
        pupilId: pupils[i % 3].id,
        occurredAt: new Date(Date.now() - (i + 1) * 86_400_000).toISOString(),
        categoryIds: [i % 2 ? "behaviour" : "bullying"],
        account: "Pushed another child at the coat pegs.",
        alertStaffIds: [dsl.oid],
        source: "tab",
      });
    }
    // A referral for the timeliness table (the DSL's alone).
    const dslActor = await keepsafe.service.resolveActor(dsl.oid, { mfa: true });
    await keepsafe.service.addCaseEntry(dslActor, pupils[0].id, {
      kind: "referral",
      requestId: "reports-page-referral",
      occurredAt: new Date(Date.now() - 2 * 86_400_000).toISOString(),
      agencyId: "social-care",
      contact: "MASH duty desk",
    });
  });
  after(async () => {
    await browser?.close();
    await keepsafe?.cleanup();
  });

  it("shows a chart with its table, keeps the filters in the URL, downloads the CSV, and passes axe", async () => {
    const page = await newLoopbackPage(browser);
    await page.goto(`${keepsafe.url}/`);
    await page.selectOption("#kh-user", dsl.oid);
    const tab = page.frameLocator("#kh-tab");
    await tab.getByTestId("open-reports").click();
    await tab.getByTestId("report-chart").locator("svg").first().waitFor();
    const table = tab.getByTestId("report-table");
    await table.waitFor();
    assert.match(await table.innerText(), /Total\s+6/);
    await page.screenshot({ path: join(SHOTS, "reports-by-month.png"), fullPage: true });

    await tab.getByTestId("report-group-by").selectOption("category");
    await tab.getByTestId("report-table").getByText("Bullying").waitFor();
    const search = await tab.locator("body").evaluate(() => window.location.search);
    const query = new URLSearchParams(search);
    assert.equal(query.get("view"), "reports");
    assert.equal(query.get("groupBy"), "category");
    assert.match(await table.innerText(), /Behaviour\s+3/);
    assert.match(await table.innerText(), /Bullying\s+3/);
    await page.screenshot({ path: join(SHOTS, "reports-by-category.png"), fullPage: true });

    const [download] = await Promise.all([page.waitForEvent("download"), tab.getByTestId("report-csv").click()]);
    const csv = readFileSync(await download.path(), "utf8");
    assert.match(csv, /^category,incidents\r\n/);
    // The incidents' section ends at its total; the DSL's referral timeliness follows as its own section.
    assert.match(csv, /\r\nTotal,6\r\n\r\nreferral agency,/);

    // Fluent UI's focus manager (Tabster) puts invisible sentinels (<i data-tabster-dummy>) around
    // focus groups, which hand focus on as soon as they get it; axe reads them as focusable but
    // hidden. They are left out; everything else in the tab is checked.
    const axe = await new AxeBuilder({ page }).include("#kh-tab").exclude(["#kh-tab", "[data-tabster-dummy]"]).analyze();
    const bad = axe.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
    assert.deepEqual(
      bad.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`),
      [],
    );
    await page.close();
  });

  it("shows the DSL the referral timeliness chart beside its table and in the CSV, and SLT neither", async () => {
    const open = async (oid: string) => {
      const page = await newLoopbackPage(browser);
      const tab = await signInToHost(page, keepsafe.url, oid, { mfa: true });
      await tab.getByTestId("open-reports").click();
      await tab.getByTestId("report-table").waitFor();
      return { page, tab };
    };
    const asDsl = await open(dsl.oid);
    const row = asDsl.tab.getByTestId("report-referrals-row");
    await row.waitFor();
    const cells = await row.locator("td").allInnerTexts();
    assert.equal(cells[0], "Children's social care / MASH");
    assert.equal(
      cells.slice(1).reduce((n, c) => n + Number(c), 0),
      1,
      "the one referral, in one column",
    );
    // The chart: a labelled figure with the agency's stacked bar, its legend naming every part.
    const chart = asDsl.tab.getByTestId("report-referrals-chart");
    await chart.locator("svg").first().waitFor();
    assert.match((await chart.getAttribute("aria-label")) ?? "", /referrals by agency.*the table beside it has the same numbers/);
    assert.match(await chart.innerText(), /Children's social care \/ MASH/);
    for (const legend of ["On time", "Late", "Outstanding (past due)", "Awaiting (not yet due)"]) {
      assert.equal(await chart.getByText(legend, { exact: true }).count(), 1, legend);
    }
    await asDsl.page.screenshot({ path: join(SHOTS, "reports-referral-timeliness.png"), fullPage: true });
    assert.deepEqual(await seriousAxeViolations(asDsl.page), [], "reports with referral timeliness");
    const csvOf = async (tab: typeof asDsl.tab, page: typeof asDsl.page) => {
      const [download] = await Promise.all([page.waitForEvent("download"), tab.getByTestId("report-csv").click()]);
      return readFileSync(await download.path(), "utf8");
    };
    const referrals = (await csvOf(asDsl.tab, asDsl.page)).split("\r\n\r\n")[1];
    assert.equal(
      referrals,
      `referral agency,on time,late,outstanding,awaiting\r\nChildren's social care / MASH,${cells.slice(1).join(",")}\r\nTotal,${cells.slice(1).join(",")}\r\n`,
    );
    await asDsl.page.close();

    const asSlt = await open(slt.oid);
    await asSlt.tab.getByTestId("report-repeated").or(asSlt.tab.getByText("No pupil has more than one concern")).first().waitFor();
    assert.equal(await asSlt.tab.getByText("Referral timeliness").count(), 0);
    assert.equal(await asSlt.tab.getByTestId("report-referrals-chart").count(), 0);
    const sltCsv = await csvOf(asSlt.tab, asSlt.page);
    assert.doesNotMatch(sltCsv, /referral/i);
    assert.match(sltCsv, /\r\nTotal,\d+\r\n$/, "SLT's CSV ends at the incidents' total");
    await asSlt.page.close();
  });

  it("fetches the charts' chunk only when Reports opens, with a spinner in the chart's place until it arrives", async () => {
    const page = await newLoopbackPage(browser);
    const refused: string[] = [];
    page.on("console", (m) => void (m.type() === "error" && /Content Security Policy/i.test(m.text()) && refused.push(m.text())));
    // The chunk is held back until the spinner has been seen, so the test sees the loading state for certain.
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const chartRequests: string[] = [];
    await page.route("**/report-charts-*.js", async (route) => {
      chartRequests.push(route.request().url());
      await released;
      await route.continue();
    });
    const tab = await signInToHost(page, keepsafe.url, dsl.oid, { mfa: true });
    await tab.getByTestId("open-reports").waitFor();
    assert.deepEqual(chartRequests, [], "the home page does not fetch the charts");

    await tab.getByTestId("open-reports").click();
    // The table has the same numbers and does not wait for the chart.
    await tab.getByTestId("report-table").waitFor();
    await tab.getByTestId("report-chart").getByTestId("report-chart-loading").waitFor();
    assert.match(await tab.getByTestId("report-chart").innerText(), /Loading chart/);
    assert.equal(chartRequests.length, 1, "one request for the charts' chunk");
    release();
    await tab.getByTestId("report-chart").locator("svg").first().waitFor();
    await tab.getByTestId("report-referrals-chart").locator("svg").first().waitFor();
    assert.equal(await tab.getByTestId("report-chart-loading").count(), 0, "no spinner once the charts are drawn");
    assert.deepEqual(refused, [], "the page's policy allows its own chunks");
    await page.close();
  });

  it("says plainly in the chart's place when the charts' chunk cannot be fetched, and keeps the table", async () => {
    const page = await newLoopbackPage(browser);
    await page.route("**/report-charts-*.js", (route) => route.abort("connectionreset"));
    const tab = await signInToHost(page, keepsafe.url, dsl.oid, { mfa: true });
    await tab.getByTestId("open-reports").click();
    await tab.getByTestId("report-chart").getByTestId("report-chart-unavailable").waitFor();
    assert.match(await tab.getByTestId("report-chart").innerText(), /could not be loaded[\s\S]*table has the same figures/);
    assert.ok(await tab.getByTestId("report-table").isVisible(), "the table with the same numbers is still there");
    await page.close();
  });
});
