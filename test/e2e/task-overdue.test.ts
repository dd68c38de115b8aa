/**
 * Overdue tasks alert their owner once (issue 8). The overdue alert is written with the task, due at
 * the start of the first school day after its due date; with an injected clock past that, two job runners
 * draining the outbox at once send it once (the ETag lease), a task marked done meanwhile is
 * cancelled instead, and a restart of Keepsafe on the same data dir sends nothing again.
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { AlertDispatcher, type AlertDispatcherDeps } from "../../src/app/alert-dispatcher.js";
import { dateIn } from "../../src/domain/school-clock.js";
import type { Clock } from "../../src/ports/clock.js";
import { startTestKeepsafe, staffByRole, waitFor, type TestKeepsafe } from "../support/keepsafe-instance.js";
import { addTask as addTaskFor, overdueAlertsTo } from "../support/task-alerts.js";

describe("overdue task alerts", function () {
  this.timeout(120_000);
  const teacher = staffByRole(/^Teacher \(Year 3\)/);
  const dsl = staffByRole(/^DSL/);
  let dataDir: string;
  let keepsafe: TestKeepsafe | undefined;
  let ahead = 0;
  const clock: Clock = { now: () => new Date(Date.now() + ahead) };

  before(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "keepsafe-overdue-"));
  });
  after(async () => {
    await keepsafe?.cleanup();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const overdueTo = (k: TestKeepsafe) => overdueAlertsTo(k, teacher);

  it("fires once per task past its due date with two runners, never for a done task, and not again after a restart", async () => {
    keepsafe = await startTestKeepsafe({}, dataDir, { clock });
    const k = keepsafe;
    const teacherActor = await k.service.resolveActor(teacher.oid, { mfa: true });
    const pupil = (await k.service.searchPupils(teacherActor, "a"))[0];
    const { incident } = await k.service.recordIncident(teacherActor, {
      submissionId: "overdue-test-incident",
      pupilId: pupil.id,
      occurredAt: new Date(Date.now() - 3600_000).toISOString(),
      source: "tab",
      categoryIds: ["behaviour"],
      account: "Left the classroom without asking and hid in the cloakroom.",
      alertStaffIds: [dsl.oid],
    });
    const dslToken = await k.tokenFor(dsl);
    const addTask = (requestId: string) =>
      addTaskFor(k, dslToken, incident.id, {
        requestId,
        owner: teacher,
        dueOn: dateIn(clock.now(), "Europe/London"),
        occurredAt: new Date().toISOString(),
      });
    const late = await addTask("overdue-task-late");
    const doneInTime = await addTask("overdue-task-done");
    const marked = await k.api(`/api/incidents/${incident.id}/actions/${doneInTime}/status`, await k.tokenFor(teacher), {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ done: true, version: 0 }),
    });
    assert.equal(marked.status, 201);

    await k.dispatcher.runOnce();
    assert.deepEqual(overdueTo(k), [], "nothing while the tasks are due, not overdue");
    const overdueMessages = async () => (await k.records.outboxForIncident(incident.id, pupil.id)).filter((m) => m.task === "overdue");
    assert.equal((await overdueMessages()).length, 4, "one notification and one email per task, waiting");

    // Past the first school day after today (whatever day of the week the suite runs on): the runner
    // inside Keepsafe and a second one (another instance) drain at once.
    const overdueFrom = Math.max(...(await overdueMessages()).map((m) => Date.parse(m.nextAttemptAt)));
    ahead = overdueFrom - Date.now() + 3600_000;
    const second = new AlertDispatcher({ ...(k.dispatcher as unknown as { deps: AlertDispatcherDeps }).deps });
    await Promise.all([k.dispatcher.runOnce(), second.runOnce(), k.dispatcher.runOnce(), second.runOnce()]);
    const sent = await waitFor(() => (overdueTo(k).length >= 2 ? overdueTo(k) : undefined), "the overdue alert");
    assert.equal(sent.length, 2, "one notification and one email, once");
    const words = JSON.stringify(sent.map((r) => r.body));
    assert.ok(words.includes(incident.reference), "says the reference");
    for (const w of ["cloakroom", "classroom", ...pupil.displayName.split(/\s+/)]) assert.ok(!words.includes(w), `nothing of the record (${w})`);
    const byTask = (id: string) => overdueMessages().then((ms) => ms.filter((m) => m.actionId === id).map((m) => m.status));
    assert.deepEqual(await byTask(late), ["sent", "sent"]);
    assert.deepEqual(await byTask(doneInTime), ["cancelled", "cancelled"], "the task done in time is not chased");

    await k.stop();
    ahead += 86_400_000;
    keepsafe = await startTestKeepsafe({}, dataDir, { clock });
    const ran = await keepsafe.dispatcher.runOnce();
    assert.equal(ran.sent, 0, "nothing was due after the restart");
    assert.deepEqual(
      overdueTo(keepsafe).map((r) => r.seq),
      sent.map((r) => r.seq),
      "not sent again after the restart",
    );
  });
});
