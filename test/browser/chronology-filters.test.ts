/**
 * The chronology as a DSL works it, in the real tab in headless Chromium through the local Teams
 * host, against the whole of Keepsafe: filters narrow it and live in the URL (a reload keeps them),
 * the urgent record is marked, "Unread by you" goes once the DSL marks the alert as read, and on a
 * linked pupil's chronology an action is marked as from a linked record.
 */
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Browser } from "playwright-core";
import { AxeBuilder } from "@axe-core/playwright";
import { startTestKeepsafe, staffByRole, waitFor, type TestKeepsafe } from "../support/keepsafe-instance.js";
import { launchBrowser, newLoopbackPage, openChronology, openTabAs } from "../support/browser.js";

const SHOTS = join(process.cwd(), "test-results", "screenshots");

describe("tab: the DSL filters a chronology, sees what is urgent and what they have not read", function () {
  this.timeout(180_000);
  let keepsafe: TestKeepsafe;
  let browser: Browser;
  const dsl = staffByRole(/^DSL/);
  const teacher = staffByRole(/^Teacher \(Year 3\)/);
  let pupil: { id: string; displayName: string };
  let witness: { id: string; displayName: string };

  before(async () => {
    mkdirSync(SHOTS, { recursive: true });
    keepsafe = await startTestKeepsafe();
    browser = await launchBrowser();
    const teacherActor = await keepsafe.service.resolveActor(teacher.oid, { mfa: true });
    const dslActor = await keepsafe.service.resolveActor(dsl.oid, { mfa: true });
    // The demo roll has namesakes; the tab is driven by name, so take two pupils whose names are their own.
    const found = await keepsafe.service.searchPupils(teacherActor, "a");
    const unique: typeof found = [];
    for (const p of found) {
      if (unique.length === 2) break;
      if ((await keepsafe.service.searchPupils(teacherActor, p.displayName)).filter((q) => q.displayName === p.displayName).length === 1)
        unique.push(p);
    }
    [pupil, witness] = [unique[0], unique[1]];
    const base = { pupilId: pupil.id, account: "A made-up account for the browser test.", source: "tab" as const };
    const behaviour = await keepsafe.service.recordIncident(teacherActor, {
      ...base,
      submissionId: "chron-ui-behaviour",
      categoryIds: ["behaviour"],
      occurredAt: "2026-03-10T10:00:00Z",
      alertStaffIds: [dsl.oid],
      linkedPupils: [{ pupilId: witness.id, part: "witness" }],
    });
    await keepsafe.service.recordIncident(teacherActor, {
      ...base,
      submissionId: "chron-ui-urgent",
      categoryIds: ["safeguarding"],
      occurredAt: "2026-03-12T10:00:00Z",
      alertStaffIds: [],
      toldDslInPerson: "not-yet",
    });
    await keepsafe.service.addAction(dslActor, {
      incidentId: behaviour.incident.id,
      requestId: "chron-ui-action",
      text: "Met the witness's class teacher.",
      occurredAt: "2026-03-11T09:00:00Z",
    });
  });
  after(async () => {
    await browser?.close();
    await keepsafe?.cleanup();
  });

  it("filters by category and type, keeps the filters in the URL across a reload, and passes axe", async () => {
    const { page, tab } = await openTabAs(browser, keepsafe.url, dsl.oid);
    await openChronology(tab, pupil.displayName);
    const rows = tab.getByTestId("chronology-entry");
    await waitFor(async () => ((await rows.count()) === 3 ? true : undefined), "two concerns and an action");

    // Urgent: the teacher had not told a DSL; unread by you: the DSL was alerted to the behaviour record.
    const urgentRow = rows.filter({ hasText: "Safeguarding" });
    await urgentRow.getByTestId("urgent-badge").waitFor();
    const behaviourRow = rows.filter({ hasText: "Behaviour" }).and(tab.locator('[data-kind="incident"]'));
    await behaviourRow.getByTestId("unread-by-you-badge").waitFor();
    await page.screenshot({ path: join(SHOTS, "chronology-unfiltered.png"), fullPage: true });

    await tab.getByTestId("chronology-filter-category").selectOption("behaviour");
    await waitFor(async () => ((await rows.count()) === 2 ? true : undefined), "the behaviour concern and its action");
    await tab.getByTestId("chronology-filter-type").selectOption("action");
    await waitFor(async () => ((await rows.count()) === 1 ? true : undefined), "only the action");
    assert.equal(await rows.first().getAttribute("data-kind"), "action");
    const search = new URLSearchParams(await tab.locator("body").evaluate(() => window.location.search));
    assert.equal(search.get("view"), "pupil");
    assert.equal(search.get("pupilId"), pupil.id);
    assert.equal(search.get("categoryIds"), "behaviour");
    assert.equal(search.get("kinds"), "action");
    await page.screenshot({ path: join(SHOTS, "chronology-filtered.png"), fullPage: true });

    // The tab reloaded at the same address opens the same pupil with the same filters.
    await tab.locator("body").evaluate(() => window.location.reload());
    const chosen = async () =>
      [
        await tab
          .getByTestId("chronology-filter-category")
          .inputValue({ timeout: 1000 })
          .catch(() => ""),
        await tab
          .getByTestId("chronology-filter-type")
          .inputValue({ timeout: 1000 })
          .catch(() => ""),
      ].join(" ");
    await waitFor(async () => ((await chosen()) === "behaviour action" ? true : undefined), "the filters after a reload", 30_000);
    await waitFor(async () => ((await rows.count()) === 1 ? true : undefined), "still only the action");

    await tab.getByTestId("chronology-filter-clear").click();
    await waitFor(async () => ((await rows.count()) === 3 ? true : undefined), "everything again");

    // Days are typed and shown the UK way (dd/mm/yyyy), whatever the browser's locale; the URL keeps ISO days.
    const from = tab.getByTestId("chronology-filter-from");
    assert.equal(await from.getAttribute("placeholder"), "dd/mm/yyyy");
    await from.fill("12/03/2026");
    await tab.getByTestId("chronology-filter-to").fill("12/03/2026");
    await waitFor(async () => ((await rows.count()) === 1 ? true : undefined), "only 12 March");
    assert.match(await rows.first().innerText(), /Safeguarding/);
    assert.equal(new URLSearchParams(await tab.locator("body").evaluate(() => window.location.search)).get("from"), "2026-03-12");
    await tab.getByTestId("chronology-filter-clear").click();
    assert.equal(await from.inputValue(), "", "cleared");
    await waitFor(async () => ((await rows.count()) === 3 ? true : undefined), "everything again");
    assert.equal(new URLSearchParams(await tab.locator("body").evaluate(() => window.location.search)).get("kinds"), null);

    // Fluent's focus sentinels (<i data-tabster-dummy>) are invisible and hand focus on; left out, as in reports-page.
    const axe = await new AxeBuilder({ page }).include("#kh-tab").exclude(["#kh-tab", "[data-tabster-dummy]"]).analyze();
    const bad = axe.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
    assert.deepEqual(
      bad.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`),
      [],
    );
    await page.close();
  });

  it("opens a pupil's chronology from a Teams deep link to the pupil (as a referral overdue alert links)", async () => {
    const page = await newLoopbackPage(browser);
    await page.goto(`${keepsafe.url}/#subEntityId=${encodeURIComponent(`pupil:${pupil.id}`)}`);
    await page.selectOption("#kh-user", dsl.oid);
    const tab = page.frameLocator("#kh-tab");
    await tab.getByTestId("chronology").getByRole("heading", { name: pupil.displayName }).waitFor();
    await page.close();
  });

  it("drops 'Unread by you' once the DSL marks the alert as read, and marks a linked record's action", async () => {
    const { page, tab } = await openTabAs(browser, keepsafe.url, dsl.oid);
    await openChronology(tab, pupil.displayName);
    const behaviourRow = tab.getByTestId("chronology-entry").filter({ hasText: "Behaviour" }).and(tab.locator('[data-kind="incident"]'));
    await behaviourRow.getByTestId("unread-by-you-badge").waitFor();
    await behaviourRow.click();
    await tab.getByRole("button", { name: /mark as read/i }).click();
    await tab.getByRole("button", { name: /back to chronology/i }).click();
    await behaviourRow.waitFor();
    await waitFor(
      async () => ((await behaviourRow.getByTestId("unread-by-you-badge").count()) === 0 ? true : undefined),
      "the badge gone after Mark as read",
    );

    // The witness's chronology shows the behaviour record (as a witness) and the DSL's action on it, marked.
    await openChronology(tab, witness.displayName);
    const actionRow = tab.locator('[data-testid="chronology-entry"][data-kind="action"]');
    await actionRow.getByTestId("linked-record-badge").waitFor();
    await tab.locator('[data-testid="chronology-entry"][data-kind="incident"]').getByTestId("part-badge").filter({ hasText: "Witness" }).waitFor();
    await page.screenshot({ path: join(SHOTS, "chronology-linked-pupil.png"), fullPage: true });
    await page.close();
  });
});
