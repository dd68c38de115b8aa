/**
 * The home for each role and "My actions" in the real tab, in headless Chromium, through the local
 * Teams host against a running Keepsafe: the DSL's casework counts, SLT's without the Child
 * Protection record, a teacher's concerns and tasks; clicking a count opens the list behind it,
 * which holds as many rows as the count said; a teacher marks a task done in My actions. axe-core
 * finds no serious or critical violation on each. Screenshots go to test-results/screenshots/.
 */
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Browser, FrameLocator, Page } from "playwright-core";
import { AxeBuilder } from "@axe-core/playwright";
import { projectRoot, startTestKeepsafe, staffByRole, type TestKeepsafe } from "../support/keepsafe-instance.js";
import { launchBrowser, newLoopbackPage } from "../support/browser.js";
import { dateIn } from "../../src/domain/school-clock.js";

const SHOTS = join(projectRoot, "test-results", "screenshots");

describe("role homes and My actions in the Teams host", function () {
  this.timeout(180_000);
  let keepsafe: TestKeepsafe;
  let browser: Browser;
  const dsl = staffByRole(/^DSL/);
  const deputy = staffByRole(/^Deputy DSL/);
  const slt = staffByRole(/^SLT/);
  const teacher = staffByRole(/^Teacher \(Year 3\)/);
  const refs = { behaviour: "", protected: "" };

  before(async () => {
    mkdirSync(SHOTS, { recursive: true });
    keepsafe = await startTestKeepsafe();
    browser = await launchBrowser();
    const [teacherActor, dslActor] = await Promise.all([teacher, dsl].map((s) => keepsafe.service.resolveActor(s.oid, { mfa: true })));
    const pupil = (await keepsafe.service.searchPupils(teacherActor, "a"))[0];
    const base = { pupilId: pupil.id, occurredAt: new Date(Date.now() - 3600_000).toISOString(), source: "tab" as const };
    const behaviour = (
      await keepsafe.service.recordIncident(teacherActor, {
        ...base,
        submissionId: "home-pages-behaviour",
        categoryIds: ["behaviour"],
        account: "Kicked a ball at a window on purpose.",
        alertStaffIds: [dsl.oid, slt.oid],
      })
    ).incident;
    refs.behaviour = behaviour.reference;
    refs.protected = (
      await keepsafe.service.recordIncident(dslActor, {
        ...base,
        submissionId: "home-pages-protected",
        categoryIds: ["child-protection"],
        account: "Conference date set by social care.",
        alertStaffIds: [deputy.oid],
      })
    ).incident.reference;
    await keepsafe.service.addAction(dslActor, {
      incidentId: behaviour.id,
      requestId: "home-pages-task-1",
      text: "Talk to the class about the windows.",
      occurredAt: new Date().toISOString(),
      task: { ownerStaffId: teacher.oid, dueOn: dateIn(new Date(), "Europe/London") },
    });
  });
  after(async () => {
    await browser?.close();
    await keepsafe?.cleanup();
  });

  async function signIn(page: Page, oid: string): Promise<FrameLocator> {
    await page.goto(`${keepsafe.url}/`);
    await page.check("#kh-mfa");
    await page.selectOption("#kh-user", oid);
    const tab = page.frameLocator("#kh-tab");
    await tab.getByTestId("home").waitFor();
    return tab;
  }

  // Fluent UI's focus sentinels ([data-tabster-dummy]) are left out, as in the reports test.
  async function assertAxeClean(page: Page, where: string) {
    const axe = await new AxeBuilder({ page }).include("#kh-tab").exclude(["#kh-tab", "[data-tabster-dummy]"]).analyze();
    const bad = axe.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
    assert.deepEqual(
      bad.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`),
      [],
      where,
    );
  }

  const countOf = async (tab: FrameLocator, list: string) =>
    Number(await tab.getByTestId(`home-count-${list}`).getByTestId("home-count-number").innerText());

  it("the DSL's home counts casework, and a count opens the list behind it", async () => {
    const page = await newLoopbackPage(browser);
    const tab = await signIn(page, dsl.oid);
    assert.equal(await tab.getByTestId("home").getAttribute("data-home-kind"), "safeguarding");
    for (const list of ["unread", "urgent", "new-today", "assigned-to-me", "past-review", "tasks-due", "dead-letters"])
      await tab.getByTestId(`home-count-${list}`).waitFor();
    const newToday = await countOf(tab, "new-today");
    assert.equal(newToday, 2);
    assert.equal(await countOf(tab, "tasks-due"), 1);
    await tab.getByTestId("my-concerns").waitFor();
    await page.screenshot({ path: join(SHOTS, "home-dsl.png"), fullPage: true });
    await assertAxeClean(page, "DSL home");

    await tab.getByTestId("home-count-new-today").click();
    await tab.getByTestId("home-list").waitFor();
    assert.equal(await tab.getByTestId("home-list-row").count(), newToday, "the list holds as many as the count said");
    const text = await tab.getByTestId("home-list").innerText();
    assert.match(text, new RegExp(refs.protected));
    assert.doesNotMatch(text, /Kicked|Conference/, "no record's words in a list");
    await page.screenshot({ path: join(SHOTS, "home-dsl-new-today.png"), fullPage: true });
    await assertAxeClean(page, "DSL list");
    await tab.getByTestId("home-list-row").filter({ hasText: refs.behaviour }).getByRole("button", { name: refs.behaviour }).click();
    await tab.getByTestId("incident-account").waitFor();
    await page.close();
  });

  it("SLT's home leaves out the Child Protection record", async () => {
    const page = await newLoopbackPage(browser);
    const tab = await signIn(page, slt.oid);
    assert.equal(await tab.getByTestId("home").getAttribute("data-home-kind"), "senior");
    assert.equal(await countOf(tab, "new-today"), 1);
    assert.equal(await countOf(tab, "unread"), 1);
    await page.screenshot({ path: join(SHOTS, "home-slt.png"), fullPage: true });
    await assertAxeClean(page, "SLT home");
    await tab.getByTestId("home-count-new-today").click();
    await tab.getByTestId("home-list-row").first().waitFor();
    const text = await tab.getByTestId("home-list").innerText();
    assert.match(text, new RegExp(refs.behaviour));
    assert.doesNotMatch(text, new RegExp(refs.protected));
    await page.close();
  });

  it("a teacher's home shows their concerns and tasks; My actions marks a task done", async () => {
    const page = await newLoopbackPage(browser);
    const tab = await signIn(page, teacher.oid);
    assert.equal(await tab.getByTestId("home").getAttribute("data-home-kind"), "staff");
    assert.equal(await countOf(tab, "my-concerns"), 1);
    assert.equal(await countOf(tab, "my-actions"), 1);
    await tab.getByTestId("record-concern").waitFor();
    await page.screenshot({ path: join(SHOTS, "home-teacher.png"), fullPage: true });
    await assertAxeClean(page, "teacher home");

    await tab.getByTestId("home-count-my-actions").click();
    await tab.getByTestId("home-list").getByTestId("my-action").waitFor();
    assert.equal(await tab.getByTestId("my-action").count(), 1);

    await tab.getByTestId("open-my-actions").click();
    const row = tab.getByTestId("my-actions").getByTestId("my-action");
    await row.waitFor();
    assert.match(await row.innerText(), /Talk to the class about the windows\./);
    assert.equal(await row.getAttribute("data-done"), "false");
    await page.screenshot({ path: join(SHOTS, "my-actions.png"), fullPage: true });
    await assertAxeClean(page, "My actions");
    await row.getByTestId("task-mark").click();
    await tab.locator('[data-testid="my-action"][data-done="true"]').waitFor();
    assert.equal(await tab.getByTestId("task-badge").innerText(), "Done");
    await page.screenshot({ path: join(SHOTS, "my-actions-done.png"), fullPage: true });
    await page.close();
  });
});
