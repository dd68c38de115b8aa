/**
 * Early warning for concerns stored before its checks existed (issue 9, early-warning-backfill.ts),
 * against the running stack on a data dir an older Keepsafe left: concerns written through the
 * store with no early-warning check and never evaluated. After an upgrade the check job's first
 * run flags the pupil on the DSL's early-warning list with one firing and one alert to each DSL
 * and deputy (Graph sandbox); a restart fires nothing more; two backfills at once record one
 * firing; a pupil whose concerns are outside the window is not flagged, and the school's own
 * longer window is looked back over.
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { backfillEarlyWarnings } from "../../src/app/early-warning-backfill.js";
import { buildEarlyWarningMessages } from "../../src/app/early-warning.js";
import { KeepsafeService } from "../../src/app/keepsafe-service.js";
import { applySchoolSetup } from "../../src/app/school-setup.js";
import { DEMO_STAFF } from "../../src/local/demo-school.js";
import type { Clock } from "../../src/ports/clock.js";
import type { RecordStore } from "../../src/ports/record-store.js";
import { startTestKeepsafe, staffByRole, waitFor, type TestKeepsafe } from "../support/keepsafe-instance.js";

describe("early warning backfill (concerns stored before checks)", function () {
  this.timeout(240_000);
  const teacher = staffByRole(/Year 3/);
  const dsl = staffByRole(/^DSL/);
  const leads = DEMO_STAFF.filter((s) => s.role === "DSL" || s.role === "DDSL");
  const upgradeDay = Date.parse("2027-03-10T10:00:00.000Z");
  let now = new Date(upgradeDay);
  const clock: Clock = { now: () => now };
  const daysBefore = (d: number) => (now = new Date(upgradeDay - d * 86_400_000));
  let dir: string;
  let keepsafe: TestKeepsafe | undefined;
  let n = 0;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "keepsafe-ew-backfill-"));
  });
  afterEach(async () => {
    await keepsafe?.stop();
    keepsafe = undefined;
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** Starts Keepsafe on the data dir with the check job's own timer stopped: the test says when it runs. */
  const start = async () => {
    keepsafe = await startTestKeepsafe({}, dir, { clock });
    await keepsafe.earlyWarningChecks.stop();
    return keepsafe;
  };
  const restart = async () => {
    await keepsafe?.stop();
    return start();
  };
  /** As an older Keepsafe recorded a concern: the same documents through the store, but no early-warning check, and nothing evaluated. */
  const olderService = (k: TestKeepsafe) => {
    const records: RecordStore = {
      ...k.records,
      createIncident: ({ incident, alerts, outbox, audit, links }) => k.records.createIncident({ incident, alerts, outbox, audit, links }),
    };
    return new KeepsafeService({ schools: k.service["deps"].schools, records, clock });
  };
  const recordOld = async (k: TestKeepsafe, pupilId: string, daysAgo: number) => {
    daysBefore(daysAgo);
    const actor = await k.service.resolveActor(teacher.oid, { mfa: true });
    const { incident } = await olderService(k).recordIncident(actor, {
      submissionId: `ew-backfill-${++n}-${path.basename(dir)}`,
      pupilId,
      occurredAt: new Date(now.getTime() - 3600_000).toISOString(),
      source: "tab",
      categoryIds: [n % 2 ? "behaviour" : "welfare"],
      account: `Backfill account ${n}: upset at lunch.`,
      alertStaffIds: [dsl.oid],
    });
    return incident;
  };
  const pupilsOf = async (k: TestKeepsafe) => k.service.searchPupils(await k.service.resolveActor(dsl.oid, { mfa: true }), "a");
  const firings = async (k: TestKeepsafe, pupilId: string) => (await k.earlyWarnings.firingsForPupil(pupilId)).firings;
  const depsOf = (k: TestKeepsafe) => ({ schools: k.service["deps"].schools, records: k.records, earlyWarnings: k.earlyWarnings, clock });
  const earlyWarningAlerts = (k: TestKeepsafe, pupilId: string) =>
    k.local
      .graph!.requests()
      .filter((r) => r.kind === "activity-notification" && (r.body as { activityType?: string }).activityType === "earlyWarning")
      .filter((r) => JSON.stringify(r.body).includes(pupilId));
  const earlyWarningList = async (k: TestKeepsafe) => {
    const res = await k.api("/api/early-warnings", await k.tokenFor(dsl));
    assert.equal(res.status, 200);
    return ((await res.json()) as { firings: { id: string; pupil: { id: string }; references: string[] }[] }).firings;
  };

  it("ew backfill: concerns an older Keepsafe stored flag their pupil on the DSL's list after the upgrade, once, and a restart fires nothing more", async () => {
    const old = await start();
    const [flagged, outside] = await pupilsOf(old);
    const concerns = [await recordOld(old, flagged!.id, 20), await recordOld(old, flagged!.id, 10), await recordOld(old, flagged!.id, 2)];
    for (const d of [60, 50, 40]) await recordOld(old, outside!.id, d);
    assert.deepEqual(await old.earlyWarnings.dueChecks(new Date(upgradeDay).toISOString(), 50), [], "stored as the older code did: no check");

    now = new Date(upgradeDay);
    const upgraded = await restart();
    assert.deepEqual(await upgraded.earlyWarningChecks.runOnce(), { outcome: "checked", alerted: 1 }, "the job's first run fires for the pupil");
    const [fired, ...more] = await firings(upgraded, flagged!.id);
    assert.equal(more.length, 0, "one firing");
    assert.equal(fired!.rule, "any-concerns");
    assert.deepEqual(
      fired!.incidentIds,
      concerns.map((c) => c.id),
    );
    assert.deepEqual(await firings(upgraded, outside!.id), [], "concerns 40 to 60 days old are outside the 30-day window");

    const listed = await earlyWarningList(upgraded);
    assert.deepEqual(
      listed.map((f) => f.pupil.id),
      [flagged!.id],
      "the DSL's list shows the pupil, and not the one outside the window",
    );
    assert.deepEqual(
      listed[0]!.references,
      concerns.map((c) => c.reference),
    );
    await upgraded.dispatcher.runOnce();
    await waitFor(() => (earlyWarningAlerts(upgraded, flagged!.id).length >= leads.length ? true : undefined), "the early warning's alerts sent");
    assert.deepEqual(
      earlyWarningAlerts(upgraded, flagged!.id)
        .map((r) => r.userId)
        .sort(),
      leads.map((s) => s.oid).sort(),
      "the DSL and the deputy, each once",
    );

    // A later start reads the marker and backfills nothing; the open episode is not fired again.
    now = new Date(upgradeDay + 86_400_000);
    const again = await restart();
    assert.deepEqual(await again.earlyWarningChecks.runOnce(), { outcome: "checked", alerted: 0 });
    assert.deepEqual(await backfillEarlyWarnings(depsOf(again)), { ran: false }, "the backfill ran once per store");
    assert.equal((await firings(again, flagged!.id)).length, 1, "no second firing after a restart");
    assert.equal(
      (await again.records.outboxForIncident(fired!.id, flagged!.id)).length,
      buildEarlyWarningMessages(
        fired!,
        leads.map((s) => s.oid),
      ).length,
    );
  });

  it("ew backfill: two instances backfilling at once record one firing and one set of alerts", async () => {
    const k = await start();
    const [pupil] = await pupilsOf(k);
    for (const d of [25, 12, 1]) await recordOld(k, pupil!.id, d);
    now = new Date(upgradeDay);
    const runs = await Promise.all([backfillEarlyWarnings(depsOf(k)), backfillEarlyWarnings(depsOf(k))]);
    const firedByEach = runs.map((r) => (r.ran ? r.fired : 0));
    assert.equal(firedByEach[0]! + firedByEach[1]!, 1, "one of the two wrote the firing; the other met it");
    const [fired, ...more] = await firings(k, pupil!.id);
    assert.equal(more.length, 0, "one firing");
    assert.deepEqual(
      (await k.records.outboxForIncident(fired!.id, pupil!.id)).map((m) => m.id).sort(),
      buildEarlyWarningMessages(
        fired!,
        leads.map((s) => s.oid),
      )
        .map((m) => m.id)
        .sort(),
      "one firing's alerts, once",
    );
    assert.deepEqual(await k.earlyWarningChecks.runOnce(), { outcome: "checked", alerted: 0 }, "the job's first run after them finds the marker");
  });

  it("ew backfill: looks back over the school's own longer window, and not past it", async () => {
    const k = await start();
    const schoolId = (await k.service.resolveActor(dsl.oid, { mfa: true })).schoolId;
    await applySchoolSetup({ schools: k.service["deps"].schools }, schoolId, {
      earlyWarning: { anyWithinDays: 60, anyCount: 3, staffWithinDays: 7, staffCount: 2 },
    });
    const [inside, beyond] = await pupilsOf(k);
    for (const d of [55, 45, 35]) await recordOld(k, inside!.id, d);
    for (const d of [90, 70, 61]) await recordOld(k, beyond!.id, d);
    now = new Date(upgradeDay);
    assert.deepEqual(
      await backfillEarlyWarnings(depsOf(k)),
      { ran: true, evaluated: 1, fired: 1 },
      "only the pupil inside the school's 60 days is read",
    );
    assert.equal((await firings(k, inside!.id)).length, 1);
    assert.deepEqual(await firings(k, beyond!.id), []);
  });
});
