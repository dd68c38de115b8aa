/**
 * Early warning (issue 9) with an injected clock against the running stack and the Graph sandbox:
 * each default rule fires at its threshold and not below, once per episode; the different-staff
 * rule needs distinct raisers; a record the DSLs cannot all open is not counted; after a review a
 * new build-up fires again; a firing survives a restart; the alert is content-free; and the review
 * route refuses bad input.
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import { applySchoolSetup } from "../../src/app/school-setup.js";
import { DEMO_STAFF } from "../../src/local/demo-school.js";
import { LIMITS } from "../../src/domain/limits.js";
import type { Clock } from "../../src/ports/clock.js";
import { startTestKeepsafe, staffByRole, waitFor, type TestKeepsafe } from "../support/keepsafe-instance.js";

describe("early warning", function () {
  this.timeout(180_000);
  const dsl = staffByRole(/^DSL/);
  const deputy = staffByRole(/^Deputy DSL/);
  const teacher = staffByRole(/Year 3/);
  const reception = staffByRole(/Reception/);
  const leads = DEMO_STAFF.filter((s) => s.role === "DSL" || s.role === "DDSL");
  let keepsafe: TestKeepsafe;
  let now = new Date("2027-02-01T10:00:00Z");
  const clock: Clock = { now: () => now };
  let pupils: { id: string; displayName: string }[] = [];
  let n = 0;

  before(async () => {
    keepsafe = await startTestKeepsafe({}, undefined, { clock });
    const actor = await keepsafe.service.resolveActor(teacher.oid, { mfa: true });
    pupils = await keepsafe.service.searchPupils(actor, "a");
    assert.ok(pupils.length >= 5, "enough demo pupils");
  });
  let restartedDir: string | undefined;
  after(async () => {
    await keepsafe?.cleanup();
    if (restartedDir) fs.rmSync(restartedDir, { recursive: true, force: true });
  });

  const day = (d: number) => (now = new Date(Date.parse("2027-02-01T10:00:00Z") + d * 86_400_000));
  const record = async (staff: typeof dsl, pupilId: string, extra: object = {}) => {
    const actor = await keepsafe.service.resolveActor(staff.oid, { mfa: true });
    const { incident } = await keepsafe.service.recordIncident(actor, {
      submissionId: `early-warning-${++n}`,
      pupilId,
      occurredAt: new Date(now.getTime() - 3600_000).toISOString(),
      source: "tab",
      categoryIds: [n % 2 ? "behaviour" : "welfare"],
      account: `Secret account number ${n} about lunch.`,
      alertStaffIds: [dsl.oid],
      ...extra,
    });
    return incident;
  };
  // Evaluation runs after the concern is stored, so tests wait for the firing to appear.
  const firings = async (pupilId: string) => (await keepsafe.earlyWarnings.firingsForPupil(pupilId)).firings;
  const settle = async (pupilId: string, count: number) => {
    await waitFor(async () => ((await firings(pupilId)).length === count ? true : undefined), `${count} firings`);
    // Nothing more arrives shortly after (a second firing would be a bug).
    await new Promise((r) => setImmediate(r));
    return firings(pupilId);
  };
  const call = async (staff: typeof dsl, path: string, body?: unknown) => {
    const res = await keepsafe.api(
      path,
      await keepsafe.tokenFor(staff),
      body !== undefined
        ? { method: "POST", headers: { "content-type": "application/json" }, body: typeof body === "string" ? body : JSON.stringify(body) }
        : {},
    );
    return { status: res.status, body: (await res.json().catch(() => undefined)) as any };
  };

  it("fires the any-category rule at three concerns in 30 days, not at two, once per episode, content-free", async () => {
    const pupil = pupils[0];
    day(0);
    const a = await record(teacher, pupil.id);
    day(12);
    const b = await record(teacher, pupil.id);
    await new Promise((r) => setTimeout(r, 300));
    assert.equal((await firings(pupil.id)).length, 0, "two concerns do not fire");
    day(25);
    const c = await record(teacher, pupil.id);
    const [fired] = await settle(pupil.id, 1);
    assert.equal(fired.rule, "any-concerns");
    assert.deepEqual(fired.incidentIds, [a.id, b.id, c.id]);
    day(26);
    await record(teacher, pupil.id);
    await new Promise((r) => setTimeout(r, 300));
    assert.equal((await firings(pupil.id)).length, 1, "a 4th concern adds no second firing");

    await keepsafe.dispatcher.runOnce();
    const alerts = await waitFor(() => {
      const r = keepsafe.local.graph!.requests().filter((x) => x.kind === "activity-notification" && (x.body as any).activityType === "earlyWarning");
      return r.length >= leads.length ? r : undefined;
    }, "early warning alerts to every DSL and deputy");
    assert.deepEqual([...new Set(alerts.map((r) => r.userId))].sort(), leads.map((s) => s.oid).sort());
    const sent = JSON.stringify(keepsafe.local.graph!.requests().filter((x) => JSON.stringify(x.body).includes("early warning")));
    for (const w of [...pupil.displayName.split(/\s+/), "Behaviour", "behaviour", "Welfare", "welfare", "Secret", "lunch"])
      assert.ok(!sent.includes(w), `content-free (${w})`);

    const list = await call(dsl, "/api/early-warnings");
    assert.equal(list.status, 200);
    const shown = list.body.firings.find((f: any) => f.id === fired.id);
    assert.equal(shown.pupil.displayName, pupil.displayName);
    assert.deepEqual(shown.references, [a.reference, b.reference, c.reference]);
  });

  it("fires the different-staff rule at two raisers in 7 days; the same raiser twice does not", async () => {
    day(40);
    await record(teacher, pupils[1].id);
    day(41);
    await record(teacher, pupils[1].id);
    await new Promise((r) => setTimeout(r, 300));
    assert.equal((await firings(pupils[1].id)).length, 0, "one raiser twice is not two members of staff");

    await record(teacher, pupils[2].id);
    day(45);
    await record(reception, pupils[2].id);
    const [fired] = await settle(pupils[2].id, 1);
    assert.equal(fired.rule, "different-staff");
    assert.equal(fired.incidentIds.length, 2);
  });

  it("never counts a record the DSLs cannot all open (an allegation naming the deputy DSL)", async () => {
    const pupil = pupils[3];
    day(60);
    const hidden = await record(teacher, pupil.id, {
      categoryIds: ["welfare"],
      alertStaffIds: [dsl.oid],
      allegationAgainstStaff: { staffIds: [deputy.oid] },
    });
    day(61);
    await record(teacher, pupil.id);
    day(62);
    await record(teacher, pupil.id);
    await new Promise((r) => setTimeout(r, 300));
    assert.equal((await firings(pupil.id)).length, 0, "the allegation is not the third concern");
    day(63);
    await record(teacher, pupil.id);
    const [fired] = await settle(pupil.id, 1);
    assert.ok(!fired.incidentIds.includes(hidden.id));
  });

  it("reviews with a note (DSL only, bad input 400), then a new build-up fires again, and firings survive a restart", async () => {
    const pupil = pupils[0];
    const [fired] = await firings(pupil.id);
    const path = `/api/pupils/${pupil.id}/early-warnings/${encodeURIComponent(fired.id)}/review`;
    for (const bad of [
      { note: "ok", extra: 1 },
      '{"__proto__":{"x":1},"note":"ok"}',
      { note: "   " },
      {},
      { note: "x".repeat(LIMITS.earlyWarningNoteMaxLength + 1) },
    ])
      assert.equal((await call(dsl, path, bad)).status, 400, `400 for ${JSON.stringify(bad)}`);
    assert.equal((await call(teacher, path, { note: "Seen" })).status, 403, "staff refused");
    const audit = await keepsafe.records.auditForStaff((await keepsafe.service.resolveActor(teacher.oid, { mfa: true })).schoolId, teacher.oid, 20);
    assert.ok(
      audit.some((e) => e.type === "access.refused"),
      "the refusal is audited",
    );
    day(70);
    const reviewed = await call(deputy, path, { note: "Spoke to the class teacher; monitoring." });
    assert.equal(reviewed.status, 201, JSON.stringify(reviewed.body));
    assert.equal((await call(dsl, path, { note: "again" })).status, 200, "a second review keeps the first");
    const listed = (await call(dsl, "/api/early-warnings")).body;
    assert.ok(!listed.firings.some((f: any) => f.id === fired.id), "no longer open");
    const done = listed.reviewed.find((f: any) => f.id === fired.id);
    assert.deepEqual(
      done?.review,
      { by: deputy.displayName, at: now.toISOString(), note: "Spoke to the class teacher; monitoring." },
      "listed as reviewed with the first review's author, time and note",
    );
    assert.equal(done.pupil.displayName, pupil.displayName);

    day(72);
    await record(teacher, pupil.id);
    day(73);
    await record(teacher, pupil.id);
    await new Promise((r) => setTimeout(r, 300));
    assert.equal((await firings(pupil.id)).length, 1, "concerns before the review do not count again");
    day(74);
    await record(teacher, pupil.id);
    const after = await settle(pupil.id, 2);
    const fresh = after.find((f) => f.id !== fired.id)!;

    // Restart on the same data: the open firing is still there, and a 4th concern does not repeat it.
    const dir = (restartedDir = keepsafe.dataDir);
    await keepsafe.stop();
    keepsafe = await startTestKeepsafe({}, dir, { clock });
    assert.ok(
      (await call(dsl, "/api/early-warnings")).body.firings.some((f: any) => f.id === fresh.id),
      "open after restart",
    );
    day(75);
    await record(teacher, pupil.id);
    await new Promise((r) => setTimeout(r, 300));
    assert.equal((await firings(pupil.id)).length, 2, "no new firing after restart while one is open");
  });

  it("follows the school's own rule from school setup, and refuses a bad one", async () => {
    const schools = keepsafe.service["deps"].schools;
    const schoolId = (await keepsafe.service.resolveActor(dsl.oid, { mfa: true })).schoolId;
    for (const bad of [
      { anyWithinDays: 30, anyCount: 1, staffWithinDays: 7, staffCount: 2 },
      { anyWithinDays: 30, anyCount: 3, staffWithinDays: 7 },
      { anyWithinDays: 30, anyCount: 3, staffWithinDays: 7, staffCount: 2, x: 1 },
    ])
      await assert.rejects(applySchoolSetup({ schools }, schoolId, { earlyWarning: bad }), /setup file has problems/, JSON.stringify(bad));
    await applySchoolSetup({ schools }, schoolId, { earlyWarning: { anyWithinDays: 10, anyCount: 2, staffWithinDays: 1, staffCount: 5 } });
    const pupil = pupils[4];
    day(100);
    await record(teacher, pupil.id);
    day(111);
    await record(teacher, pupil.id);
    await new Promise((r) => setTimeout(r, 300));
    assert.equal((await firings(pupil.id)).length, 0, "eleven days apart is outside the school's ten");
    day(112);
    await record(teacher, pupil.id);
    const [fired] = await settle(pupil.id, 1);
    assert.equal(fired.rule, "any-concerns");
    assert.equal(fired.incidentIds.length, 2, "two within ten days, as the school set");
  });

  it("clears each concern's early-warning check once its in-process evaluation is done", async () => {
    day(130);
    const incident = await record(teacher, pupils[5]?.id ?? pupils[0].id);
    const pending = async () =>
      (await keepsafe.earlyWarnings.dueChecks(new Date(now.getTime() + 86_400_000).toISOString(), 100)).some((c) => c.id === incident.id);
    await waitFor(async () => ((await pending()) ? undefined : true), "the concern's check cleared");
  });
});
