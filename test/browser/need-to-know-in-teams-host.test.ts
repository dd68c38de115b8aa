/**
 * Need to know, in the real tab in headless Chromium through the local Teams host: the head of year
 * (scope `year:5`) finds only Year 5 pupils, and another year's pupil opened by the chronology link
 * answers "not found"; a teacher's deep link to a colleague's safeguarding concern reads exactly like
 * a made-up id; the teacher finds that concern's pupil by search but sees plainly that there is
 * nothing for them there (no row, count or badge); and the concern's file link, fetched from the
 * tab's page or opened as a page, answers exactly as a made-up file id, audited as access.refused.
 */
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Browser } from "playwright-core";
import { startTestKeepsafe, staffByRole, waitFor, type TestKeepsafe } from "../support/keepsafe-instance.js";
import { launchBrowser, newLoopbackPage, openTabAs } from "../support/browser.js";
import { seriousAxeViolations } from "../support/axe-check.js";
import { downloadPath } from "../../src/api/file-routes.js";

const SHOTS = join(process.cwd(), "test-results", "screenshots");

describe("tab: need to know — a head of year and a teacher see only what is theirs", function () {
  this.timeout(180_000);
  let keepsafe: TestKeepsafe;
  let browser: Browser;
  const headOfYear = staffByRole(/^Head of year \(Year 5\)/);
  const dsl = staffByRole(/^DSL/);
  let otherYearPupilId: string;
  let sharedName: string;
  let colleaguesConcernId: string;
  let concernPupil: { id: string; displayName: string };
  let colleaguesFileId: string;
  const teacher = staffByRole(/^Teacher \(Year 3\)/);
  const colleague = staffByRole(/^Teacher \(Reception\)/);

  before(async () => {
    mkdirSync(SHOTS, { recursive: true });
    keepsafe = await startTestKeepsafe();
    browser = await launchBrowser();
    const dslActor = await keepsafe.service.resolveActor(dsl.oid, { mfa: true });
    const everyone = await keepsafe.service.searchPupils(dslActor, "a");
    const other = everyone.find((p) => p.yearGroup !== "Year 5");
    assert.ok(other, "the demo roll has pupils outside Year 5");
    otherYearPupilId = other.id;
    // A few letters that find a Year 5 pupil and a pupil of another year alike, so the search could show both.
    for (const p of everyone.filter((q) => q.yearGroup === "Year 5")) {
      const letters = p.displayName.slice(0, 2);
      const found = await keepsafe.service.searchPupils(dslActor, letters);
      if (found.some((q) => q.yearGroup !== "Year 5")) {
        sharedName = letters;
        break;
      }
    }
    assert.ok(sharedName, "the demo roll has letters shared across years");
    const colleagueActor = await keepsafe.service.resolveActor(colleague.oid, { mfa: true });
    // A pupil whose name is theirs alone (the roll has namesakes), so the teacher's search finds exactly them.
    for (const p of everyone) {
      if ((await keepsafe.service.searchPupils(dslActor, p.displayName)).length === 1) {
        concernPupil = p;
        break;
      }
    }
    assert.ok(concernPupil, "the demo roll has a pupil with a name of their own");
    // The colleague's concern carries a file, so its download link is one more door to try.
    const upload = await keepsafe.service.beginFileUpload(colleagueActor, { submissionId: "need-to-know-colleague", name: "note.txt" });
    colleaguesFileId = (await upload.complete(Buffer.from("A made-up note for the browser test.\n"))).fileId;
    const recorded = await keepsafe.service.recordIncident(colleagueActor, {
      pupilId: concernPupil.id,
      submissionId: "need-to-know-colleague",
      categoryIds: ["safeguarding"],
      occurredAt: "2026-03-12T10:00:00Z",
      account: "A made-up account for the browser test.",
      source: "tab",
      alertStaffIds: [],
      toldDslInPerson: "yes",
    });
    colleaguesConcernId = recorded.incident.id;
  });
  after(async () => {
    await browser?.close();
    await keepsafe?.cleanup();
  });

  it("the head of year searching for a name shared across years sees only Year 5 pupils", async () => {
    const { page, tab } = await openTabAs(browser, keepsafe.url, headOfYear.oid);
    await tab.getByTestId("pupil-search").fill(sharedName);
    const results = tab.getByTestId("pupil-result");
    await waitFor(async () => ((await results.count()) > 0 ? true : undefined), "some Year 5 pupils");
    const metas = await results.allInnerTexts();
    for (const meta of metas) assert.match(meta, /Year 5/, `every result is in Year 5: ${meta}`);
    await page.screenshot({ path: join(SHOTS, "need-to-know-head-of-year-search.png"), fullPage: true });
  });

  it("another year's pupil opened by the chronology link shows not found, and passes axe", async () => {
    const { page, tab } = await openTabAs(browser, keepsafe.url, headOfYear.oid);
    await tab.getByTestId("pupil-search").waitFor();
    // The chronology link is the tab's own address with ?view=pupil&pupilId=...; load the tab frame there.
    await page.evaluate((pupilId) => {
      const frame = document.querySelector<HTMLIFrameElement>("#kh-tab");
      if (!frame) throw new Error("no tab frame");
      const url = new URL(frame.src);
      url.searchParams.set("view", "pupil");
      url.searchParams.set("pupilId", pupilId);
      frame.src = url.href;
    }, otherYearPupilId);
    await tab
      .getByText(/not found/i)
      .first()
      .waitFor();
    await page.screenshot({ path: join(SHOTS, "need-to-know-other-year-not-found.png"), fullPage: true });
    assert.deepEqual(await seriousAxeViolations(page), []);
  });

  it("a teacher's deep link to a colleague's safeguarding concern reads exactly like a made-up id", async () => {
    const shown: string[] = [];
    for (const [name, id] of [
      ["colleague", colleaguesConcernId],
      ["made-up", "no-such-incident"],
    ] as const) {
      const page = await newLoopbackPage(browser);
      // The Teams deep link opens the tab with subPageId `incident:<id>`; the local host passes it on from #subEntityId.
      await page.goto(`${keepsafe.url}/?as=${teacher.oid}#subEntityId=${encodeURIComponent(`incident:${id}`)}`);
      const tab = page.frameLocator("#kh-tab");
      await tab
        .getByText(/not found/i)
        .first()
        .waitFor();
      await page.screenshot({ path: join(SHOTS, `need-to-know-deep-link-${name}.png`), fullPage: true });
      shown.push((await tab.locator("body").innerText()).replaceAll(id, "<id>"));
      await page.close();
    }
    assert.equal(shown[0], shown[1]);
  });

  it("a teacher searching for the pupil of a colleague's concern finds the pupil, and sees plainly that there is nothing for them, with no trace of the concern", async () => {
    const { page, tab } = await openTabAs(browser, keepsafe.url, teacher.oid);
    await tab.getByTestId("pupil-search").fill(concernPupil.displayName);
    // Pupil search is open to staff (they record concerns about any pupil): the pupil is found.
    await tab.getByTestId("pupil-result").filter({ hasText: concernPupil.displayName }).click();
    // Said plainly, and soon: last time the teacher saw the search and the filters and no message.
    const plain = tab.getByTestId("no-records-you-can-see");
    await plain.getByText("No records you can see for this pupil").waitFor({ timeout: 8_000 });
    await page.screenshot({ path: join(SHOTS, "need-to-know-teacher-pupil-nothing-to-see.png"), fullPage: true });
    assert.equal(await tab.getByTestId("chronology-entry").count(), 0, "no row");
    assert.equal(await tab.getByTestId("chronology-filters").count(), 0, "no filters over nothing");
    assert.equal(await tab.getByTestId("unread-badge").count(), 0, "no unread badge");
    // Everything under the search (whose live region counts the pupils found, not records).
    const shown = (await tab.locator("main > div:not(:has([aria-label='Pupil search']))").allInnerTexts()).join("\n");
    assert.doesNotMatch(shown, /\d/, `no count, reference or date of the concern: ${shown}`);
    assert.doesNotMatch(shown, /safeguarding|unread/i);
    assert.deepEqual(await seriousAxeViolations(page), []);
    // Their own records are one click away.
    await plain.getByTestId("open-my-concerns").click();
    await tab.getByTestId("my-concerns").waitFor();
  });

  it("a teacher's direct file link to a colleague's concern answers exactly as a made-up file id, fetched or navigated, and is audited", async () => {
    const token = await keepsafe.tokenFor(teacher);
    const refusals = async () =>
      (await keepsafe.service["deps"].records.auditForPupil(concernPupil.id)).filter(
        (e) => e.type === "access.refused" && e.actorStaffId === teacher.oid && e.detail?.request === "file.download",
      );
    const before = (await refusals()).length;
    const links = {
      colleague: downloadPath(colleaguesConcernId, colleaguesFileId),
      "made-up file": downloadPath(colleaguesConcernId, "no-such-file"),
      "made-up record": downloadPath("no-such-incident", "no-such-file"),
    };
    const { page } = await openTabAs(browser, keepsafe.url, teacher.oid);
    await page.frameLocator("#kh-tab").getByTestId("pupil-search").waitFor();
    const tabFrame = await (await page.locator("#kh-tab").elementHandle())?.contentFrame();
    assert.ok(tabFrame, "the tab's frame");
    const answers: Record<string, { fetched: unknown; navigated: unknown; signedOut: unknown }> = Object.create(null);
    for (const [name, link] of Object.entries(links)) {
      // As the tab's own code would ask: from the tab's page, with the teacher's bearer token.
      const fetched = await tabFrame.evaluate(
        async ({ link, token }) => {
          const res = await fetch(link, { headers: { Authorization: `Bearer ${token}` }, cache: "no-store" });
          return { status: res.status, body: await res.text() };
        },
        { link, token },
      );
      // Opened as a page: once carrying the teacher's token, once as a plain link carries none.
      const nav = await newLoopbackPage(browser);
      await nav.setExtraHTTPHeaders({ authorization: `Bearer ${token}` });
      const opened = await nav.goto(`${keepsafe.url}${link}`);
      const navigated = { status: opened?.status(), body: await opened?.text() };
      await nav.screenshot({ path: join(SHOTS, `need-to-know-file-link-${name.replace(" ", "-")}.png`) });
      await nav.close();
      const bare = await newLoopbackPage(browser);
      const plain = await bare.goto(`${keepsafe.url}${link}`);
      const signedOut = { status: plain?.status(), body: await plain?.text() };
      await bare.close();
      answers[name] = { fetched, navigated, signedOut };
    }
    assert.deepEqual(answers.colleague.fetched, {
      status: 404,
      body: JSON.stringify({ error: { code: "not_found", message: "The record was not found." } }),
    });
    assert.deepEqual(answers.colleague.navigated, answers.colleague.fetched);
    assert.equal((answers.colleague.signedOut as { status: number }).status, 401);
    assert.deepEqual(answers.colleague, answers["made-up file"]);
    assert.deepEqual(answers.colleague, answers["made-up record"]);
    // Each signed-in try at the colleague's record (fetched and navigated, real and made-up file) is audited.
    const audited = (await refusals()).slice(before);
    assert.equal(audited.length, 4, JSON.stringify(audited));
    for (const e of audited) assert.equal(e.incidentId, colleaguesConcernId);
  });
});
