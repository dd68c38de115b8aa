/**
 * The card's date and time in the local Teams host read as a UK teacher reads Teams: dd/mm/yyyy and
 * the 24-hour clock, whatever the machine's locale; the bot still receives ISO values. A date that
 * does not exist is refused on the card, before anything is sent.
 */
import assert from "node:assert/strict";
import type { Browser, Page } from "playwright-core";
import { wallClockNow } from "../../src/domain/wall-clock.js";
import { ukFromIso } from "../../src/domain/uk-date.js";
import { startTestKeepsafe, staffByRole, type TestKeepsafe } from "../support/keepsafe-instance.js";
import { launchBrowser, newLoopbackPage } from "../support/browser.js";

describe("end to end: UK dates on the concern card in the local Teams host", function () {
  this.timeout(180_000);
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

  const card = (page: Page) => page.locator("#kh-transcript .kh-attachment").last();

  it("shows the card's date as dd/mm/yyyy and its time on the 24-hour clock, refuses 31/04 and sends ISO values", async () => {
    const page = await newLoopbackPage(browser);
    await page.goto(`${keepsafe.url}/`);
    await page.selectOption("#kh-user", teacher.oid);
    await page.fill("#kh-compose input[name=message]", "record a concern");
    await page.click("#kh-compose button[type=submit]");
    await card(page).waitFor();

    const date = card(page).getByRole("textbox", { name: /^Date\b/ });
    const time = card(page).getByRole("textbox", { name: /^Time\b/ });
    assert.equal(await date.getAttribute("type"), "text", "not the browser's locale-bound date input");
    assert.match(await date.inputValue(), /^\d{2}\/\d{2}\/\d{4}$/);
    assert.match(await time.inputValue(), /^([01]\d|2[0-3]):[0-5]\d$/);
    assert.equal(await date.getAttribute("placeholder"), "dd/mm/yyyy");

    const option = async (query: string) => {
      await card(page).locator("input[role=combobox]").first().fill(query);
      const first = page.locator(".kh-typeahead li:not(.kh-typeahead-note)").first();
      await first.waitFor();
      await first.click();
    };
    await option("ol");
    await card(page).getByRole("checkbox", { name: "Behaviour", exact: true }).check();
    await card(page).locator("textarea").first().fill("Pushed in the lunch queue and swore at the supervisor.");
    await card(page)
      .getByRole("checkbox", { name: `${dsl.displayName} (DSL)` })
      .check();

    // A day that does not exist stays on the card with the field's own message; nothing is sent.
    const messagesBefore = await page.locator("#kh-transcript .kh-attachment").count();
    await date.fill("31/04/2026");
    await card(page).getByRole("button", { name: "Submit concern" }).click();
    await card(page).getByText("Give the date it happened.").waitFor();
    assert.equal(await page.locator("#kh-transcript .kh-attachment").count(), messagesBefore);

    const yesterday = wallClockNow(new Date(Date.now() - 24 * 3600_000), "Europe/London").date;
    await date.fill(ukFromIso(yesterday));
    await time.fill("9.05");
    await card(page).getByRole("button", { name: "Submit concern" }).click();
    await card(page)
      .getByText(/cannot be edited/)
      .waitFor();
    const reference = /KS-[A-Z0-9]{7}/.exec(await card(page).innerText())?.[0];
    assert.ok(reference, "the confirmation shows the reference");

    const records = keepsafe.service["deps"].records;
    const actor = await keepsafe.service.resolveActor(teacher.oid, { mfa: false });
    const incident = (await records.incidentsForStaff(actor.schoolId, teacher.oid, 50)).find((i) => i.reference === reference);
    assert.ok(incident, "the incident is stored");
    assert.deepEqual(wallClockNow(new Date(incident.occurredAt), "Europe/London"), { date: yesterday, time: "09:05" });
    await page.close();
  });
});
