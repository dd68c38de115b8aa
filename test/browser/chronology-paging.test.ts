/**
 * A long chronology in the real tab, in headless Chromium, against the whole of Keepsafe: the first
 * page shows, and scrolling to its end loads the rest through the continuation the server gave.
 */
import assert from "node:assert/strict";
import type { Browser } from "playwright-core";
import { startTestKeepsafe, staffByRole, waitFor, type TestKeepsafe } from "../support/keepsafe-instance.js";
import { launchBrowser, newLoopbackPage } from "../support/browser.js";
import { seedChronology } from "../app/support/counted-reads.js";

describe("tab: a long chronology loads more as the DSL scrolls", function () {
  this.timeout(180_000);
  let keepsafe: TestKeepsafe;
  let browser: Browser;
  const dsl = staffByRole(/^DSL/);
  let pupilName: string;

  before(async () => {
    keepsafe = await startTestKeepsafe();
    browser = await launchBrowser();
    const actor = await keepsafe.service.resolveActor(dsl.oid, { mfa: true });
    const pupil = (await keepsafe.service.searchPupils(actor, "e"))[0];
    pupilName = pupil.displayName;
    // 105 incidents, an action on every other: 158 rows, of which the first page (100 entries) holds 150.
    await seedChronology(keepsafe.service, actor, pupil.id, 105);
  });
  after(async () => {
    await browser?.close();
    await keepsafe?.cleanup();
  });

  it("shows the first page, then the rest when the end of the list scrolls into view", async () => {
    const page = await newLoopbackPage(browser);
    await page.goto(`${keepsafe.url}/`);
    await page.selectOption("#kh-user", dsl.oid);
    const tab = page.frameLocator("#kh-tab");
    await tab.getByTestId("pupil-search").fill(pupilName);
    await tab.getByTestId("pupil-result").filter({ hasText: pupilName }).first().click();
    await tab.getByTestId("chronology-load-more").waitFor();
    assert.equal(await tab.getByTestId("chronology-entry").count(), 150, "the first page");
    await tab.getByTestId("chronology-end").scrollIntoViewIfNeeded();
    await waitFor(async () => ((await tab.getByTestId("chronology-entry").count()) === 158 ? true : undefined), "the second page", 30_000);
    assert.equal(await tab.getByTestId("chronology-load-more").count(), 0, "nothing more to load");
  });
});
