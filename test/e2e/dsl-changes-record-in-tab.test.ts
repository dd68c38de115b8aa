/**
 * A DSL re-categorises a record in the real tab, in headless Chromium through the local Teams host:
 * opens the pupil's chronology, opens the Behaviour record, chooses Re-categorise, ticks Child
 * Protection instead, gives the reason and sees the change in the record's history (old category
 * kept) and in the chronology, while the stored incident stays as it was submitted.
 */
import assert from "node:assert/strict";
import path from "node:path";
import type { Browser } from "playwright-core";
import { projectRoot, startTestKeepsafe, staffByRole, type TestKeepsafe } from "../support/keepsafe-instance.js";
import { launchBrowser, openChronology, openTabAs } from "../support/browser.js";

const SCREENSHOT = path.join(projectRoot, "test-results", "dsl-recategorise-history.png");

describe("end to end: a DSL re-categorises a record in the tab", function () {
  this.timeout(120_000);
  let keepsafe: TestKeepsafe;
  let browser: Browser;
  const teacher = staffByRole(/^Teacher \(Year 3\)/);
  const dsl = staffByRole(/^DSL/);

  before(async () => {
    keepsafe = await startTestKeepsafe();
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await keepsafe?.cleanup();
  });

  it("asks for the reason and shows the change with the old category in the history and the chronology", async () => {
    const teacherActor = await keepsafe.service.resolveActor(teacher.oid, { mfa: false });
    const pupil = (await keepsafe.service.searchPupils(teacherActor, "a"))[0];
    const { incident } = await keepsafe.service.recordIncident(teacherActor, {
      submissionId: "e2e-recategorise-in-tab",
      pupilId: pupil.id,
      occurredAt: new Date(Date.now() - 3600_000).toISOString(),
      source: "tab",
      categoryIds: ["behaviour"],
      account: "Pushed another child off the climbing frame at lunch.",
      alertStaffIds: [dsl.oid],
    });

    const { page, tab } = await openTabAs(browser, keepsafe.url, dsl.oid);
    await openChronology(tab, pupil.displayName);
    await tab.getByTestId("chronology-entry").filter({ hasText: incident.reference }).first().click();
    await tab.getByTestId("incident-workflow").waitFor();
    assert.equal((await tab.getByTestId("incident-field-categories").innerText()).trim(), "Behaviour");

    await tab.getByTestId("change-recategorise").click();
    await tab.getByTestId("recategorise-behaviour").uncheck();
    await tab.getByTestId("recategorise-child-protection").check();
    assert.equal(await tab.getByTestId("change-save").isDisabled(), true, "a change needs its reason");
    await tab.getByTestId("change-reason").fill("The child disclosed at the follow-up; this is a child protection matter.");
    await tab.getByTestId("change-save").click();

    const row = tab.getByTestId("history-row").first();
    await row.waitFor();
    const text = await row.innerText();
    assert.match(text, /Re-categorised from Behaviour to Child Protection/);
    assert.match(text, /Reason: The child disclosed at the follow-up/);
    assert.match(text, new RegExp(dsl.displayName));
    assert.equal((await tab.getByTestId("incident-field-categories").innerText()).trim(), "Child Protection");
    await tab.getByTestId("incident-workflow").screenshot({ path: SCREENSHOT });

    assert.deepEqual((await keepsafe.records.getIncident(incident.id))?.categoryIds, ["behaviour"], "the stored incident is as submitted");
    const changes = await keepsafe.records.changesForIncident(incident.id, pupil.id);
    assert.deepEqual(
      changes.map((c) => [c.kind, c.before.categoryIds, c.after.categoryIds]),
      [["recategorise", ["behaviour"], ["child-protection"]]],
    );
    await page.close();
  });
});
