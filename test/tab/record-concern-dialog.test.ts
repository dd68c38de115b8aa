/**
 * "Record a concern" from the tab, through the real stack: the local Teams host opens the form in
 * a dialog (dialog.url.open), a teacher fills in every kind of field (a linked pupil, a category
 * field, a body map mark, a PNG), submits to POST /api/incidents and sees the reference; the DSL
 * then opens the incident in the tab and finds every field, the body map and the file.
 */
import assert from "node:assert/strict";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Browser, FrameLocator, Page } from "playwright-core";
import { buildTab } from "../../tab/build.js";
import { launchBrowser, newLoopbackPage } from "../support/browser.js";
import { startTestKeepsafe, staffByRole, waitFor, type TestKeepsafe } from "../support/keepsafe-instance.js";
import { seriousAxeViolations } from "../support/axe-check.js";
import { ukFromIso } from "../../src/domain/uk-date.js";
import { main as cli } from "../../src/cli/keepsafe.js";
import { DEFAULT_LOCATIONS } from "../../src/app/school-defaults.js";

const ACCOUNT = "At lunch the pupil pushed another child (J.B.) over and said: 'I hate it here.' I separated them and spoke calmly to both.";
// 1x1 PNG, enough for the upload's content check.
const PNG = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==", "base64");

const SHOTS = join(process.cwd(), "test-results", "screenshots");

const londonDate = (offsetDays: number) =>
  new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/London", year: "numeric", month: "2-digit", day: "2-digit" }).format(
    new Date(Date.now() + offsetDays * 86_400_000),
  );

describe("tab: record a concern in a dialog", function () {
  this.timeout(180_000);
  let keepsafe: TestKeepsafe;
  let browser: Browser;
  let page: Page;
  const teacher = staffByRole(/^Teacher \(Year 3\)/);
  const dsl = staffByRole(/^DSL/);
  const deputy = staffByRole(/^Deputy DSL/);
  const admin = staffByRole(/^Admin staff/);

  before(async () => {
    await buildTab();
    keepsafe = await startTestKeepsafe();
    browser = await launchBrowser();
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

  /** Signs in as the teacher and opens the form's dialog from the tab's header. */
  async function openForm(): Promise<{ tab: FrameLocator; form: FrameLocator }> {
    await page.goto(`${keepsafe.url}/`);
    await page.selectOption("#kh-user", teacher.oid);
    const tab = page.frameLocator("#kh-tab");
    await tab.getByTestId("signed-in").waitFor();
    await tab.getByTestId("record-concern").click();
    assert.equal(await page.locator(".kh-dialog h2").innerText(), "Record a concern");
    const form = page.frameLocator(".kh-dialog-frame");
    await form.getByTestId("concern-form").waitFor();
    return { tab, form };
  }

  async function choosePupil(form: FrameLocator, testId: string, query: string): Promise<string> {
    await form.getByTestId(testId).fill(query);
    const option = form.getByTestId(`${testId}-option`).first();
    await option.waitFor();
    const name = (await option.innerText()).split(" · ")[0].trim();
    await option.click();
    await form.getByTestId(`${testId}-chosen`).waitFor();
    return name;
  }

  it("records every field from the dialog, and the DSL reads them all in the tab", async () => {
    const { tab, form } = await openForm();
    const pupilName = await choosePupil(form, "concern-pupil", "am");
    const linkedName = await choosePupil(form, "concern-linked-1", "ol");
    await form.getByTestId("concern-linked-1-part").selectOption("witness");
    assert.match(await form.getByTestId("initials-reminder").innerText(), /Use initials for other children/);

    await form.getByTestId("concern-categories").getByLabel("Behaviour").check();
    const behaviour = form.getByTestId("concern-category-behaviour");
    await behaviour.getByLabel("Defiance").check();
    await form.getByTestId("concern-field-behaviour-deescalation").getByLabel("Calm talking").check();
    await form.getByTestId("concern-field-behaviour-deescalation").getByLabel("Distraction").check();

    assert.equal(await form.getByTestId("concern-date").inputValue(), ukFromIso(londonDate(0)), "dated today in the school's zone");
    await form.getByTestId("concern-time").fill("00:01");
    await form.getByTestId("concern-session").selectOption("lunch");
    await form.getByTestId("concern-location").selectOption("Playground");
    await form.getByTestId("concern-account").fill(ACCOUNT);

    await form.getByTestId("concern-disclosure").check();
    await form
      .getByTestId("concern-told-dsl")
      .getByLabel(/Not yet/)
      .check();
    await form.getByTestId("concern-allegation").check();
    await form.getByLabel(admin.displayName, { exact: true }).check();
    await form.getByTestId("concern-assign").selectOption(deputy.oid);
    await form
      .getByTestId("concern-alert-staff")
      .getByLabel(new RegExp(`^${dsl.displayName}`))
      .check();
    await form.getByTestId("concern-agency").fill("Children's Services");
    await form.getByTestId("concern-planner-date").fill(ukFromIso(londonDate(1)));
    await form.getByTestId("concern-planner-time").fill("09:30");
    await form.getByTestId("concern-planner-note").fill("Check in with the class teacher");

    // A mark on the front outline's chest, then its description.
    await form.locator("[data-testid=body-map-editor] svg").click({ position: { x: 100, y: 130 } });
    await form.getByTestId("mark-1-shape").fill("Bruise");
    await form.getByTestId("mark-1-colour").fill("Purple");
    assert.equal(await form.locator("[data-testid=body-map-editor] g.mark").count(), 1);

    await form.getByTestId("concern-file-input").setInputFiles({ name: "note.png", mimeType: "image/png", buffer: PNG });
    await form.getByTestId("concern-file").filter({ hasText: "note.png" }).waitFor();

    await form.getByTestId("concern-submit").click();
    const reference = (await form.getByTestId("concern-reference").innerText()).trim();
    assert.match(reference, /^KS-[A-Z0-9]{7}$/);
    assert.match(await form.getByTestId("concern-recorded").innerText(), /cannot be edited/);

    // Done closes the dialog and the tab opens the new record.
    await form.getByTestId("concern-done").click();
    await page.locator(".kh-dialog").waitFor({ state: "detached" });
    await tab.getByText(`Incident ${reference}`).waitFor();

    // The DSL finds it in the pupil's chronology and reads every field.
    await page.selectOption("#kh-user", dsl.oid);
    await tab.getByTestId("pupil-search").fill(pupilName);
    await tab.getByTestId("pupil-result").filter({ hasText: pupilName }).first().click();
    await tab.getByTestId("chronology-entry").filter({ hasText: reference }).click();
    await tab.getByTestId("incident-account").waitFor();

    const text = async (name: string) => (await tab.getByTestId(`incident-field-${name}`).innerText()).replace(/\s+/g, " ").trim();
    assert.equal((await tab.getByTestId("incident-account").innerText()).trim(), ACCOUNT);
    assert.match(await tab.getByTestId("read-only-note").innerText(), /cannot be edited/);
    assert.match(await text("pupil"), new RegExp(pupilName));
    assert.match(await text("occurred-at"), /00:01/);
    assert.match(await text("day-of-week"), /^(Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day$/);
    assert.equal(await text("session"), "Lunchtime");
    assert.equal(await text("location"), "Playground");
    assert.equal(await text("categories"), "Behaviour");
    assert.equal(await text("sub-categories"), "Behaviour: Defiance");
    assert.equal(await text("category-fields"), "De-escalation strategies used: Calm talking, Distraction");
    assert.match(await text("linked-pupils"), new RegExp(`${linkedName}.*Witness`));
    assert.equal(await text("disclosure"), "Yes");
    assert.equal(await text("told-dsl"), "Not yet, at the time of recording");
    assert.equal(await text("urgent"), "Yes");
    assert.equal(await text("allegation"), "Allegation about an adult who works here — consider the LADO");
    assert.equal(await text("status"), "Active");
    assert.equal(await text("assigned-to"), deputy.displayName);
    assert.equal(await text("agency"), "Children's Services");
    assert.match(await text("planner-reminder"), /09:30 — Check in with the class teacher/);
    assert.equal(await text("recorded-by"), teacher.displayName);
    assert.equal(await tab.getByTestId("incident-field-origin").count(), 0, "not recorded from a Teams message");

    const map = tab.getByTestId("body-map");
    assert.equal(await map.locator("g.mark").count(), 1);
    assert.match((await map.locator("g.mark title").textContent()) ?? "", /1\. Front: Bruise, Purple/);
    const file = tab.getByTestId("incident-file");
    assert.equal(await file.count(), 1);
    assert.match(await file.innerText(), /note\.png/);
    assert.match(await file.innerText(), /PNG image · 70 bytes · uploaded by/);

    // Downloading fetches it with the bearer token and hands it over as a blob.
    const downloaded = page.waitForEvent("download");
    const fetched = page.waitForResponse((r) => r.url().includes(`/files/`) && r.request().method() === "GET");
    await tab.getByTestId("incident-file-download").click();
    const response = await fetched;
    assert.equal(response.status(), 200);
    assert.match((await response.request().allHeaders()).authorization ?? "", /^Bearer /);
    const download = await downloaded;
    assert.equal(download.suggestedFilename(), "note.png");
  });

  it("shows problems beside their fields and keeps what was typed", async () => {
    const { form } = await openForm();
    await form.getByTestId("concern-categories").getByLabel("Welfare").check();
    await form.getByTestId("concern-account").fill(ACCOUNT);
    await form.getByTestId("concern-date").fill(ukFromIso(londonDate(2)));
    await form
      .getByTestId("concern-alert-staff")
      .getByLabel(new RegExp(`^${dsl.displayName}`))
      .check();
    await form.getByTestId("concern-submit").click();

    assert.match(await form.getByTestId("error-pupilId").innerText(), /Choose the pupil/);
    assert.match(await form.getByTestId("error-occurredAt").innerText(), /cannot be in the future/);
    assert.equal(await form.getByTestId("concern-account").inputValue(), ACCOUNT);

    // The server's own checks come back beside their fields too: the same child linked to itself.
    const pupilName = await choosePupil(form, "concern-pupil", "am");
    await form.getByTestId("concern-date").fill(ukFromIso(londonDate(0)));
    await form.getByTestId("concern-time").fill("00:01");
    await choosePupil(form, "concern-linked-1", pupilName);
    await form.getByTestId("concern-linked-1-part").selectOption("involved");
    await form.getByTestId("concern-submit").click();
    assert.match(await form.getByTestId("error-linkedPupil1").innerText(), /This is the pupil the concern is about/);
    assert.equal(await form.getByTestId("error-pupilId").count(), 0);
    assert.equal(await form.getByTestId("concern-account").inputValue(), ACCOUNT);
    assert.equal(await form.getByTestId("concern-recorded").count(), 0);
  });

  it("names each problem by its field's label in a summary that is announced, links to each field and moves focus to the first", async () => {
    const { form } = await openForm();
    const focused = (testId: string) => form.getByTestId(testId).evaluate((el) => el === el.ownerDocument.activeElement);
    // Half filled: a category and a few words, no pupil.
    await form.getByTestId("concern-categories").getByLabel("Safeguarding").check();
    await form.getByTestId("concern-account").fill("Upset.");
    await form.getByTestId("concern-submit").click();
    const summary = form.getByTestId("concern-errors");
    await summary.waitFor();
    assert.equal(await summary.getAttribute("role"), "alert", "read out by a screen reader at once");
    assert.match(await summary.innerText(), /^There is a problem/);
    assert.deepEqual(await summary.getByTestId("concern-errors-item").allInnerTexts(), [
      "Pupil: Choose the pupil this concern is about.",
      "What happened: Write what you saw or heard (at least 10 characters).",
    ]);
    assert.ok(await focused("concern-pupil"), "focus on the first field with a problem");
    mkdirSync(SHOTS, { recursive: true });
    await summary.screenshot({ path: join(SHOTS, "concern-dialog-error-summary-top.png") });
    await summary.getByRole("link", { name: "What happened" }).click();
    assert.ok(await focused("concern-account"), "the summary's link moves focus to its field");
    assert.match(await form.getByTestId("error-account").innerText(), /at least 10 characters/, "and the problem is beside it too");

    // The server's 400: a teacher choosing Safeguarding must say whether they told a DSL in person.
    await choosePupil(form, "concern-pupil", "am");
    await form.getByTestId("concern-account").fill(ACCOUNT);
    const answered = page.waitForResponse((r) => r.url().endsWith("/api/incidents") && r.request().method() === "POST");
    await form.getByTestId("concern-submit").click();
    assert.equal((await answered).status(), 400);
    await summary.getByText("Have you told a DSL in person?").waitFor();
    assert.deepEqual(await summary.getByTestId("concern-errors-item").allInnerTexts(), [
      "Have you told a DSL in person?: Say whether you have told a DSL in person. If not, do it now.",
    ]);
    await waitFor(
      async () =>
        (await form
          .getByTestId("concern-told-dsl")
          .locator("input")
          .first()
          .evaluate((el) => el === el.ownerDocument.activeElement))
          ? true
          : undefined,
      "focus on the first radio of the told-a-DSL question",
    );
    await page.screenshot({ path: join(SHOTS, "concern-dialog-error-summary.png"), fullPage: true });
    assert.deepEqual(await seriousAxeViolations(page, ".kh-dialog-frame"), []);
    assert.equal(await form.getByTestId("concern-account").inputValue(), ACCOUNT, "nothing typed is lost");
  });

  it("lists the summary's problems in the order their fields appear on the form, not the server's", async () => {
    /** `keepsafe setup` joins the running Keepsafe's store, as the school's admin would. */
    const setLocations = async (locations: readonly string[]) => {
      const file = join(keepsafe.dataDir, "locations-setup.json");
      writeFileSync(file, JSON.stringify({ locations }));
      const err: string[] = [];
      const io = { out: () => {}, err: (l: string) => err.push(l), env: { KEEPSAFE_DATA_DIR: keepsafe.dataDir }, cwd: keepsafe.dataDir };
      assert.equal(await cli(["setup", "--file", file], io), 0, err.join("\n"));
    };
    const { form } = await openForm();
    const pupilName = await choosePupil(form, "concern-pupil", "am");
    await form.getByTestId("concern-categories").getByLabel("Welfare").check();
    await form.getByTestId("concern-date").fill(ukFromIso(londonDate(0)));
    await form.getByTestId("concern-time").fill("00:01");
    await form.getByTestId("concern-location").selectOption("Playground");
    await form.getByTestId("concern-account").fill(ACCOUNT);
    await choosePupil(form, "concern-linked-1", pupilName);
    await form.getByTestId("concern-linked-1-part").selectOption("involved");
    await form
      .getByTestId("concern-alert-staff")
      .getByLabel(new RegExp(`^${dsl.displayName}`))
      .check();
    // The school takes the playground off its list while the form is open: the server finds the
    // linked pupil's problem before the location's, and the form shows the location first.
    await setLocations(DEFAULT_LOCATIONS.filter((l) => l !== "Playground"));
    try {
      const answered = page.waitForResponse((r) => r.url().endsWith("/api/incidents") && r.request().method() === "POST");
      await form.getByTestId("concern-submit").click();
      const response = await answered;
      assert.equal(response.status(), 400);
      const serverOrder = ((await response.json()) as { error: { fields: { field: string }[] } }).error.fields.map((f) => f.field);
      assert.deepEqual(serverOrder, ["linkedPupil1", "location"], "the server's order differs from the form's");
      const summary = form.getByTestId("concern-errors");
      await summary.getByText("Location").waitFor();
      assert.deepEqual(await summary.getByTestId("concern-errors-item").allInnerTexts(), [
        "Location: Choose a location from the school's list.",
        "Linked pupil 1: This is the pupil the concern is about; link other pupils here.",
      ]);
      assert.ok(
        await form.getByTestId("concern-location").evaluate((el) => el === el.ownerDocument.activeElement),
        "focus on the first field on the form with a problem",
      );
    } finally {
      await setLocations(DEFAULT_LOCATIONS);
    }
  });
});
