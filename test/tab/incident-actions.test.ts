/**
 * Actions in the tab, through the real stack: the DSL opens an incident from the pupil's
 * chronology, adds an action tagging a teacher (a double click makes one), is told beside the date
 * when a correction is dated in the future (with the text kept), then finds both as action rows in
 * the chronology, which open the incident at its actions. The tagged teacher, who cannot browse
 * chronologies, opens the record from its link and reads the action.
 */
import assert from "node:assert/strict";
import type { Browser, FrameLocator, Locator, Page } from "playwright-core";
import { buildTab } from "../../tab/build.js";
import { launchBrowser, newLoopbackPage } from "../support/browser.js";
import { startTestKeepsafe, staffByRole, type TestKeepsafe } from "../support/keepsafe-instance.js";
import type { IncidentView } from "../../src/app/views.js";
import { ukFromIso } from "../../src/domain/uk-date.js";
import { LIMITS } from "../../src/domain/limits.js";

const SCREENSHOT = "/tmp/keepsafe-tab-incident-actions.png";
const CHRONOLOGY_SCREENSHOT = "/tmp/keepsafe-tab-chronology-actions.png";
const ACTION = "Spoke to mum at pick-up about the chair incident; agreed a meeting on Friday with the class teacher.";
const CORRECTION = "The chair incident happened in the hall, not the classroom as recorded.";

const londonDate = (offsetDays: number) =>
  new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/London", year: "numeric", month: "2-digit", day: "2-digit" }).format(
    new Date(Date.now() + offsetDays * 86_400_000),
  );

/** Waits until `probe` holds, then once more asserts it, so a failure says what was wrong. */
async function eventually(probe: () => Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > until) assert.fail(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Whether the element's top edge is inside the visible part of its own (iframe) window. */
const topInView = (locator: Locator) =>
  locator.evaluate((el) => {
    const top = el.getBoundingClientRect().top;
    return top >= 0 && top < window.innerHeight && window.scrollY > 0;
  });

describe("tab: an incident's actions", function () {
  this.timeout(180_000);
  let keepsafe: TestKeepsafe;
  let browser: Browser;
  let page: Page;
  let incidentId: string;
  let reference: string;
  let pupilName: string;
  const dsl = staffByRole(/^DSL/);
  const recorder = staffByRole(/^Teacher \(Year 3\)/);
  const tagged = staffByRole(/^Teacher \(Reception\)/);

  before(async () => {
    await buildTab();
    keepsafe = await startTestKeepsafe();
    browser = await launchBrowser();
    const actor = await keepsafe.service.resolveActor(recorder.oid, { mfa: false });
    const pupil = (await keepsafe.service.searchPupils(actor, "a"))[0];
    pupilName = pupil.displayName;
    ({ id: incidentId, reference } = (
      await keepsafe.service.recordIncident(actor, {
        submissionId: "tab-actions-test",
        pupilId: pupil.id,
        occurredAt: new Date(Date.now() - 2 * 86_400_000).toISOString(),
        source: "tab",
        categoryIds: ["behaviour"],
        account: "Threw a chair in the classroom during maths and would not come back in.",
        alertStaffIds: [dsl.oid],
      })
    ).incident);
  });
  after(async () => {
    await browser?.close();
    await keepsafe?.cleanup();
  });
  beforeEach(async () => {
    page = await newLoopbackPage(browser);
  });
  afterEach(async () => {
    await page?.context().close();
  });

  const signInAs = async (staff: typeof dsl, hash = ""): Promise<FrameLocator> => {
    await page.goto(`${keepsafe.url}/?as=${staff.oid}${hash}`);
    const tab = page.frameLocator("#kh-tab");
    await tab.getByTestId("signed-in").filter({ hasText: staff.displayName }).waitFor();
    return tab;
  };
  /** A safeguarding concern the Year 3 teacher records from the tab; `alertStaffIds` as chosen on the form. */
  const safeguardingConcernByRecorder = async (submissionId: string, alertStaffIds?: string[]): Promise<string> => {
    const actor = await keepsafe.service.resolveActor(recorder.oid, { mfa: false });
    const pupil = (await keepsafe.service.searchPupils(actor, "a"))[0];
    const { incident } = await keepsafe.service.recordIncident(actor, {
      submissionId,
      pupilId: pupil.id,
      occurredAt: new Date(Date.now() - 3600_000).toISOString(),
      source: "tab",
      categoryIds: ["safeguarding"],
      account: "Said something at lunch that worried me.",
      toldDslInPerson: "yes",
      ...(alertStaffIds ? { alertStaffIds } : {}),
    });
    return incident.id;
  };
  const actionsAsSeenBy = async (staff: typeof dsl) => {
    const res = await keepsafe.api(`/api/incidents/${incidentId}`, await keepsafe.tokenFor(staff));
    assert.equal(res.status, 200);
    return ((await res.json()) as IncidentView).actions;
  };

  it("lets the DSL add actions, shows them in the chronology, and the tagged teacher reads them", async () => {
    const tab = await signInAs(dsl);
    await tab.getByTestId("pupil-search").fill(pupilName);
    await tab.getByTestId("pupil-result").filter({ hasText: pupilName }).first().click();
    await tab.locator("[data-testid=chronology-entry][data-kind=incident]").filter({ hasText: reference }).click();
    const section = tab.getByTestId("incident-actions");
    await section.getByText("No actions yet.").waitFor();

    // An action tagging the Reception teacher, dated now by default; a double click makes one.
    const form = tab.getByTestId("add-action-form");
    assert.equal(await form.getByTestId("add-action-date").inputValue(), ukFromIso(londonDate(0)), "dated today in the school's zone");
    assert.match(await form.innerText(), /A correction records a mistake in the incident; the incident itself can never be edited/);
    await form.getByTestId("add-action-text").fill(ACTION);
    await form.getByTestId("add-action-tag").click();
    await form.getByTestId("add-action-tag").pressSequentially("Chloe");
    await form.getByTestId("add-action-tag-option").filter({ hasText: tagged.displayName }).click();
    assert.match(await form.getByTestId("add-action-tagged").innerText(), new RegExp(tagged.displayName));
    await form.getByTestId("add-action-submit").dblclick();

    const shown = tab.getByTestId("incident-action");
    await shown.first().waitFor();
    assert.equal((await shown.getByTestId("incident-action-text").innerText()).trim(), ACTION);
    assert.equal(await shown.getByTestId("incident-action-tagged").innerText(), `Tagged: ${tagged.displayName}`);
    assert.match(await shown.innerText(), new RegExp(`Action.*recorded by ${dsl.displayName}`, "s"));
    await eventually(async () => (await form.getByTestId("add-action-text").inputValue()) === "", "the form to clear");
    assert.equal(await form.getByTestId("add-action-tagged").count(), 0, "tags cleared too");
    const stored = await actionsAsSeenBy(dsl);
    assert.equal(stored.length, 1, "the double click stored one action");
    assert.deepEqual(stored[0].taggedStaffIds, [tagged.oid]);

    // A correction dated tomorrow: the server's message beside the date, and nothing typed lost.
    await form.getByTestId("add-action-text").fill(CORRECTION);
    await form.getByTestId("add-action-kind").getByLabel("Correction").check();
    await form.getByTestId("add-action-date").fill(ukFromIso(londonDate(1)));
    await form.getByTestId("add-action-submit").click();
    assert.match(await form.getByTestId("error-occurredAt").innerText(), /cannot be in the future/);
    assert.equal(await form.getByTestId("add-action-text").inputValue(), CORRECTION);
    assert.equal(await shown.count(), 1);

    // Dated yesterday it is added, and goes first: oldest first.
    await form.getByTestId("add-action-date").fill(ukFromIso(londonDate(-1)));
    await form.getByTestId("add-action-time").fill("12:40");
    await form.getByTestId("add-action-submit").click();
    await eventually(async () => (await shown.count()) === 2, "the correction to be listed");
    assert.equal(await form.getByTestId("error-occurredAt").count(), 0);
    assert.equal(await shown.nth(0).getByTestId("action-kind-badge").innerText(), "Correction");
    assert.equal((await shown.nth(0).getByTestId("incident-action-text").innerText()).trim(), CORRECTION);
    assert.equal(await shown.nth(1).getByTestId("action-kind-badge").innerText(), "Action");

    // The chronology has a row for each action, marked as such, with its summary.
    await tab.getByRole("button", { name: "Back to chronology" }).click();
    const actionRows = tab.locator("[data-testid=chronology-entry][data-kind=action]");
    await actionRows.first().waitFor();
    assert.equal(await actionRows.count(), 2);
    const actionRow = actionRows.filter({ hasText: "Spoke to mum" });
    assert.equal(await actionRow.getByTestId("action-kind-badge").innerText(), "Action");
    assert.equal((await actionRow.getByTestId("chronology-action-summary").innerText()).trim(), ACTION);
    const correctionRow = actionRows.filter({ hasText: "in the hall" });
    assert.equal(await correctionRow.getByTestId("action-kind-badge").innerText(), "Correction");
    assert.equal((await correctionRow.getByTestId("chronology-action-summary").innerText()).trim(), CORRECTION);
    assert.equal(await actionRow.getByTestId("status-badge").count(), 0, "the incident's own row carries its status");
    await page.screenshot({ path: CHRONOLOGY_SCREENSHOT });

    // Clicking the action's row opens the incident scrolled to the actions, that action marked.
    await actionRow.click();
    await section.waitFor();
    await eventually(() => topInView(tab.locator("[data-testid=incident-action][aria-current=true]")), "the action to be scrolled into view");
    assert.equal(
      (await tab.locator("[data-testid=incident-action][aria-current=true]").getByTestId("incident-action-text").innerText()).trim(),
      ACTION,
    );
    await page.screenshot({ path: SCREENSHOT });

    // The tagged teacher opens the record from its link (teachers do not browse chronologies).
    const teacherTab = await signInAs(tagged, `#subEntityId=incident:${incidentId}`);
    const seen = teacherTab.getByTestId("incident-action");
    await seen.first().waitFor();
    assert.equal(await seen.count(), 1, "only the action they were tagged in");
    assert.equal((await seen.getByTestId("incident-action-text").innerText()).trim(), ACTION);
    assert.equal((await actionsAsSeenBy(tagged)).length, 1);
  });
  it("names a too-long action text by its label in an announced summary, with focus moved to the text", async () => {
    const tab = await signInAs(dsl, `#subEntityId=incident:${incidentId}`);
    const form = tab.getByTestId("add-action-form");
    const text = form.getByTestId("add-action-text");
    // The box stops typing at the limit; a paste from an older tab or another client does not, and the server says so.
    await text.evaluate((el) => el.removeAttribute("maxlength"));
    await text.fill("x".repeat(LIMITS.actionMaxLength + 1));
    const answered = page.waitForResponse((r) => r.url().endsWith(`/api/incidents/${incidentId}/actions`));
    await form.getByTestId("add-action-submit").click();
    assert.equal((await answered).status(), 400);
    const summary = form.getByTestId("add-action-errors");
    await summary.waitFor();
    assert.equal(await summary.getAttribute("role"), "alert");
    assert.deepEqual(await summary.getByTestId("add-action-errors-item").allInnerTexts(), [
      `What was done or agreed: Keep the action to ${LIMITS.actionMaxLength} characters.`,
    ]);
    assert.ok(await text.evaluate((el) => el === el.ownerDocument.activeElement), "focus moved from the button to the text");
    assert.match(await form.getByTestId("error-text").innerText(), /./, "the problem beside the text too");
    await form.screenshot({ path: "test-results/screenshots/add-action-error-summary.png" });
    assert.equal((await actionsAsSeenBy(dsl)).filter((a) => a.text.length > LIMITS.actionMaxLength).length, 0, "nothing stored");
  });

  it("shows the author their tag waiting on a safeguarding record, and a DSL approves it, which opens the record to that person", async () => {
    const admin = staffByRole(/admin/i);
    const actor = await keepsafe.service.resolveActor(recorder.oid, { mfa: false });
    const id = await safeguardingConcernByRecorder("tab-pending-tags-test");
    await keepsafe.service.addAction(actor, {
      incidentId: id,
      requestId: "tab-pending-0001",
      text: "Asked the office to keep an eye out.",
      occurredAt: new Date(Date.now() - 60_000).toISOString(),
      taggedStaffIds: [admin.oid],
    });

    const author = await signInAs(recorder, `#subEntityId=incident:${id}`);
    const waiting = author.getByTestId("incident-action-pending");
    await waiting.filter({ hasText: admin.displayName }).waitFor();
    assert.equal(await author.getByTestId("approve-pending-tags").count(), 0, "only a DSL is offered the approval");

    const lead = await signInAs(dsl, `#subEntityId=incident:${id}`);
    await lead.getByTestId("approve-pending-tags").click();
    await lead
      .getByTestId("incident-action-tagged")
      .filter({ hasText: `Tagged: ${admin.displayName}` })
      .waitFor();
    await eventually(async () => (await lead.getByTestId("incident-action-pending").count()) === 0, "the waiting note to go");
    const res = await keepsafe.api(`/api/incidents/${id}`, await keepsafe.tokenFor(admin));
    assert.equal(res.status, 200, "approved: the office may read the record");
  });

  it("shows the raiser their alert held on a safeguarding record, and a DSL approves it, which alerts and opens the record to that person", async () => {
    const admin = staffByRole(/admin/i);
    const id = await safeguardingConcernByRecorder("tab-held-alerts-test", [admin.oid]);

    const author = await signInAs(recorder, `#subEntityId=incident:${id}`);
    await author.getByTestId("incident-held-alerts").filter({ hasText: admin.displayName }).waitFor();
    assert.equal(await author.getByTestId("approve-held-alerts").count(), 0, "only a DSL is offered the approval");

    const lead = await signInAs(dsl, `#subEntityId=incident:${id}`);
    await lead.getByTestId("approve-held-alerts").click();
    await lead
      .getByTestId("incident-action-tagged")
      .filter({ hasText: `Tagged: ${admin.displayName}` })
      .waitFor();
    await eventually(async () => (await lead.getByTestId("incident-held-alerts").count()) === 0, "the waiting note to go");
    const res = await keepsafe.api(`/api/incidents/${id}`, await keepsafe.tokenFor(admin));
    assert.equal(res.status, 200, "approved: the office may read the record");
  });
});
