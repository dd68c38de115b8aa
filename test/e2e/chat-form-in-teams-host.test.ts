/**
 * The record-concern card filled in by a person in the local Teams host's chat pane, rendered by
 * the real adaptivecards renderer: pupil typeahead, a category refresh, a linked pupil, the body
 * map dialog and a file upload through the files dialog. The DSL then finds the incident in the
 * pupil's chronology in the tab with every field shown.
 */
import assert from "node:assert/strict";
import zlib from "node:zlib";
import type { Browser, Page } from "playwright-core";
import { startTestKeepsafe, staffByRole, type TestKeepsafe } from "../support/keepsafe-instance.js";
import { launchBrowser, newLoopbackPage } from "../support/browser.js";

const ACCOUNT = "At lunch K.T. pushed the pupil against the wall; the pupil said 'he always does that on Fridays'. I separated them.";

/** A real 2x2 PNG, so the upload is typed from its content. */
function tinyPng(): Buffer {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (b: Buffer) => {
    let c = 0xffffffff;
    for (const x of b) c = crcTable[(c ^ x) & 0xff] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, "ascii"), data]);
    const sum = Buffer.alloc(4);
    sum.writeUInt32BE(crc(body));
    return Buffer.concat([len, body, sum]);
  };
  const ihdr = Buffer.from([0, 0, 0, 2, 0, 0, 0, 2, 8, 2, 0, 0, 0]);
  const raw = Buffer.from([0, 255, 0, 0, 0, 255, 0, 0, 0, 0, 255, 255, 255, 255]);
  return Buffer.concat([
    Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]),
    chunk("IHDR", ihdr),
    chunk("IDAT", zlib.deflateSync(raw)),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

describe("end to end: the concern card filled in the local Teams host", function () {
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

  /** The n-th typeahead on the card: 0 is the pupil, then each linked pupil row. */
  async function choosePupil(page: Page, nth: number, query: string): Promise<string> {
    const input = card(page).locator("input[role=combobox]").nth(nth);
    await input.fill(query);
    const option = page.locator(".kh-typeahead li:not(.kh-typeahead-note)").first();
    await option.waitFor();
    const title = (await option.innerText()).trim();
    await option.click();
    return title.split(" (")[0];
  }

  it("records every field through the card and shows them to the DSL", async () => {
    const page = await newLoopbackPage(browser);
    await page.goto(`${keepsafe.url}/`);
    await page.selectOption("#kh-user", teacher.oid);
    await page.fill("#kh-compose input[name=message]", "record a concern");
    await page.click("#kh-compose button[type=submit]");
    await card(page).waitFor();

    const pupilName = await choosePupil(page, 0, "ol");
    await card(page).getByRole("checkbox", { name: "Behaviour", exact: true }).check();
    await card(page).getByRole("button", { name: "Update form for these categories" }).click();
    // The card is replaced in place with the Behaviour section; the chosen pupil is kept.
    await card(page).getByRole("checkbox", { name: "Defiance" }).waitFor();
    await card(page).getByRole("checkbox", { name: "Defiance" }).check();
    await card(page).getByRole("checkbox", { name: "Calm talking" }).check();
    await card(page).locator("select").filter({ hasText: "Choose a session" }).selectOption({ label: "Lunchtime" });
    await card(page).locator("select").filter({ hasText: "Choose a location" }).selectOption({ label: "Playground" });
    await card(page).locator("textarea").first().fill(ACCOUNT);
    const linkedName = await choosePupil(page, 1, "ja");
    await card(page).locator("select").filter({ hasText: "How were they involved?" }).first().selectOption({ label: "Witness" });
    await card(page)
      .getByRole("checkbox", { name: `${dsl.displayName} (DSL)` })
      .check();

    // Body map, in a Teams dialog opened by task/fetch.
    await card(page).getByRole("button", { name: "Body map" }).click();
    const bodyMap = page.frameLocator(".kh-dialog-frame");
    await bodyMap
      .getByTestId("body-map")
      .locator("svg")
      .click({ position: { x: 60, y: 120 } });
    await bodyMap.getByLabel("Shape or kind").first().fill("Graze");
    await bodyMap.getByLabel("Colour").first().fill("Red");
    await bodyMap.getByTestId("save-body-map").click();
    await page.locator(".kh-dialog-frame").waitFor({ state: "detached" });

    // A file, through the files dialog.
    await card(page).getByRole("button", { name: "Attach files" }).click();
    const files = page.frameLocator(".kh-dialog-frame");
    await files.getByTestId("files-done").waitFor(); // the page is ready once signed in
    await files.getByTestId("choose-files").setInputFiles({ name: "class-note.png", mimeType: "image/png", buffer: tinyPng() });
    await files.getByTestId("attached-file").filter({ hasText: "class-note.png" }).waitFor();
    await files.getByTestId("files-done").click();
    await page.locator(".kh-dialog-frame").waitFor({ state: "detached" });

    await card(page).getByRole("button", { name: "Submit concern" }).click();
    await card(page)
      .getByText(/cannot be edited/)
      .waitFor();
    const confirmation = await card(page).innerText();
    const reference = /KS-[A-Z0-9]{7}/.exec(confirmation)?.[0];
    assert.ok(reference, "the confirmation shows the reference");

    // The stored incident, field by field.
    const records = keepsafe.service["deps"].records;
    const entry = (
      await records.chronology((await keepsafe.service.searchPupils(await keepsafe.service.resolveActor(dsl.oid, { mfa: true }), pupilName))[0].id)
    )[0];
    const incident = (await records.getIncident(entry.incidentId))!;
    assert.equal(incident.reference, reference);
    assert.equal(incident.account, ACCOUNT);
    assert.deepEqual(incident.categoryIds, ["behaviour"]);
    assert.deepEqual(incident.subCategoryIds, ["defiance"]);
    assert.deepEqual(incident.categoryFields?.behaviour?.deescalation, ["Calm talking"]);
    assert.equal(incident.session, "lunch");
    assert.equal(incident.location, "Playground");
    assert.equal(incident.linkedPupils.length, 1);
    assert.equal(incident.linkedPupils[0].part, "witness");
    assert.deepEqual(incident.alertedStaffIds, [dsl.oid]);
    assert.equal(incident.bodyMap?.marks.length, 1);
    assert.equal(incident.bodyMap?.marks[0].shape, "Graze");
    assert.deepEqual(
      incident.files?.map((f) => [f.name, f.contentType]),
      [["class-note.png", "image/png"]],
    );
    assert.equal(incident.source, "bot");

    // The DSL finds it at the top of the pupil's chronology with every field shown.
    await page.selectOption("#kh-user", dsl.oid);
    const tab = page.frameLocator("#kh-tab");
    await tab.getByTestId("pupil-search").fill(pupilName);
    await tab.getByTestId("pupil-result").filter({ hasText: pupilName }).first().click();
    const top = tab.getByTestId("chronology-entry").first();
    await top.waitFor();
    assert.match(await top.innerText(), new RegExp(reference!));
    await top.click();
    await tab.getByTestId("incident-account").waitFor();
    const shown = async (name: string) => (await tab.getByTestId(`incident-field-${name}`).innerText()).trim();
    assert.equal((await tab.getByTestId("incident-account").innerText()).trim(), ACCOUNT);
    assert.match(await shown("categories"), /Behaviour/);
    assert.match(await shown("sub-categories"), /Defiance/);
    assert.match(await shown("category-fields"), /Calm talking/);
    assert.match(await shown("session"), /Lunch/);
    assert.match(await shown("location"), /Playground/);
    assert.match(await shown("day-of-week"), /day$/);
    assert.match(await shown("recorded-by"), new RegExp(teacher.displayName));
    assert.match(await tab.getByTestId("linked-pupil").innerText(), new RegExp(`${linkedName}[\\s\\S]*Witness`, "i"));
    assert.equal(await tab.getByTestId("body-map").locator("g.mark").count(), 1);
    assert.match(await tab.getByTestId("incident-file").innerText(), /class-note\.png/);
    await page.close();
  });
});
