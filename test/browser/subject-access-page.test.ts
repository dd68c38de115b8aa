/**
 * Subject access in the real tab, in headless Chromium, through the local Teams host against a
 * running Keepsafe: the DSL opens a request for a pupil, opens its pack, selects a passage and
 * redacts it, approves and downloads the PDF, which pdf-parse reads back without the passage or
 * the other child's name; axe-core finds no serious or critical violation; SLT is not offered the
 * page, and sees the governors' summary in Reports (axe-checked, its PDF naming nobody). Screenshots go to test-results/screenshots/.
 */
import assert from "node:assert/strict";
import { mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { Browser } from "playwright-core";
import { seriousAxeViolations } from "../support/axe-check.js";
import { pdfText } from "../support/pdf-text.js";
import { projectRoot, startTestKeepsafe, staffByRole, type TestKeepsafe } from "../support/keepsafe-instance.js";
import { launchBrowser, newLoopbackPage } from "../support/browser.js";
import { pupilDisplayName, type Pupil } from "../../src/domain/school.js";

const SHOTS = join(projectRoot, "test-results", "screenshots");

describe("subject access page in the Teams host", function () {
  this.timeout(180_000);
  let keepsafe: TestKeepsafe;
  let browser: Browser;
  const dsl = staffByRole(/^DSL/);
  const slt = staffByRole(/^SLT/);
  const teacher = staffByRole(/^Teacher \(Year 3\)/);
  const passage = "the family moved house twice this term";
  let subject: Pupil, other: Pupil;

  before(async () => {
    mkdirSync(SHOTS, { recursive: true });
    keepsafe = await startTestKeepsafe();
    browser = await launchBrowser();
    const actor = await keepsafe.service.resolveActor(teacher.oid, { mfa: false });
    const roll = await keepsafe.service["deps"].schools.listPupils(actor.schoolId);
    subject = roll.find((p) => !p.preferredName)!;
    other = roll.find((p) => p.id !== subject.id && p.surname !== subject.surname && p.forename !== subject.forename)!;
    await keepsafe.service.recordIncident(actor, {
      submissionId: "sar-page-1",
      pupilId: subject.id,
      occurredAt: new Date(Date.now() - 86_400_000).toISOString(),
      categoryIds: ["welfare"],
      account: `Upset at lunch after ${other.forename} ${other.surname} teased her; she said ${passage}.`,
      alertStaffIds: [dsl.oid],
      source: "tab",
    });
  });
  after(async () => {
    await browser?.close();
    await keepsafe?.cleanup();
  });

  it("opens a request, redacts a selected passage, approves and downloads the pack, and passes axe", async () => {
    const page = await newLoopbackPage(browser);
    await page.goto(`${keepsafe.url}/`);
    await page.selectOption("#kh-user", dsl.oid);
    const tab = page.frameLocator("#kh-tab");
    await tab.getByTestId("open-subject-access").click();
    await tab.getByTestId("sar-pupil").fill(subject.surname);
    await tab
      .getByTestId("sar-pupil-option")
      .filter({ hasText: pupilDisplayName(subject) })
      .first()
      .click();
    await tab.getByTestId("sar-requester").fill("Mrs Example Parent");
    await tab.getByTestId("sar-open").click();
    await tab.getByTestId("sar-list").getByText("Mrs Example Parent (parent)").waitFor();
    assert.match(await tab.getByTestId("sar-list").innerText(), /days left/);
    await page.screenshot({ path: join(SHOTS, "subject-access-requests.png"), fullPage: true });

    await tab.getByTestId("sar-open-pack").click();
    const block = tab.locator("[data-block-id]").first();
    await block.getByText(/teased her/).waitFor();
    assert.equal(await tab.locator("mark").count(), 1, "the other child's name is struck through");
    await block.evaluate((el, text) => {
      const node = [...el.childNodes].find((n) => n.nodeType === Node.TEXT_NODE && n.textContent!.includes(text))!;
      const range = document.createRange();
      const at = node.textContent!.indexOf(text);
      range.setStart(node, at);
      range.setEnd(node, at + text.length);
      window.getSelection()!.removeAllRanges();
      window.getSelection()!.addRange(range);
    }, passage);
    await tab.getByTestId("sar-redact-selection").click();
    await tab.locator("mark", { hasText: passage }).waitFor();
    await page.screenshot({ path: join(SHOTS, "subject-access-pack.png"), fullPage: true });

    assert.deepEqual(await seriousAxeViolations(page), []);

    await tab.getByTestId("sar-approve").click();
    const [download] = await Promise.all([page.waitForEvent("download"), tab.getByTestId("sar-download").click()]);
    const text = await pdfText(readFileSync(await download.path()));
    assert.ok(text.includes("teased her") && text.includes("[redacted]"), "the pupil's entry, redacted");
    assert.ok(!text.includes(passage) && !text.includes(`${other.forename} ${other.surname}`), "the passage and the other child are gone");
    await page.close();
  });

  it("lists the pupil's case entries as ticked checkboxes with type and date; unticking one leaves it out of the preview and the PDF", async () => {
    const token = await keepsafe.tokenFor(dsl);
    const post = (path: string, body: unknown) =>
      keepsafe.api(path, token, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
    const hoursAgo = (h: number) => new Date(Date.now() - h * 3_600_000).toISOString();
    for (const body of [
      {
        kind: "meeting",
        requestId: "sar-page-meeting",
        occurredAt: hoursAgo(30),
        meetingType: "Core group",
        attendees: "social worker, mum",
        notes: "Core group plan kept in the pack.",
      },
      {
        kind: "phone-call",
        requestId: "sar-page-call",
        occurredAt: hoursAgo(20),
        who: "Ruth Penhaligon",
        direction: "in",
        notes: "A call the DSL leaves out.",
      },
    ])
      assert.equal((await post(`/api/pupils/${other.id}/case-entries`, body)).status, 201);
    const requester = "Carer choosing entries";
    assert.equal(
      (
        await post("/api/subject-access-requests", {
          pupilId: other.id,
          requester,
          relationship: "carer",
          receivedOn: new Date().toISOString().slice(0, 10),
        })
      ).status,
      201,
    );

    const page = await newLoopbackPage(browser);
    await page.goto(`${keepsafe.url}/`);
    await page.selectOption("#kh-user", dsl.oid);
    const tab = page.frameLocator("#kh-tab");
    await tab.getByTestId("open-subject-access").click();
    await tab.getByRole("row").filter({ hasText: requester }).getByTestId("sar-open-pack").click();
    const call = tab.getByLabel(/^Phone call · /);
    await call.waitFor();
    assert.equal(await tab.getByTestId("sar-entry").count(), 2);
    assert.ok((await tab.getByLabel(/^Meeting · /).isChecked()) && (await call.isChecked()), "every entry is in the pack until left out");
    await tab.getByText("A call the DSL leaves out.", { exact: false }).waitFor();
    await call.click();
    await tab.locator("[data-block-id]", { hasText: "A call the DSL leaves out" }).waitFor({ state: "detached" });
    await tab.locator("[data-block-id]", { hasText: "Core group plan kept" }).waitFor();
    assert.equal(await call.isChecked(), false);
    await page.screenshot({ path: join(SHOTS, "subject-access-entry-choice.png"), fullPage: true });
    assert.deepEqual(await seriousAxeViolations(page), []);

    await tab.getByTestId("sar-approve").click();
    const [download] = await Promise.all([page.waitForEvent("download"), tab.getByTestId("sar-download").click()]);
    const text = await pdfText(readFileSync(await download.path()));
    assert.ok(text.includes("Core group plan kept in the pack."), "the ticked entry is in the PDF");
    assert.ok(!text.includes("A call the DSL leaves out") && !text.includes("Penhaligon"), "the unticked entry is not");
    await page.close();
  });

  it("is not offered to SLT, who gets the governors' summary in Reports with no pupil named, and its PDF", async () => {
    const page = await newLoopbackPage(browser);
    await page.goto(`${keepsafe.url}/`);
    await page.selectOption("#kh-user", slt.oid);
    const tab = page.frameLocator("#kh-tab");
    await tab.getByTestId("signed-in").waitFor();
    assert.equal(await tab.getByTestId("open-subject-access").count(), 0);
    await tab.getByTestId("open-reports").click();
    const summary = tab.getByTestId("governors-summary");
    await summary.getByText(/concerns recorded/).waitFor();
    const shown = await summary.innerText();
    assert.match(shown, /Welfare\s+fewer than 3/);
    // The rule in plain words, so a governor knows what "hidden" means and why a year's count is a range.
    const rule = await summary.getByTestId("summary-rule").innerText();
    assert.match(rule, /Counts from 1 to 2 are shown as "fewer than 3".*A school year's counts are its terms' counts added up/);
    assert.ok(!shown.includes(subject.surname) && !shown.includes(other.surname), "no pupil named");
    await page.screenshot({ path: join(SHOTS, "governors-summary-slt.png"), fullPage: true });
    assert.deepEqual(await seriousAxeViolations(page), []);
    const [download] = await Promise.all([page.waitForEvent("download"), summary.getByTestId("summary-pdf").click()]);
    const text = await pdfText(readFileSync(await download.path()));
    assert.ok(text.includes("Welfare: fewer than 3") && !text.includes(subject.surname), "the PDF says the same, naming nobody");
    assert.ok(text.includes(rule.replace(/\s+/g, " ")), "the PDF says the page's rule");
    await page.close();
  });
});
