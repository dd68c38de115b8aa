/**
 * "Download PDF" on a pupil's chronology in the real tab, in headless Chromium, through the local
 * Teams host against a running Keepsafe: the DSL narrows the chronology (a category and a first
 * day), downloads the PDF (fetched with the bearer token, saved as a blob), and pdf-parse reads back
 * the entries on screen, not the filtered-out ones, and the watermark; the export is audited. SLT,
 * who browse chronologies but may not export them, get no button. Screenshots go to test-results/.
 */
import assert from "node:assert/strict";
import { mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { Browser, FrameLocator, Page } from "playwright-core";
import { projectRoot, startTestKeepsafe, staffByRole, waitFor, type TestKeepsafe } from "../support/keepsafe-instance.js";
import { launchBrowser, newLoopbackPage, signInToHost, openChronology } from "../support/browser.js";
import { pdfText } from "../support/pdf-text.js";
import { seriousAxeViolations } from "../support/axe-check.js";

const SHOTS = join(projectRoot, "test-results", "screenshots");
const ukDay = (d: Date) =>
  new Intl.DateTimeFormat("en-GB", { day: "2-digit", month: "2-digit", year: "numeric", timeZone: "Europe/London" }).format(d);
const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000);

describe("chronology Download PDF in the Teams host", function () {
  this.timeout(180_000);
  let keepsafe: TestKeepsafe;
  let browser: Browser;
  const dsl = staffByRole(/^DSL/);
  const slt = staffByRole(/^SLT/);
  const teacher = staffByRole(/^Teacher \(Year 3\)/);
  let pupil: { id: string; displayName: string };

  before(async () => {
    mkdirSync(SHOTS, { recursive: true });
    keepsafe = await startTestKeepsafe();
    browser = await launchBrowser();
    const actor = await keepsafe.service.resolveActor(teacher.oid, { mfa: true });
    // The tab is driven by name: a pupil whose name is their own on the demo roll.
    for (const p of await keepsafe.service.searchPupils(actor, "a"))
      if ((await keepsafe.service.searchPupils(actor, p.displayName)).filter((q) => q.displayName === p.displayName).length === 1) {
        pupil = p;
        break;
      }
    const concerns: [number, string, string][] = [
      [10, "welfare", "Came in with no coat in the snow again."],
      [20, "behaviour", "Threw a chair across the hall."],
      [45, "welfare", "An older welfare concern before the period."],
    ];
    for (const [ago, category, account] of concerns)
      await keepsafe.service.recordIncident(actor, {
        submissionId: `chronology-pdf-download-${ago}`,
        pupilId: pupil.id,
        occurredAt: daysAgo(ago).toISOString(),
        categoryIds: [category],
        account,
        alertStaffIds: [dsl.oid],
        source: "tab",
      });
  });
  after(async () => {
    await browser?.close();
    await keepsafe?.cleanup();
  });

  async function chronologyAs(page: Page, oid: string): Promise<FrameLocator> {
    const tab = await signInToHost(page, keepsafe.url, oid, { mfa: true });
    await openChronology(tab, pupil.displayName);
    await tab.getByTestId("chronology-entry").first().waitFor();
    return tab;
  }

  it("downloads the PDF of the filtered chronology: what is on screen, not what was filtered out, watermarked", async () => {
    const page = await newLoopbackPage(browser);
    const tab = await chronologyAs(page, dsl.oid);
    const rows = tab.getByTestId("chronology-entry");
    await tab.getByTestId("chronology-filter-category").selectOption("welfare");
    await tab.getByTestId("chronology-filter-from").fill(ukDay(daysAgo(30)));
    await waitFor(async () => ((await rows.count()) === 1 ? true : undefined), "only the recent welfare concern");
    await page.screenshot({ path: join(SHOTS, "chronology-pdf-filtered.png"), fullPage: true });
    assert.deepEqual(await seriousAxeViolations(page), [], "the chronology with its Download PDF button");

    const [download] = await Promise.all([page.waitForEvent("download"), tab.getByTestId("chronology-pdf").click()]);
    assert.match(download.suggestedFilename(), /^chronology-\d{4}-\d{2}-\d{2}-to-\d{4}-\d{2}-\d{2}\.pdf$/);
    const text = await pdfText(readFileSync(await download.path()));
    assert.ok(text.includes("Came in with no coat in the snow again."), "the entry on screen");
    assert.ok(!text.includes("Threw a chair"), "another category is left out");
    assert.ok(!text.includes("before the period"), "an entry before the first day is left out");
    assert.match(text, /Exported by Helen Okafor on/, "the watermark");
    assert.match(text, /in Welfare/, "the period line names the category");

    const exported = (await keepsafe.records.auditForPupil(pupil.id)).filter((e) => e.type === "chronology.exported");
    assert.equal(exported.length, 1, "the export is audited");
    assert.deepEqual(exported[0].detail?.categoryIds, ["welfare"]);
    await page.close();
  });

  it("offers SLT no Download PDF", async () => {
    const page = await newLoopbackPage(browser);
    const tab = await chronologyAs(page, slt.oid);
    await tab.getByTestId("chronology").waitFor();
    assert.equal(await tab.getByTestId("chronology-pdf").count(), 0);
    await page.close();
  });
});
