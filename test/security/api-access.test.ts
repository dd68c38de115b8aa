/**
 * Finding 4: pupil search (and every pupil header the tab API sends) gave welfare flags to anyone
 * signed in. Each role now gets only what policy.visiblePupilFlags allows, over real HTTP against
 * the whole of Keepsafe, and in the real tab inside the local Teams host.
 */
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import type { Browser } from "playwright-core";
import { startTestKeepsafe, staffByRole, type TestKeepsafe } from "../support/keepsafe-instance.js";
import { launchBrowser, newLoopbackPage } from "../support/browser.js";

type Summary = { id: string; displayName: string; yearGroup: string; className: string; flags: string[] };
const LETTERS = [..."abcdefghijklmnopqrstuvwxyz"];

describe("security: finding 4 — pupil search and pupil headers show each role only the flags it may know", function () {
  this.timeout(120_000);
  let keepsafe: TestKeepsafe;
  const dsl = staffByRole(/^DSL/);
  const slt = staffByRole(/^SLT/);
  const teacher = staffByRole(/^Teacher \(Year 3\)/);
  const admin = staffByRole(/^Admin staff/);

  /** Every pupil the 26 one-letter searches give this token, by id. */
  const sweep = async (token: string) => {
    const seen = new Map<string, Summary>();
    for (const letter of LETTERS) {
      const res = await keepsafe.api(`/api/pupils?query=${letter}`, token);
      assert.equal(res.status, 200, `query ${letter}`);
      for (const p of ((await res.json()) as { pupils: Summary[] }).pupils) seen.set(p.id, p);
    }
    return [...seen.values()];
  };
  const flagsOf = (pupils: Summary[]) => new Set(pupils.flatMap((p) => p.flags));

  before(async () => {
    keepsafe = await startTestKeepsafe();
  });
  after(async () => keepsafe?.cleanup());

  it("gives admin staff without MFA, and a teacher, no flags at all in 26 one-letter searches", async () => {
    const dslSeen = await sweep(await keepsafe.tokenFor(dsl));
    assert.ok(flagsOf(dslSeen).has("CP"), "the sweep does reach pupils with a child protection plan");
    for (const [who, token] of [
      ["admin staff without MFA", await keepsafe.tokenFor(admin, { mfa: false })],
      ["a teacher", await keepsafe.tokenFor(teacher)],
    ] as const) {
      const pupils = await sweep(token);
      assert.ok(pupils.length >= 50, `${who} still finds pupils by name`);
      assert.deepEqual([...flagsOf(pupils)], [], `${who} sees no flags`);
      assert.ok(
        pupils.every((p) => p.displayName && p.yearGroup && p.className),
        `${who} gets names, year group and class`,
      );
    }
  });

  it("gives SLT every flag but CP and CIN, DSLs all of them, and nobody flags without the MFA their role needs", async () => {
    const sltFlags = flagsOf(await sweep(await keepsafe.tokenFor(slt)));
    assert.ok(!sltFlags.has("CP") && !sltFlags.has("CIN"), `SLT saw ${[...sltFlags]}`);
    assert.ok(sltFlags.has("LAC") && sltFlags.has("SEND"), "SLT see the other flags");
    const dslFlags = flagsOf(await sweep(await keepsafe.tokenFor(dsl)));
    for (const flag of ["LAC", "CP", "CIN", "SEND", "EAL", "PPG", "YC"]) assert.ok(dslFlags.has(flag), `the DSL sees ${flag}`);
    // A DSL without MFA may still search (to record a concern) but is shown no flags.
    assert.deepEqual([...flagsOf(await sweep(await keepsafe.tokenFor(dsl, { mfa: false })))], []);
  });

  it("applies the same rule to the chronology's pupil header and the incident view's pupil", async () => {
    const dslSeen = await sweep(await keepsafe.tokenFor(dsl));
    // A pupil with a child protection plan and another flag, so SLT's header is seen to keep the rest.
    const cpPupil = dslSeen.find((p) => p.flags.includes("CP") && p.flags.length > 1) ?? dslSeen.find((p) => p.flags.includes("CP"))!;
    const teacherToken = await keepsafe.tokenFor(teacher);
    const recorded = await keepsafe.api("/api/incidents", teacherToken, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        submissionId: `flags-${randomUUID()}`,
        source: "tab",
        pupilId: cpPupil.id,
        categoryIds: ["behaviour"],
        occurredAt: new Date(Date.now() - 3600_000).toISOString(),
        account: "Pushed another pupil over in the playground at lunch.",
        alertStaffIds: [slt.oid],
      }),
    });
    assert.equal(recorded.status, 201, await recorded.clone().text());
    const incidentId = ((await recorded.json()) as { incident: { id: string } }).incident.id;

    // The teacher who raised it can open it, and must not learn of the child protection plan there.
    const teacherView = (await (await keepsafe.api(`/api/incidents/${incidentId}`, teacherToken)).json()) as { pupil: Summary };
    assert.equal(teacherView.pupil.id, cpPupil.id);
    assert.deepEqual(teacherView.pupil.flags, []);

    const sltToken = await keepsafe.tokenFor(slt);
    const sltView = (await (await keepsafe.api(`/api/incidents/${incidentId}`, sltToken)).json()) as { pupil: Summary };
    assert.deepEqual(
      sltView.pupil.flags,
      cpPupil.flags.filter((f) => f !== "CP" && f !== "CIN"),
    );
    const sltChronology = (await (await keepsafe.api(`/api/pupils/${cpPupil.id}/chronology`, sltToken)).json()) as { pupil: Summary };
    assert.deepEqual(
      sltChronology.pupil.flags,
      cpPupil.flags.filter((f) => f !== "CP" && f !== "CIN"),
    );

    const dslChronology = (await (await keepsafe.api(`/api/pupils/${cpPupil.id}/chronology`, await keepsafe.tokenFor(dsl))).json()) as {
      pupil: Summary;
    };
    assert.deepEqual(dslChronology.pupil.flags, cpPupil.flags);
  });

  describe("in the tab, in Chromium, through the local Teams host", () => {
    let browser: Browser;
    before(async () => {
      browser = await launchBrowser();
    });
    after(async () => browser?.close());

    /** Signs in as `staff` in the host page and searches for `name`; the tab's results are returned. */
    const searchInTab = async (staff: typeof dsl, name: string) => {
      const page = await newLoopbackPage(browser);
      await page.goto(`${keepsafe.url}/`);
      await page.selectOption("#kh-user", staff.oid);
      const tab = page.frameLocator("#kh-tab");
      await tab.getByTestId("pupil-search").fill(name);
      const result = tab.getByTestId("pupil-result").filter({ hasText: name }).first();
      await result.waitFor();
      return { page, result };
    };

    it("shows office staff the pupil with no CP (Child protection plan) badge, where the DSL sees it", async () => {
      const cpPupil = (await sweep(await keepsafe.tokenFor(dsl))).find((p) => p.flags.includes("CP"))!;

      const asDsl = await searchInTab(dsl, cpPupil.displayName);
      await asDsl.result.getByTestId("flag-badge").filter({ hasText: "CP (Child protection plan)" }).waitFor();
      await asDsl.page.close();

      const asAdmin = await searchInTab(admin, cpPupil.displayName);
      assert.match(await asAdmin.result.innerText(), new RegExp(cpPupil.yearGroup), "office staff still tell the child apart by year group");
      assert.equal(await asAdmin.result.getByTestId("flag-badge").count(), 0, "no flag badges at all for office staff");
      const tabText = await asAdmin.page.frameLocator("#kh-tab").locator("body").innerText();
      assert.ok(!tabText.includes("Child protection plan"), "nowhere in the tab");
      await asAdmin.page.close();
    });
  });
});
