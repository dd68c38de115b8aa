/**
 * The tab and the dialogs at a phone's width (360 px) in each Teams theme, through the local Teams
 * host and the whole of Keepsafe: the host's theme picker sends the themeChange event to the tab
 * (no reload), dialogs opened afterwards read the theme from their context. Every page and dialog
 * must fit without horizontal scrolling, keep badge text inside its badge and pass axe-core with
 * no serious or critical violation. Screenshots go to test-results/screenshots/.
 */
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Browser, Frame, Page } from "playwright-core";
import { AxeBuilder } from "@axe-core/playwright";
import { teamsDarkTheme, teamsHighContrastTheme, teamsLightTheme } from "@fluentui/react-components";
import { projectRoot, startTestKeepsafe, staffByRole, waitFor, type TestKeepsafe } from "../support/keepsafe-instance.js";
import { launchBrowser } from "../support/browser.js";
import { newPhonePage, outsideDialog, overflowIn, pageBackground, rgbOf } from "./support/phone-checks.js";

const SHOTS = join(projectRoot, "test-results", "screenshots");
const THEMES = [
  { teams: "default", fluent: teamsLightTheme },
  { teams: "dark", fluent: teamsDarkTheme },
  { teams: "contrast", fluent: teamsHighContrastTheme },
] as const;

describe("the tab and dialogs at 360 px in each Teams theme", function () {
  this.timeout(240_000);
  let keepsafe: TestKeepsafe;
  let browser: Browser;
  const teacher = staffByRole(/^Teacher \(Year 3\)/);
  const dsl = staffByRole(/^DSL/);
  let pupilName: string;
  let reference: string;

  before(async () => {
    mkdirSync(SHOTS, { recursive: true });
    keepsafe = await startTestKeepsafe();
    browser = await launchBrowser();
    const me = await keepsafe.service.resolveActor(teacher.oid, { mfa: false });
    const pupil = (await keepsafe.service.searchPupils(me, "a"))[0];
    pupilName = pupil.displayName;
    const { incident } = await keepsafe.service.recordIncident(me, {
      submissionId: "phone-themes-1",
      pupilId: pupil.id,
      occurredAt: new Date(Date.now() - 3600_000).toISOString(),
      source: "tab",
      categoryIds: ["safeguarding", "behaviour"],
      account: "A made-up account, long enough to wrap on a phone's narrow screen without pushing anything sideways.",
      alertStaffIds: [dsl.oid],
      toldDslInPerson: "yes",
    });
    reference = incident.reference;
    // A task for the DSL, so My actions shows its table.
    const dslActor = await keepsafe.service.resolveActor(dsl.oid, { mfa: true });
    await keepsafe.service.addAction(dslActor, {
      incidentId: incident.id,
      requestId: "phone-themes-task",
      text: "Speak to the class teacher about the cloakroom.",
      occurredAt: new Date().toISOString(),
      task: { ownerStaffId: dsl.oid, dueOn: new Date().toISOString().slice(0, 10) },
    });
  });
  after(async () => {
    await browser?.close();
    await keepsafe?.cleanup();
  });

  /** The host at 360 px as the DSL, switched to `theme` through the host's picker. */
  async function openTab(theme: string): Promise<{ page: Page; tab: Frame }> {
    const page = await newPhonePage(browser);
    await page.goto(`${keepsafe.url}/?as=${dsl.oid}`);
    await page.check("#kh-mfa");
    const tab = (await (await page.waitForSelector("#kh-tab")).contentFrame())!;
    await page.frameLocator("#kh-tab").getByTestId("my-concerns").waitFor();
    await page.selectOption("#kh-theme", theme);
    return { page, tab };
  }

  /**
   * A table of four or more columns must stack into cards on a phone (stacked-table.ts): its header
   * is then clipped to a pixel, kept only for screen readers. A narrow table of counts may stay a table.
   */
  async function unstackedTables(frame: Frame, where: string): Promise<string[]> {
    return frame.evaluate((w) => {
      const found: string[] = [];
      for (const table of Array.from(document.querySelectorAll("table"))) {
        const head = table.querySelector("thead");
        if (!head || head.querySelectorAll("th").length < 4) continue;
        if (head.getBoundingClientRect().height > 1)
          found.push(`${w}: the table "${table.getAttribute("aria-label") ?? ""}" does not stack at ${window.innerWidth} px`);
      }
      return found;
    }, where);
  }

  /** Overflow, badges and axe for what the tab shows now; a screenshot either way. */
  async function checkTab(page: Page, tab: Frame, name: string, problems: string[]) {
    // The pointer is left where the last click was, over whatever row took its place; a hovered
    // row's background is Fluent's own hover state, not the page as it is read.
    await page.mouse.move(0, 0);
    await page.screenshot({ path: join(SHOTS, `phone-${name}.png`), fullPage: true });
    problems.push(...(await overflowIn(tab, `tab ${name}`)));
    problems.push(...(await unstackedTables(tab, `tab ${name}`)));
    // Tabster's focus-trap dummies are invisible but focusable by design; axe reads them as hidden focusables.
    const axe = await new AxeBuilder({ page }).include("#kh-tab").exclude(["#kh-tab", "[data-tabster-dummy]"]).analyze();
    for (const v of axe.violations.filter((x) => x.impact === "serious" || x.impact === "critical")) {
      problems.push(`tab ${name}: axe ${v.id} at ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
    }
  }

  const card = (page: Page) => page.locator("#kh-transcript .kh-attachment").last();

  /**
   * Asks the bot for the form and fills what it requires: the renderer checks required inputs
   * before any Action.Submit, the dialog buttons included, as Teams does.
   */
  async function startForm(page: Page) {
    // The chat pane replays the conversation so far; the form to fill is the one this asks for.
    await page.locator("#kh-compose input[name=message]").waitFor();
    const before = await page.locator("#kh-transcript .kh-attachment").count();
    await page.fill("#kh-compose input[name=message]", "record a concern");
    await page.click("#kh-compose button[type=submit]");
    await page.locator("#kh-transcript .kh-attachment").nth(before).waitFor();
    const pupil = card(page).locator("input[role=combobox]").first();
    await pupil.fill(pupilName.slice(0, 3));
    await page.locator(".kh-typeahead li[role=option]", { hasText: pupilName }).first().click();
    await card(page).getByRole("checkbox", { name: "Behaviour", exact: true }).waitFor();
    await card(page).getByRole("checkbox", { name: "Behaviour", exact: true }).check();
    await card(page).locator("textarea").first().fill("A made-up account.");
  }

  /** Opens the form's body map and files dialogs from the chat pane's card and checks each. */
  async function checkDialogs(page: Page, name: string, problems: string[]) {
    await startForm(page);
    await card(page).getByRole("button", { name: "Body map" }).click();
    for (const [button, ready, close] of [
      ["Body map", "save-body-map", "save-body-map"],
      ["Attach files", "files-done", "files-done"],
    ] as const) {
      if (button !== "Body map") await card(page).getByRole("button", { name: button }).click();
      const dialog = page.frameLocator(".kh-dialog-frame");
      await dialog
        .getByTestId(ready)
        .waitFor()
        .catch(async (error: unknown) => {
          await page.screenshot({ path: join(SHOTS, `phone-${name}-dialog-failed.png`), fullPage: true });
          throw error;
        });
      const frame = (await (await page.waitForSelector(".kh-dialog-frame")).contentFrame())!;
      const shot = `phone-${name}-${button === "Body map" ? "body-map" : "files"}`;
      await page.screenshot({ path: join(SHOTS, `${shot}.png`) });
      problems.push(...(await overflowIn(frame, `dialog ${shot}`)));
      const hidden = await outsideDialog(page, dialog, close);
      if (hidden) problems.push(`dialog ${shot}: ${hidden}`);
      const axe = await new AxeBuilder({ page }).include(".kh-dialog-frame").analyze();
      for (const v of axe.violations.filter((x) => x.impact === "serious" || x.impact === "critical")) {
        problems.push(`dialog ${shot}: axe ${v.id} at ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
      }
      await dialog.getByTestId(close).click();
      await page.locator(".kh-dialog-frame").waitFor({ state: "detached" });
    }
  }

  it("the body map's Save is in view without scrolling at 1400x900", async () => {
    const page = await newPhonePage(browser, { width: 1400, height: 900 });
    await page.goto(`${keepsafe.url}/?as=${teacher.oid}`);
    await startForm(page);
    await card(page).getByRole("button", { name: "Body map" }).click();
    const dialog = page.frameLocator(".kh-dialog-frame");
    await dialog.getByTestId("save-body-map").waitFor();
    await page.screenshot({ path: join(SHOTS, "body-map-1400x900.png") });
    assert.equal(await outsideDialog(page, dialog, "save-body-map"), undefined);
    await page.context().close();
  });

  for (const theme of THEMES) {
    it(`${theme.teams}: the body map and files dialogs fit, keep their button in view and pass axe`, async () => {
      const { page } = await openTab(theme.teams);
      const problems: string[] = [];
      await checkDialogs(page, theme.teams, problems);
      assert.deepEqual(problems, []);
      await page.context().close();
    });

    it(`${theme.teams}: follows the theme change and every tab page fits and passes axe`, async () => {
      const { page, tab } = await openTab(theme.teams);
      const t = page.frameLocator("#kh-tab");
      const problems: string[] = [];
      await tab.evaluate(() => ((window as unknown as { __sameLoad: boolean }).__sameLoad = true));
      const wanted = rgbOf(theme.fluent.colorNeutralBackground2);
      await waitFor(async () => ((await pageBackground(tab)) === wanted ? true : undefined), `the ${theme.teams} background`).catch(() => undefined);
      assert.equal(await pageBackground(tab), wanted, "the tab wears the theme the host chose");
      assert.equal(await tab.evaluate(() => (window as unknown as { __sameLoad?: boolean }).__sameLoad), true, "without reloading");
      problems.push(...(await overflowIn(page.mainFrame(), "host page")));

      await checkTab(page, tab, `${theme.teams}-home`, problems);
      // A list behind a home count, and My actions: both tables of five columns.
      await t.getByTestId("home-count-unread").click();
      await t.getByTestId("home-list-row").first().waitFor();
      await checkTab(page, tab, `${theme.teams}-home-list`, problems);
      await t.getByTestId("home-back").click();
      await t.getByTestId("open-my-actions").click();
      await t.getByRole("table", { name: /^My actions/ }).waitFor();
      await checkTab(page, tab, `${theme.teams}-my-actions`, problems);
      await t.getByTestId("pupil-search").fill(pupilName);
      await t.getByTestId("pupil-result").filter({ hasText: pupilName }).first().waitFor();
      await checkTab(page, tab, `${theme.teams}-pupil-search`, problems);
      await t.getByTestId("pupil-result").filter({ hasText: pupilName }).first().click();
      await t.getByTestId("chronology-entry").filter({ hasText: reference }).first().waitFor();
      await checkTab(page, tab, `${theme.teams}-chronology`, problems);
      await t.getByTestId("chronology-entry").filter({ hasText: reference }).first().click();
      await t.getByTestId("incident-workflow").waitFor();
      await checkTab(page, tab, `${theme.teams}-incident`, problems);
      await t.getByRole("button", { name: "Back to chronology" }).click();
      await t.getByTestId("open-audit").click();
      await t.getByTestId("audit-event").first().waitFor();
      await checkTab(page, tab, `${theme.teams}-audit`, problems);
      await t.getByTestId("open-reports").click();
      await t.getByTestId("report-table").waitFor();
      await checkTab(page, tab, `${theme.teams}-reports`, problems);
      assert.deepEqual(problems, []);
      await page.context().close();
    });
  }
});
