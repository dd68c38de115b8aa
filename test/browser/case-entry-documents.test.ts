/**
 * A DSL puts a document on a pupil's file in the real tab, in headless Chromium through the local
 * Teams host: "Add to chronology" > Document, a title, a type, the date and the file from the
 * picker; the row then shows the file's name, its type, who uploaded it and when, and the download
 * gives back the same bytes (audited). Screenshots go to test-results/screenshots/; axe finds no
 * serious or critical problems with the form open or the row showing.
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import { join } from "node:path";
import type { Browser } from "playwright-core";
import { projectRoot, startTestKeepsafe, staffByRole, waitFor, type TestKeepsafe } from "../support/keepsafe-instance.js";
import { launchBrowser, newLoopbackPage, openChronologyInHost } from "../support/browser.js";
import { seriousAxeViolations } from "../support/axe-check.js";

const SHOTS = join(projectRoot, "test-results", "screenshots");
const LETTER = Buffer.from("%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n");

describe("a document on the pupil's file in the Teams host", function () {
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

  it("a DSL adds a letter from social care with its file and downloads it from the chronology row", async () => {
    const actor = await keepsafe.service.resolveActor(dsl.oid, { mfa: true });
    const pupil = (await keepsafe.service.searchPupils(actor, "a"))[0];
    const page = await newLoopbackPage(browser);
    const tab = await openChronologyInHost(page, keepsafe.url, dsl.oid, pupil.displayName);
    await tab.getByTestId("chronology").waitFor();

    await tab.getByTestId("add-to-chronology").click();
    await tab.getByTestId("add-document").click();
    // Without a file the server names what is missing, and nothing is stored.
    await tab.getByTestId("case-entry-title").fill("Outcome of the strategy discussion");
    await tab.getByTestId("case-entry-documentType").selectOption("Letter from social care");
    await tab.getByTestId("case-entry-save").click();
    await tab.getByTestId("case-entry-errors").waitFor();
    assert.match(await tab.getByTestId("case-entry-errors").innerText(), /Attach the document's file/);

    await tab.getByTestId("case-entry-file").setInputFiles({ name: "social care letter.pdf", mimeType: "application/pdf", buffer: LETTER });
    assert.deepEqual(await seriousAxeViolations(page), [], "the document form");
    await page.screenshot({ path: join(SHOTS, "case-entry-document-form.png") });
    await tab.getByTestId("case-entry-save").click();

    const row = tab.locator('[data-case-entry-kind="document"]');
    await row.waitFor();
    assert.match(await row.getByTestId("case-entry-summary").innerText(), /Letter from social care: Outcome of the strategy discussion/);
    const details = await row.getByTestId("case-entry-file-details").innerText();
    assert.match(details, /Letter from social care · PDF · .* · uploaded by/);
    assert.ok(details.includes(dsl.displayName), `who uploaded it: ${details}`);
    assert.match(await row.getByTestId("case-entry-file-download").innerText(), /social care letter\.pdf/);
    assert.deepEqual(await seriousAxeViolations(page), [], "the chronology with the document");
    await page.screenshot({ path: join(SHOTS, "case-entry-document-row.png") });

    const [download] = await Promise.all([page.waitForEvent("download"), row.getByTestId("case-entry-file-download").click()]);
    assert.equal(download.suggestedFilename(), "social care letter.pdf");
    assert.ok(fs.readFileSync(await download.path()).equals(LETTER), "the same bytes back");

    const [entry] = (await keepsafe.caseEntries.caseEntriesForPupil(pupil.id)).filter((e) => e.kind === "document");
    assert.ok(entry, "one document stored");
    await waitFor(
      async () =>
        (await keepsafe.records.auditForPupil(pupil.id)).some((e) => e.type === "file.downloaded" && e.detail?.caseEntryId === entry.id) || undefined,
      "the download's audit event",
    );
    await page.close();
  });
});
