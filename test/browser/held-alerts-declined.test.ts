/**
 * Held alerts declined on an allegation about an adult who works here (issue 7), in the real tab in
 * headless Chromium through the local Teams host: a teacher's Safeguarding allegation alerts the
 * school office, which is held; the head teacher (a DSL the allegation does not name) opens the
 * record, presses Approve alerts, and is told in plain words that the alert is declined and why;
 * the decision is in the actions list, the office still cannot read the record, and axe-core finds
 * no violation on the page as the DSL sees it.
 */
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Browser, FrameLocator, Page } from "playwright-core";
import { HELD_ALERT_DECLINED_REASON } from "../../src/domain/policy/alerting.js";
import { projectRoot, startTestKeepsafe, staffByRole, type TestKeepsafe } from "../support/keepsafe-instance.js";
import { launchBrowser, newLoopbackPage } from "../support/browser.js";
import { axeViolations } from "../support/axe-check.js";

const SHOTS = join(projectRoot, "test-results", "screenshots");

describe("browser: held alerts declined on an allegation", function () {
  this.timeout(180_000);
  let keepsafe: TestKeepsafe;
  let browser: Browser;
  let page: Page;
  const head = staffByRole(/^DSL \(head teacher\)/);
  const teacher = staffByRole(/^Teacher \(Year 3\)/);
  const named = staffByRole(/^Teacher \(Reception\)/);
  const office = staffByRole(/^Admin staff/);

  before(async () => {
    mkdirSync(SHOTS, { recursive: true });
    keepsafe = await startTestKeepsafe();
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await keepsafe?.cleanup();
  });

  /** Signs in to the local Teams host as `staff` and opens the incident from its deep link. */
  const openIncidentAs = async (staff: typeof head, incidentId: string): Promise<FrameLocator> => {
    page = await newLoopbackPage(browser);
    await page.goto(`${keepsafe.url}/?as=${staff.oid}#subEntityId=incident:${incidentId}`);
    const tab = page.frameLocator("#kh-tab");
    await tab.getByTestId("signed-in").filter({ hasText: staff.displayName }).waitFor();
    return tab;
  };

  it("browser allegation decline: the DSL presses Approve alerts and reads that the held alert is declined and why, with no axe violation", async () => {
    const actor = await keepsafe.service.resolveActor(teacher.oid, { mfa: false });
    const pupil = (await keepsafe.service.searchPupils(actor, "a"))[0];
    const { incident } = await keepsafe.service.recordIncident(actor, {
      submissionId: "browser-held-alerts-declined",
      pupilId: pupil.id,
      occurredAt: new Date(Date.now() - 3600_000).toISOString(),
      source: "tab",
      categoryIds: ["safeguarding"],
      account: "A pupil said something at lunch about a member of staff.",
      toldDslInPerson: "yes",
      alertStaffIds: [office.oid],
      allegationAgainstStaff: { staffIds: [named.oid] },
    });

    const tab = await openIncidentAs(head, incident.id);
    await tab.getByTestId("incident-held-alerts").filter({ hasText: office.displayName }).waitFor();
    await tab.getByTestId("approve-held-alerts").click();
    const declined = tab.getByTestId("held-alerts-declined");
    await declined.waitFor();
    assert.equal(await declined.innerText(), HELD_ALERT_DECLINED_REASON, "the reason, in plain words");
    assert.equal(await declined.getAttribute("role"), "status", "announced to a screen reader");
    await tab.getByTestId("incident-action-text").filter({ hasText: "Declined an alert" }).waitFor();
    assert.equal(await tab.getByTestId("approve-held-alerts").count(), 0, "nothing left to approve");
    await page.screenshot({ path: join(SHOTS, "held-alerts-declined.png"), fullPage: true });

    assert.deepEqual(await axeViolations(page), [], "no axe violation of any impact on the incident with the decline shown");

    const res = await keepsafe.api(`/api/incidents/${incident.id}`, await keepsafe.tokenFor(office));
    assert.equal(res.status, 404, "declined: the office still reads it as a missing record");
  });
});
