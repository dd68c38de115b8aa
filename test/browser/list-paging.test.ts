/**
 * Lists past their cap in the real tab, in headless Chromium through the local Teams host, with
 * KEEPSAFE_LIST_MAX at 2: My concerns says it was cut short and "Show more" appends the next page
 * until all are shown; My actions says "Showing the first 2: narrow the filters"; the DSL's "New today"
 * count is the whole list's and its list pages with Show more too, as does the team's tasks due. axe-core finds no serious or
 * critical violation with the button shown. Screenshot in test-results/screenshots/.
 */
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Browser } from "playwright-core";
import { projectRoot, startTestKeepsafe, staffByRole, waitFor, type TestKeepsafe } from "../support/keepsafe-instance.js";
import { launchBrowser, newLoopbackPage } from "../support/browser.js";
import { seriousAxeViolations } from "../support/axe-check.js";
import { dateIn } from "../../src/domain/school-clock.js";

const SHOTS = join(projectRoot, "test-results", "screenshots");

describe("tab: lists past their cap", function () {
  this.timeout(180_000);
  let keepsafe: TestKeepsafe;
  let browser: Browser;
  const dsl = staffByRole(/^DSL/);
  const teacher = staffByRole(/^Teacher \(Year 3\)/);
  const references: string[] = [];

  before(async () => {
    mkdirSync(SHOTS, { recursive: true });
    keepsafe = await startTestKeepsafe({ KEEPSAFE_LIST_MAX: "2" });
    browser = await launchBrowser();
    const [me, lead] = await Promise.all([teacher, dsl].map((s) => keepsafe.service.resolveActor(s.oid, { mfa: true })));
    const pupil = (await keepsafe.service.searchPupils(me, "a"))[0];
    for (let n = 0; n < 5; n++) {
      const { incident } = await keepsafe.service.recordIncident(me, {
        pupilId: pupil.id,
        occurredAt: new Date(Date.now() - 3600_000).toISOString(),
        source: "tab",
        submissionId: `tab-list-paging-${n}`,
        categoryIds: ["behaviour"],
        account: "Left the classroom without asking again.",
        alertStaffIds: [dsl.oid],
      });
      references.push(incident.reference);
      // Three tasks for the teacher: one more than My actions shows.
      if (n < 3)
        await keepsafe.service.addAction(lead, {
          incidentId: incident.id,
          requestId: `tab-list-paging-task-${n}`,
          text: "Check in with the pupil after lunch.",
          occurredAt: new Date().toISOString(),
          task: { ownerStaffId: teacher.oid, dueOn: dateIn(new Date(), "Europe/London") },
        });
    }
  });
  after(async () => {
    await browser?.close();
    await keepsafe?.cleanup();
  });

  it("tab list paging: Show more on My concerns appends the rest, and My actions says it was cut short", async () => {
    const page = await newLoopbackPage(browser);
    await page.goto(`${keepsafe.url}/`);
    await page.check("#kh-mfa");
    await page.selectOption("#kh-user", teacher.oid);
    const tab = page.frameLocator("#kh-tab");
    const concerns = tab.getByTestId("my-concerns");
    await concerns.getByTestId("my-concern").first().waitFor();
    assert.equal(await concerns.getByTestId("my-concern").count(), 2, "the first page");
    await concerns.getByTestId("my-concerns-cut-short").waitFor();
    const more = concerns.getByTestId("my-concerns-show-more");
    assert.equal(await more.innerText(), "Show more");
    await page.screenshot({ path: join(SHOTS, "my-concerns-show-more.png"), fullPage: true });
    assert.deepEqual(await seriousAxeViolations(page), [], "My concerns with Show more");

    await more.click();
    await waitFor(async () => ((await concerns.getByTestId("my-concern").count()) === 4 ? true : undefined), "the second page", 30_000);
    await more.click();
    await waitFor(async () => ((await concerns.getByTestId("my-concern").count()) === 5 ? true : undefined), "the last page", 30_000);
    assert.equal(await more.count(), 0, "nothing more to show");
    assert.equal(await concerns.getByTestId("my-concerns-cut-short").count(), 0, "no longer cut short");
    const shown = await concerns.getByTestId("my-concern").allInnerTexts();
    for (const reference of references) assert.equal(shown.filter((row) => row.includes(reference)).length, 1, `${reference} once`);

    await tab.getByTestId("home-count-my-actions").click();
    await tab.getByTestId("open-my-actions").click();
    const actions = tab.getByTestId("my-actions");
    await actions.getByTestId("my-action").first().waitFor();
    assert.equal(await actions.getByTestId("my-action").count(), 2);
    assert.equal(await tab.getByTestId("list-truncated").innerText(), "Showing the first 2: narrow the filters");
    await page.close();
  });

  it("tab home paging: Show more on a home list appends the rest, each record once", async () => {
    const page = await newLoopbackPage(browser);
    await page.goto(`${keepsafe.url}/`);
    await page.check("#kh-mfa");
    await page.selectOption("#kh-user", dsl.oid);
    const tab = page.frameLocator("#kh-tab");
    const count = tab.getByTestId("home-count-new-today");
    await count.waitFor();
    const total = Number(await count.getByTestId("home-count-number").innerText());
    assert.ok(total >= references.length, `the count is the whole list's (${total}), not a page's`);

    await count.click();
    const list = tab.getByTestId("home-list");
    await list.getByTestId("home-list-row").first().waitFor();
    assert.equal(await list.getByTestId("home-list-row").count(), 2, "the first page");
    await list.getByTestId("home-list-cut-short").waitFor();
    const more = list.getByTestId("home-list-show-more");
    assert.equal(await more.innerText(), "Show more");
    await page.screenshot({ path: join(SHOTS, "home-list-show-more.png"), fullPage: true });
    assert.deepEqual(await seriousAxeViolations(page), [], "a home list with Show more");

    for (let shown = 2; shown < total; shown = Math.min(shown + 2, total)) {
      await more.click();
      const next = Math.min(shown + 2, total);
      await waitFor(async () => ((await list.getByTestId("home-list-row").count()) === next ? true : undefined), `${next} rows`, 30_000);
    }
    assert.equal(await more.count(), 0, "nothing more to show");
    assert.equal(await list.getByTestId("home-list-cut-short").count(), 0, "no longer cut short");
    const rows = await list.getByTestId("home-list-row").allInnerTexts();
    assert.equal(rows.length, total);
    for (const reference of references) assert.equal(rows.filter((row) => row.includes(reference)).length, 1, `${reference} once`);
    await page.close();
  });

  it("tab home task paging: Show more on the team's tasks due appends the rest, each task once", async () => {
    const page = await newLoopbackPage(browser);
    await page.goto(`${keepsafe.url}/`);
    await page.check("#kh-mfa");
    await page.selectOption("#kh-user", dsl.oid);
    const tab = page.frameLocator("#kh-tab");
    const count = tab.getByTestId("home-count-tasks-due");
    await count.waitFor();
    assert.equal(await count.getByTestId("home-count-number").innerText(), "3", "the count is the whole list's, not a page's");
    await count.click();
    const list = tab.getByTestId("home-list");
    await list.getByTestId("my-action").first().waitFor();
    assert.equal(await list.getByTestId("my-action").count(), 2, "the first page");
    const more = tab.getByTestId("home-list-show-more");
    assert.equal(await more.innerText(), "Show more");
    await page.screenshot({ path: join(SHOTS, "home-task-list-show-more.png"), fullPage: true });
    assert.deepEqual(await seriousAxeViolations(page), [], "a task list with Show more");
    await more.click();
    await waitFor(async () => ((await list.getByTestId("my-action").count()) === 3 ? true : undefined), "the second page", 30_000);
    assert.equal(await more.count(), 0, "nothing more to show");
    const rows = await list.getByTestId("my-action").allInnerTexts();
    for (const reference of references.slice(0, 3)) assert.equal(rows.filter((row) => row.includes(reference)).length, 1, `${reference}'s task once`);
    await page.close();
  });
});
