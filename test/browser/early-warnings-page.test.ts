/**
 * Early warning on the DSL's home in the real tab, in headless Chromium, through the local Teams
 * host against a running Keepsafe: three concerns about one pupil fire the default rule; the DSL
 * sees the pupil (a link to the chronology), the rule and the triggering concerns (links), marks it
 * reviewed with a note (blank refused), and it leaves the open list for the reviewed list with who,
 * when and the note; axe-core finds no serious or critical violation. SLT and a teacher see no
 * panel. Screenshots go to test-results/screenshots/.
 */
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Browser, FrameLocator, Page } from "playwright-core";
import { projectRoot, startTestKeepsafe, staffByRole, waitFor, type TestKeepsafe } from "../support/keepsafe-instance.js";
import { launchBrowser, newLoopbackPage, signInToHost } from "../support/browser.js";
import { seriousAxeViolations } from "../support/axe-check.js";

const SHOTS = join(projectRoot, "test-results", "screenshots");

describe("early warnings on the DSL home in the Teams host", function () {
  this.timeout(180_000);
  let keepsafe: TestKeepsafe;
  let browser: Browser;
  const dsl = staffByRole(/^DSL/);
  const slt = staffByRole(/^SLT/);
  const teacher = staffByRole(/^Teacher \(Year 3\)/);
  let pupil: { id: string; displayName: string };
  const references: string[] = [];

  before(async () => {
    mkdirSync(SHOTS, { recursive: true });
    keepsafe = await startTestKeepsafe();
    browser = await launchBrowser();
    const actor = await keepsafe.service.resolveActor(teacher.oid, { mfa: true });
    pupil = (await keepsafe.service.searchPupils(actor, "a"))[0];
    // Three concerns within 30 days: the school's default any-category rule.
    for (let i = 0; i < 3; i++) {
      const { incident } = await keepsafe.service.recordIncident(actor, {
        submissionId: `early-warnings-page-${i}`,
        pupilId: pupil.id,
        occurredAt: new Date(Date.now() - (i + 1) * 86_400_000).toISOString(),
        categoryIds: [i % 2 ? "behaviour" : "welfare"],
        account: "Came in without a coat again and was hungry.",
        alertStaffIds: [dsl.oid],
        source: "tab",
      });
      references.push(incident.reference);
    }
    await waitFor(async () => ((await keepsafe.earlyWarnings.firingsForPupil(pupil.id)).firings.length ? true : undefined), "the firing");
  });
  after(async () => {
    await browser?.close();
    await keepsafe?.cleanup();
  });

  async function home(page: Page, oid: string): Promise<FrameLocator> {
    const tab = await signInToHost(page, keepsafe.url, oid, { mfa: true });
    await tab.getByTestId("home").waitFor();
    return tab;
  }

  it("shows the firing with its pupil and concerns, reviews it with a note, and lists it as reviewed", async () => {
    const page = await newLoopbackPage(browser);
    const tab = await home(page, dsl.oid);
    const row = tab.getByTestId("early-warning-row").filter({ hasText: pupil.displayName });
    await row.waitFor();
    assert.equal(await tab.getByTestId("early-warnings-count").innerText(), "1");
    assert.match(await row.innerText(), /Concerns building up/);
    assert.deepEqual(await row.getByTestId("early-warning-concern").allInnerTexts(), references);
    await page.screenshot({ path: join(SHOTS, "early-warnings-open.png"), fullPage: true });
    assert.deepEqual(await seriousAxeViolations(page), [], "DSL home with an early warning");
    // On a phone (Teams mobile, 360 px) the table stacks into cards: its header is kept for screen
    // readers only, clipped to a pixel (stacked-table.ts).
    const size = page.viewportSize();
    await page.setViewportSize({ width: 360, height: 800 });
    const header = tab.getByRole("table", { name: /^Early warnings not yet reviewed/ }).locator("thead");
    await waitFor(
      async () => ((await header.evaluate((el) => el.getBoundingClientRect().height)) <= 1 ? true : undefined),
      "the table stacked at 360 px",
    );
    await page.screenshot({ path: join(SHOTS, "early-warnings-phone.png"), fullPage: true });
    if (size) await page.setViewportSize(size);

    // The links: a concern opens the incident; the pupil opens the chronology.
    await row.getByTestId("early-warning-concern").first().click();
    await tab.getByTestId("incident-account").waitFor();
    await tab.getByRole("button", { name: "Back" }).click();
    await row.getByTestId("early-warning-pupil").click();
    await tab.getByTestId("chronology").waitFor();
    assert.equal(await tab.locator("#chronology-title").innerText(), pupil.displayName);

    const again = await home(page, dsl.oid);
    await again.getByTestId("early-warning-row").filter({ hasText: pupil.displayName }).getByTestId("early-warning-review").click();
    const open = again.getByTestId("early-warning-review-row");
    await open.getByTestId("early-warning-save").click();
    await open.getByText("Say what was reviewed.").waitFor();
    assert.equal((await keepsafe.earlyWarnings.firingsForPupil(pupil.id)).reviews.length, 0, "a blank note is not sent");
    assert.equal(await open.getByTestId("early-warning-note").getAttribute("maxlength"), "2000", "the contract's limit");
    await open.getByTestId("early-warning-note").fill("Spoke to the class teacher; monitoring lunches.");
    await page.screenshot({ path: join(SHOTS, "early-warnings-review.png"), fullPage: true });
    await open.getByTestId("early-warning-save").click();

    const reviewed = again.getByTestId("early-warning-reviewed-row").filter({ hasText: pupil.displayName });
    await reviewed.waitFor();
    assert.equal(await again.getByTestId("early-warning-row").count(), 0, "gone from the open list");
    assert.equal(await again.getByTestId("early-warnings-count").innerText(), "0");
    const day = new Intl.DateTimeFormat("en-GB", { day: "2-digit", month: "2-digit", year: "numeric", timeZone: "Europe/London" }).format(new Date());
    assert.equal(
      await reviewed.getByTestId("early-warning-review-line").innerText(),
      `Reviewed by ${dsl.displayName} on ${day}: Spoke to the class teacher; monitoring lunches.`,
    );
    await page.screenshot({ path: join(SHOTS, "early-warnings-reviewed.png"), fullPage: true });
    assert.deepEqual(await seriousAxeViolations(page), [], "DSL home after the review");
    await page.close();
  });

  for (const [who, staff] of [
    ["SLT", slt],
    ["a teacher", teacher],
  ] as const)
    it(`shows ${who} no early-warning panel`, async () => {
      const page = await newLoopbackPage(browser);
      const tab = await home(page, staff.oid);
      await tab.getByTestId("home-count-number").first().waitFor();
      assert.equal(await tab.getByTestId("early-warnings").count(), 0);
      await page.close();
    });
});
