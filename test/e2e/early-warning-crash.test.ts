/**
 * Early warning survives a crash between a concern and its evaluation (issue 9), through the whole
 * of Keepsafe: concerns posted to the tab API (POST /api/incidents) by an instance whose in-process
 * evaluation never runs (as if it died right after each store) are evaluated by the early-warning
 * check job once a minute old, and the DSL and deputy get the Teams alert once, through the Graph
 * sandbox, however often the job or the dispatcher looks again.
 */
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { DEMO_STAFF } from "../../src/local/demo-school.js";
import type { Clock } from "../../src/ports/clock.js";
import { startTestKeepsafe, staffByRole, waitFor, type TestKeepsafe } from "../support/keepsafe-instance.js";

describe("early warning after a crash (tab API, Graph sandbox)", function () {
  this.timeout(120_000);
  const teacher = staffByRole(/Year 3/);
  const dsl = staffByRole(/^DSL/);
  const leads = DEMO_STAFF.filter((s) => s.role === "DSL" || s.role === "DDSL");
  let keepsafe: TestKeepsafe;
  let now = new Date();
  const clock: Clock = { now: () => now };

  before(async () => {
    keepsafe = await startTestKeepsafe({}, undefined, { clock, inProcessEarlyWarning: false });
    // The test looks itself, so the job's own timer never holds the lease when it does.
    await keepsafe.earlyWarningChecks.stop();
  });
  after(async () => keepsafe?.cleanup());

  const post = async (pupilId: string, n: number) => {
    const res = await keepsafe.api("/api/incidents", await keepsafe.tokenFor(teacher), {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        submissionId: randomUUID(),
        source: "tab",
        pupilId,
        occurredAt: new Date(now.getTime() - 3600_000).toISOString(),
        account: `Concern ${n}: quiet and withdrawn at break.`,
        categoryIds: [n % 2 ? "behaviour" : "welfare"],
        alertStaffIds: [dsl.oid],
      }),
    });
    assert.equal(res.status, 201, await res.text());
  };
  const earlyWarningAlerts = (pupilId: string) =>
    keepsafe.local
      .graph!.requests()
      .filter((r) => r.kind === "activity-notification" && (r.body as { activityType?: string }).activityType === "earlyWarning")
      .filter((r) => JSON.stringify(r.body).includes(pupilId));

  it("ew crash: concerns stored by an instance that never evaluated them alert the DSLs once, from the check job a minute later", async () => {
    const actor = await keepsafe.service.resolveActor(teacher.oid, { mfa: true });
    const pupilId = (await keepsafe.service.searchPupils(actor, "a"))[0]!.id;
    const recordedAt = now.getTime();
    for (const n of [1, 2, 3]) await post(pupilId, n);
    assert.equal((await keepsafe.earlyWarnings.firingsForPupil(pupilId)).firings.length, 0, "nothing evaluated the concerns");
    assert.equal((await keepsafe.earlyWarnings.dueChecks(new Date(recordedAt + 3600_000).toISOString(), 50)).length, 3, "a check per concern");

    now = new Date(recordedAt + 30_000);
    assert.equal((await keepsafe.earlyWarningChecks.runOnce()).alerted, 0, "under a minute: not yet");
    now = new Date(recordedAt + 61_000);
    assert.deepEqual(await keepsafe.earlyWarningChecks.runOnce(), { outcome: "checked", alerted: 1 });
    assert.equal((await keepsafe.earlyWarnings.dueChecks(new Date(recordedAt + 3600_000).toISOString(), 50)).length, 0, "the checks are cleared");

    // The dispatcher's own timer may be sending them too: wait for every one to be sent.
    const [firing] = (await keepsafe.earlyWarnings.firingsForPupil(pupilId)).firings;
    await keepsafe.dispatcher.runOnce();
    await waitFor(
      async () => ((await keepsafe.records.outboxForIncident(firing!.id, pupilId)).every((m) => m.status === "sent") ? true : undefined),
      "the early warning's alerts sent",
    );
    assert.deepEqual(
      earlyWarningAlerts(pupilId)
        .map((r) => r.userId)
        .sort(),
      leads.map((s) => s.oid).sort(),
      "the DSL and the deputy, each once",
    );
    // Looking again (the job, the dispatcher) sends nothing more.
    now = new Date(recordedAt + 5 * 60_000);
    assert.deepEqual(await keepsafe.earlyWarningChecks.runOnce(), { outcome: "checked", alerted: 0 });
    await keepsafe.dispatcher.runOnce();
    assert.equal(earlyWarningAlerts(pupilId).length, leads.length);
    const content = JSON.stringify(earlyWarningAlerts(pupilId));
    for (const w of ["withdrawn", "Behaviour", "Welfare"]) assert.ok(!content.includes(w), `content-free (${w})`);
  });
});
