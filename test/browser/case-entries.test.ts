/**
 * A DSL adds to a pupil's chronology in the real tab, in headless Chromium through the local Teams
 * host: a referral (its due date shown, with "Record outcome"), then its outcome, then a meeting.
 * Each appears as a chronology row. Then a document on the pupil's file: title, type and the file
 * from the picker; its row shows the file's name, type, who uploaded it and when, and the download
 * gives back the same bytes, audited. Screenshots go to test-results/screenshots/, and axe finds no
 * serious or critical problems with the forms open or the chronology showing the entries.
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import { join } from "node:path";
import { randomUUID } from "node:crypto";
import type { Browser, FrameLocator, Page } from "playwright-core";
import { AxeBuilder } from "@axe-core/playwright";
import { projectRoot, startTestKeepsafe, staffByRole, waitFor, type TestKeepsafe } from "../support/keepsafe-instance.js";
import { TINY_PDF } from "../support/sample-files.js";
import { launchBrowser, newLoopbackPage, openChronologyInHost } from "../support/browser.js";
import { main as cli } from "../../src/cli/keepsafe.js";
import { DEFAULT_DOCUMENT_TYPES } from "../../src/domain/case-entries.js";
import { DEMO_SCHOOL_ID } from "../../src/local/demo-school.js";

const SHOTS = join(projectRoot, "test-results", "screenshots");

describe("chronology case entries in the Teams host", function () {
  this.timeout(150_000);
  let keepsafe: TestKeepsafe;
  let browser: Browser;
  const dsl = staffByRole(/^DSL/);

  before(async () => {
    fs.mkdirSync(SHOTS, { recursive: true });
    keepsafe = await startTestKeepsafe();
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await keepsafe?.cleanup();
  });

  const axeProblems = async (page: Page) => {
    const axe = await new AxeBuilder({ page }).include("#kh-tab").exclude(["#kh-tab", "[data-tabster-dummy]"]).analyze();
    return axe.violations
      .filter((v) => v.impact === "serious" || v.impact === "critical")
      .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
  };

  /** The DSL signed in to the Teams host with a pupil's chronology open: the first pupil matching "a", or another with a name of their own. */
  const dslOnChronology = async (which: "first" | "another") => {
    const actor = await keepsafe.service.resolveActor(dsl.oid, { mfa: true });
    const found = await keepsafe.service.searchPupils(actor, "a");
    const own = found.filter(
      (p, i) => i > 0 && p.displayName !== found[0].displayName && found.filter((q) => q.displayName === p.displayName).length === 1,
    );
    const pupil = which === "first" ? found[0] : own[0];
    const page = await newLoopbackPage(browser);
    const tab = await openChronologyInHost(page, keepsafe.url, dsl.oid, pupil.displayName);
    await tab.getByTestId("chronology").waitFor();
    return { pupil, page, tab };
  };
  const startEntry = async (tab: FrameLocator, kind: string) => {
    await tab.getByTestId("add-to-chronology").click();
    await tab.getByTestId(`add-${kind}`).click();
  };

  it("a DSL adds a referral, records its outcome and adds a meeting, clicking as they would", async () => {
    const { pupil, page, tab } = await dslOnChronology("first");

    // A referral to children's social care.
    await startEntry(tab, "referral");
    await tab.getByTestId("case-entry-agencyId").selectOption("social-care");
    await tab.getByTestId("case-entry-save").click();
    await tab.getByTestId("case-entry-errors").waitFor();
    // The summary names the field by its label, announced; focus goes to it, and the problem sits beside it too.
    const summary = tab.getByTestId("case-entry-errors");
    assert.equal(await summary.getAttribute("role"), "alert");
    assert.match(
      await summary.innerText(),
      /Contact \(name, team or number\): Say who the referral was made to/,
      "the server names the missing contact",
    );
    assert.ok(await tab.getByTestId("case-entry-contact").evaluate((el) => el === el.ownerDocument.activeElement), "focus on the contact");
    assert.match(await tab.getByTestId("error-contact").innerText(), /Say who the referral was made to/);
    await tab.getByTestId("case-entry-contact").fill("MASH duty desk, 0300 123 4567");
    await tab.getByTestId("case-entry-notes").fill("Bruising seen at breakfast club");
    assert.deepEqual(await axeProblems(page), [], "the referral form");
    await page.screenshot({ path: join(SHOTS, "case-entry-referral-form.png") });
    await tab.getByTestId("case-entry-save").click();

    const referralRow = tab.locator('[data-case-entry-kind="referral"]');
    await referralRow.waitFor();
    assert.match(await referralRow.innerText(), /MASH duty desk/);
    assert.match(await referralRow.getByTestId("referral-state").innerText(), /Due /);

    // Its outcome.
    await referralRow.getByTestId("record-outcome").click();
    await tab.getByTestId("outcome-text").fill("Accepted by MASH; social worker allocated");
    await tab.getByTestId("outcome-save").click();
    await tab.locator('[data-case-entry-kind="referral-outcome"]').waitFor();
    assert.match(await tab.locator('[data-case-entry-kind="referral"]').getByTestId("referral-state").innerText(), /Outcome recorded/);

    // A meeting.
    await startEntry(tab, "meeting");
    await tab.getByTestId("case-entry-meetingType").selectOption("Strategy meeting");
    await tab.getByTestId("case-entry-attendees").fill("DSL, social worker, police");
    await tab.getByTestId("case-entry-notes").fill("Section 47 enquiry agreed");
    await tab.getByTestId("case-entry-save").click();
    const meetingRow = tab.locator('[data-case-entry-kind="meeting"]');
    await meetingRow.waitFor();
    assert.match(await meetingRow.innerText(), /Strategy meeting/);

    assert.deepEqual(await axeProblems(page), [], "the chronology with its case entries");
    await page.screenshot({ path: join(SHOTS, "case-entries-chronology.png") });

    const stored = await keepsafe.caseEntries.caseEntriesForPupil(pupil.id);
    assert.deepEqual(stored.map((e) => e.kind).sort(), ["meeting", "referral", "referral-outcome"]);
    await page.close();
  });

  it("a DSL adds a letter from social care with its file and downloads it from the chronology row", async () => {
    // Another pupil, so each test's entries are its own.
    const { pupil, page, tab } = await dslOnChronology("another");

    await startEntry(tab, "document");
    // Without a file the server names what is missing, and nothing is stored.
    await tab.getByTestId("case-entry-title").fill("Outcome of the strategy discussion");
    await tab.getByTestId("case-entry-documentType").selectOption("Letter from social care");
    await tab.getByTestId("case-entry-save").click();
    await tab.getByTestId("case-entry-errors").waitFor();
    assert.match(await tab.getByTestId("case-entry-errors").innerText(), /Attach the document's file/);

    await tab.getByTestId("case-entry-file").setInputFiles({ name: "social care letter.pdf", mimeType: "application/pdf", buffer: TINY_PDF });
    assert.deepEqual(await axeProblems(page), [], "the document form");
    await page.screenshot({ path: join(SHOTS, "case-entry-document-form.png") });
    await tab.getByTestId("case-entry-save").click();

    const row = tab.locator('[data-case-entry-kind="document"]');
    await row.waitFor();
    assert.match(await row.getByTestId("case-entry-summary").innerText(), /Letter from social care: Outcome of the strategy discussion/);
    const details = await row.getByTestId("case-entry-file-details").innerText();
    assert.match(details, /Letter from social care · PDF · .* · uploaded by/);
    assert.ok(details.includes(dsl.displayName), `who uploaded it: ${details}`);
    assert.match(await row.getByTestId("case-entry-file-download").innerText(), /social care letter\.pdf/);
    assert.deepEqual(await axeProblems(page), [], "the chronology with the document");
    await page.screenshot({ path: join(SHOTS, "case-entry-document-row.png") });

    const [download] = await Promise.all([page.waitForEvent("download"), row.getByTestId("case-entry-file-download").click()]);
    assert.equal(download.suggestedFilename(), "social care letter.pdf");
    assert.ok(fs.readFileSync(await download.path()).equals(TINY_PDF), "the same bytes back");

    const [entry] = (await keepsafe.caseEntries.caseEntriesForPupil(pupil.id)).filter((e) => e.kind === "document");
    assert.ok(entry, "one document stored");
    await waitFor(
      async () =>
        (await keepsafe.records.auditForPupil(pupil.id)).some((e) => e.type === "file.downloaded" && e.detail?.caseEntryId === entry.id) || undefined,
      "the download's audit event",
    );
    await page.close();
  });

  it("the document form offers the school's own document types from its setup, and files a document under one", async () => {
    /** `keepsafe setup` against the running Keepsafe's data, as a school's admin runs it. */
    const setDocumentTypes = async (documentTypes: readonly string[]) => {
      const file = join(keepsafe.dataDir, `document-types-${randomUUID()}.json`);
      fs.writeFileSync(file, JSON.stringify({ documentTypes }));
      const err: string[] = [];
      const io = { out: () => {}, err: (l: string) => err.push(l), env: { KEEPSAFE_DATA_DIR: keepsafe.dataDir }, cwd: keepsafe.dataDir };
      assert.equal(await cli(["setup", "--file", file, "--school", DEMO_SCHOOL_ID], io), 0, err.join("\n"));
    };
    const theirs = ["Strategy discussion notes", "Letter from social care", "Other"];
    await setDocumentTypes(theirs);
    try {
      const { pupil, page, tab } = await dslOnChronology("first");
      await startEntry(tab, "document");
      const select = tab.getByTestId("case-entry-documentType");
      await select.locator("option", { hasText: "Strategy discussion notes" }).waitFor({ state: "attached" });
      assert.deepEqual(await select.locator("option").allInnerTexts(), ["Choose…", ...theirs], "the school's list, in its order, and no other");

      await tab.getByTestId("case-entry-title").fill("Notes of the strategy discussion");
      await select.selectOption("Strategy discussion notes");
      await tab.getByTestId("case-entry-file").setInputFiles({ name: "strategy notes.pdf", mimeType: "application/pdf", buffer: TINY_PDF });
      await tab.getByTestId("case-entry-save").click();
      const row = tab.locator('[data-case-entry-kind="document"]', { hasText: "Notes of the strategy discussion" });
      await row.waitFor();
      assert.match(await row.getByTestId("case-entry-file-details").innerText(), /^Strategy discussion notes · PDF/);
      const stored = (await keepsafe.caseEntries.caseEntriesForPupil(pupil.id)).filter((e) => e.kind === "document");
      assert.ok(
        stored.some((e) => e.kind === "document" && e.documentType === "Strategy discussion notes"),
        "stored under the school's type",
      );
      await page.close();
    } finally {
      // The other tests here file their letters under the default types.
      await setDocumentTypes(DEFAULT_DOCUMENT_TYPES);
    }
  });
});
