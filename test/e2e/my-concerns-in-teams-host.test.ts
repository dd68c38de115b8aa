/**
 * The tab in the local Teams host against the whole of Keepsafe: a teacher finds their own concern
 * under "My concerns" (and not a colleague's) and opens it; the DSL opens a pupil's audit trail and
 * sees the teacher's look at it; the tab blanks when Teams hides it and after the school's idle time.
 */
import assert from "node:assert/strict";
import type { Browser, Frame, Page } from "playwright-core";
import { startTestKeepsafe, staffByRole, type TestKeepsafe } from "../support/keepsafe-instance.js";
import { launchBrowser, newLoopbackPage } from "../support/browser.js";
import { applySchoolSetup } from "../../src/app/school-setup.js";
import type { SchoolStore } from "../../src/ports/school-store.js";

describe("end to end: My concerns, audit trail and idle hide in the local Teams host", function () {
  this.timeout(180_000);
  let keepsafe: TestKeepsafe;
  let browser: Browser;
  const teacher = staffByRole(/^Teacher \(Year 3\)/);
  const colleague = staffByRole(/^Teacher \(Reception\)/);
  const dsl = staffByRole(/^DSL/);
  let pupilId: string;
  let pupilName: string;
  const refs = { own: "", colleagues: "" };

  before(async () => {
    keepsafe = await startTestKeepsafe();
    browser = await launchBrowser();
    const [me, them] = await Promise.all([teacher, colleague].map((s) => keepsafe.service.resolveActor(s.oid, { mfa: true })));
    const pupil = (await keepsafe.service.searchPupils(me, "a"))[0];
    pupilId = pupil.id;
    pupilName = pupil.displayName;
    const base = { pupilId, occurredAt: new Date(Date.now() - 3600_000).toISOString(), source: "tab" as const, account: "Made-up account." };
    refs.own = (
      await keepsafe.service.recordIncident(me, { ...base, submissionId: "e2e-mine", categoryIds: ["behaviour"], alertStaffIds: [dsl.oid] })
    ).incident.reference;
    refs.colleagues = (
      await keepsafe.service.recordIncident(them, {
        ...base,
        submissionId: "e2e-theirs",
        categoryIds: ["safeguarding"],
        alertStaffIds: [],
        toldDslInPerson: "yes",
      })
    ).incident.reference;
  });
  after(async () => {
    await browser?.close();
    await keepsafe?.cleanup();
  });

  async function signIn(page: Page, oid: string) {
    await page.goto(`${keepsafe.url}/`);
    await page.check("#kh-mfa");
    await page.selectOption("#kh-user", oid);
    return page.frameLocator("#kh-tab");
  }

  const tabFrame = async (page: Page): Promise<Frame> => (await (await page.waitForSelector("#kh-tab")).contentFrame())!;

  it("a teacher finds their own concern under My concerns, not a colleague's, and opens it", async () => {
    const page = await newLoopbackPage(browser);
    const tab = await signIn(page, teacher.oid);
    const rows = tab.getByTestId("my-concern");
    await rows.filter({ hasText: refs.own }).waitFor();
    const text = await tab.getByTestId("my-concerns").innerText();
    assert.match(text, /You raised it/);
    assert.doesNotMatch(text, new RegExp(refs.colleagues));
    assert.equal(await rows.count(), 1);
    await rows.filter({ hasText: refs.own }).click();
    await tab.getByTestId("incident-account").waitFor();
    assert.equal((await tab.getByTestId("incident-account").innerText()).trim(), "Made-up account.");
    // A teacher is offered no audit trail.
    assert.equal(await tab.getByTestId("open-audit").count(), 0);
    await page.context().close();
  });

  it("the DSL opens a pupil's audit trail and sees the teacher's view of the record", async () => {
    const page = await newLoopbackPage(browser);
    const tab = await signIn(page, dsl.oid);
    await tab.getByTestId("pupil-search").fill(pupilName);
    await tab.getByTestId("pupil-result").filter({ hasText: pupilName }).first().click();
    await tab.getByTestId("open-audit").click();
    await tab.getByTestId("audit-trail").waitFor();
    const viewed = tab.getByTestId("audit-event").filter({ hasText: teacher.displayName }).filter({ hasText: "incident.viewed" });
    await viewed.first().waitFor();
    assert.match(await viewed.first().innerText(), /tab/);
    // The export is a download of the same trail as CSV.
    const download = page.waitForEvent("download");
    await tab.getByTestId("export-audit").click();
    assert.match((await download).suggestedFilename(), /^keepsafe-audit-pupil-.+\.csv$/);
    await page.context().close();
  });

  it("blanks when Teams hides the tab, and after the school's idle time", async () => {
    const page = await newLoopbackPage(browser);
    const tab = await signIn(page, teacher.oid);
    await tab.getByTestId("my-concerns").waitFor();
    const frame = await tabFrame(page);
    await frame.evaluate(() => {
      Object.defineProperty(document, "visibilityState", { value: "hidden", configurable: true });
      document.dispatchEvent(new Event("visibilitychange"));
    });
    await tab.getByTestId("privacy-screen").waitFor({ timeout: 3_000 });
    assert.equal(await tab.getByTestId("my-concerns").isVisible(), false);

    const schools = (keepsafe.service as unknown as { deps: { schools: SchoolStore } }).deps.schools;
    const { schoolId } = await keepsafe.service.resolveActor(teacher.oid, { mfa: true });
    await applySchoolSetup({ schools }, schoolId, { idleHideMinutes: 0.1 });
    const again = await signIn(page, teacher.oid);
    await again.getByTestId("my-concerns").waitFor();
    const shownAt = Date.now();
    await again.getByTestId("privacy-screen").waitFor({ timeout: 15_000 });
    assert.ok(Date.now() - shownAt > 4_000, "not before the idle time");
    await again.getByTestId("privacy-screen").click();
    await again.getByTestId("my-concerns").waitFor();
    await page.context().close();
  });
});
