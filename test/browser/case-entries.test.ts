/**
 * A DSL adds to a pupil's chronology in the real tab, in headless Chromium through the local Teams
 * host: a referral (its due date shown, with "Record outcome"), then its outcome, then a meeting.
 * Each appears as a chronology row; screenshots go to test-results/screenshots/, and axe finds no
 * serious or critical problems with the form open or the chronology showing the entries.
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { AxeBuilder } from "@axe-core/playwright";
import { projectRoot, startTestKeepsafe, staffByRole, type TestKeepsafe } from "../support/keepsafe-instance.js";
import { launchBrowser, newLoopbackPage, openChronologyInHost } from "../support/browser.js";

const SHOTS = join(projectRoot, "test-results", "screenshots");

describe("chronology case entries in the Teams host", function () {
  this.timeout(150_000);
  let keepsafe: TestKeepsafe;
  let browser: Browser;
  const dsl = staffByRole(/^DSL/);

  before(async () => {
    fs.mkdirSync(SHOTS, { recursive: true });
    keepsafe = await startTestKeepsafe();
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await keepsafe?.cleanup();
  });

  const axeProblems = async (page: Page) => {
    const axe = await new AxeBuilder({ page }).include("#kh-tab").exclude(["#kh-tab", "[data-tabster-dummy]"]).analyze();
    return axe.violations
      .filter((v) => v.impact === "serious" || v.impact === "critical")
      .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
  };

  it("a DSL adds a referral, records its outcome and adds a meeting, clicking as they would", async () => {
    const actor = await keepsafe.service.resolveActor(dsl.oid, { mfa: true });
    const pupil = (await keepsafe.service.searchPupils(actor, "a"))[0];
    const page = await newLoopbackPage(browser);
    const tab = await openChronologyInHost(page, keepsafe.url, dsl.oid, pupil.displayName);
    await tab.getByTestId("chronology").waitFor();

    // A referral to children's social care.
    await tab.getByTestId("add-to-chronology").click();
    await tab.getByTestId("add-referral").click();
    await tab.getByTestId("case-entry-agencyId").selectOption("social-care");
    await tab.getByTestId("case-entry-save").click();
    await tab.getByTestId("case-entry-errors").waitFor();
    // The summary names the field by its label, announced; focus goes to it, and the problem sits beside it too.
    const summary = tab.getByTestId("case-entry-errors");
    assert.equal(await summary.getAttribute("role"), "alert");
    assert.match(
      await summary.innerText(),
      /Contact \(name, team or number\): Say who the referral was made to/,
      "the server names the missing contact",
    );
    assert.ok(await tab.getByTestId("case-entry-contact").evaluate((el) => el === el.ownerDocument.activeElement), "focus on the contact");
    assert.match(await tab.getByTestId("error-contact").innerText(), /Say who the referral was made to/);
    await tab.getByTestId("case-entry-contact").fill("MASH duty desk, 0300 123 4567");
    await tab.getByTestId("case-entry-notes").fill("Bruising seen at breakfast club");
    assert.deepEqual(await axeProblems(page), [], "the referral form");
    await page.screenshot({ path: join(SHOTS, "case-entry-referral-form.png") });
    await tab.getByTestId("case-entry-save").click();

    const referralRow = tab.locator('[data-case-entry-kind="referral"]');
    await referralRow.waitFor();
    assert.match(await referralRow.innerText(), /MASH duty desk/);
    assert.match(await referralRow.getByTestId("referral-state").innerText(), /Due /);

    // Its outcome.
    await referralRow.getByTestId("record-outcome").click();
    await tab.getByTestId("outcome-text").fill("Accepted by MASH; social worker allocated");
    await tab.getByTestId("outcome-save").click();
    await tab.locator('[data-case-entry-kind="referral-outcome"]').waitFor();
    assert.match(await tab.locator('[data-case-entry-kind="referral"]').getByTestId("referral-state").innerText(), /Outcome recorded/);

    // A meeting.
    await tab.getByTestId("add-to-chronology").click();
    await tab.getByTestId("add-meeting").click();
    await tab.getByTestId("case-entry-meetingType").selectOption("Strategy meeting");
    await tab.getByTestId("case-entry-attendees").fill("DSL, social worker, police");
    await tab.getByTestId("case-entry-notes").fill("Section 47 enquiry agreed");
    await tab.getByTestId("case-entry-save").click();
    const meetingRow = tab.locator('[data-case-entry-kind="meeting"]');
    await meetingRow.waitFor();
    assert.match(await meetingRow.innerText(), /Strategy meeting/);

    assert.deepEqual(await axeProblems(page), [], "the chronology with its case entries");
    await page.screenshot({ path: join(SHOTS, "case-entries-chronology.png") });

    const stored = await keepsafe.caseEntries.caseEntriesForPupil(pupil.id);
    assert.deepEqual(stored.map((e) => e.kind).sort(), ["meeting", "referral", "referral-outcome"]);
    await page.close();
  });
});
