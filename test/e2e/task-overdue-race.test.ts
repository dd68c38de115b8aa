/**
 * The race between an overdue task alert and its task being marked done (issue 8). The dispatcher
 * reads the task just before sending, then takes the gate `task-gate:<action>:<version>`; marking the
 * task creates the same gate in its batch, so whichever comes first wins. Here the real dispatcher
 * is held inside that check (between the read and the gate, or just after the gate) while the owner
 * marks the task done over HTTP, and the Graph sandbox says what was sent.
 */
import assert from "node:assert/strict";
import { taskAlertStillWanted } from "../../src/app/action-tasks.js";
import { AlertDispatcher, type AlertDispatcherDeps } from "../../src/app/alert-dispatcher.js";
import { dateIn } from "../../src/domain/school-clock.js";
import type { Clock } from "../../src/ports/clock.js";
import type { RecordStore } from "../../src/ports/record-store.js";
import { startTestKeepsafe, staffByRole, waitFor, type TestKeepsafe } from "../support/keepsafe-instance.js";
import { addTask, overdueAlertsTo } from "../support/task-alerts.js";

type TaskChecks = Pick<RecordStore, "taskStatusesForAction" | "claimTaskOverdue">;

/** A gate the test opens when it has done its part; `waiting` counts who is held at it. */
function hold() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  const gate = {
    waiting: 0,
    open,
    pass: async () => {
      gate.waiting += 1;
      await opened;
    },
  };
  return gate;
}

describe("overdue task alert and marking done, in either order", function () {
  this.timeout(120_000);
  const teacher = staffByRole(/^Teacher \(Year 3\)/);
  const dsl = staffByRole(/^DSL/);
  let keepsafe: TestKeepsafe;
  let ahead = 0;
  const clock: Clock = { now: () => new Date(Date.now() + ahead) };

  before(async () => {
    keepsafe = await startTestKeepsafe({}, undefined, { clock });
    // Only the dispatcher each test builds drains the outbox, so nothing else sends while it is held.
    await keepsafe.dispatcher.stop();
  });
  after(() => keepsafe?.cleanup());

  /** A record with one task for the teacher, due today, and its clock moved past the task's overdue alert. */
  async function overdueTask(submissionId: string) {
    const k = keepsafe;
    ahead = 0;
    const teacherActor = await k.service.resolveActor(teacher.oid, { mfa: true });
    const pupil = (await k.service.searchPupils(teacherActor, "a"))[0];
    const { incident } = await k.service.recordIncident(teacherActor, {
      submissionId,
      pupilId: pupil.id,
      occurredAt: new Date(Date.now() - 3600_000).toISOString(),
      source: "tab",
      categoryIds: ["behaviour"],
      account: "Threw a chair in the hall at wet play.",
      alertStaffIds: [dsl.oid],
    });
    const actionId = await addTask(k, await k.tokenFor(dsl), incident.id, {
      requestId: `${submissionId}-task`,
      owner: teacher,
      dueOn: dateIn(clock.now(), "Europe/London"),
      occurredAt: new Date().toISOString(),
    });
    const overdue = (await k.records.outboxForIncident(incident.id, pupil.id)).filter((m) => m.task === "overdue");
    assert.equal(overdue.length, 2, "the overdue notification and email wait in the outbox");
    ahead = Math.max(...overdue.map((m) => Date.parse(m.nextAttemptAt))) - Date.now() + 3600_000;
    const statusesOf = async () =>
      (await k.records.outboxForIncident(incident.id, pupil.id)).filter((m) => m.actionId === actionId && m.task === "overdue").map((m) => m.status);
    const sentToOwner = () => overdueAlertsTo(k, teacher).filter((r) => JSON.stringify(r.body).includes(incident.reference));
    return { incident, pupil, actionId, statusesOf, sentToOwner };
  }

  /** The real dispatcher with Keepsafe's deps, its task check reading the store through `checks`. */
  const dispatcherChecking = (checks: TaskChecks) =>
    new AlertDispatcher({
      ...(keepsafe as unknown as { dispatcher: { deps: AlertDispatcherDeps } }).dispatcher.deps,
      stillWanted: taskAlertStillWanted(checks),
    });

  const markDone = async (incidentId: string, actionId: string) => {
    const res = await keepsafe.api(`/api/incidents/${incidentId}/actions/${actionId}/status`, await keepsafe.tokenFor(teacher), {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ done: true, version: 0 }),
    });
    return { status: res.status, body: (await res.json()) as { action: { task: { done: boolean; version: number } } } };
  };

  const taskAsRead = async (incidentId: string, actionId: string) => {
    const res = await keepsafe.api(`/api/incidents/${incidentId}`, await keepsafe.tokenFor(dsl));
    assert.equal(res.status, 200);
    const view = (await res.json()) as { actions: { id: string; task?: { done: boolean; version: number } }[] };
    return view.actions.find((a) => a.id === actionId)?.task;
  };

  it("task-race: marked done after the dispatcher read it as not done, the overdue alert is cancelled, not sent", async () => {
    const t = await overdueTask("task-race-mark-first");
    const records = keepsafe.records;
    const held = hold();
    // The dispatcher reads the task (not done) and is held before taking the gate.
    const dispatcher = dispatcherChecking({
      claimTaskOverdue: (task, version) => records.claimTaskOverdue(task, version),
      taskStatusesForAction: async (actionId, pupilId) => {
        const statuses = await records.taskStatusesForAction(actionId, pupilId);
        if (actionId === t.actionId && !statuses.length) await held.pass();
        return statuses;
      },
    });
    const run = dispatcher.runOnce();
    await waitFor(() => (held.waiting === 2 ? true : undefined), "both overdue messages read the task as not done");

    const marked = await markDone(t.incident.id, t.actionId);
    assert.equal(marked.status, 201, JSON.stringify(marked.body));
    held.open();
    await run;

    assert.deepEqual(await t.statusesOf(), ["cancelled", "cancelled"], "the mark took the gate first: both are cancelled");
    assert.deepEqual(t.sentToOwner(), [], "no overdue alert reached the owner");
    const task = await taskAsRead(t.incident.id, t.actionId);
    assert.equal(task?.done, true, "the task reads as done");
    assert.equal(task?.version, 1);
  });

  it("task-race: the overdue alert took the gate before the mark, so it is sent once and the mark is still stored", async () => {
    const t = await overdueTask("task-race-alert-first");
    const records = keepsafe.records;
    const held = hold();
    // The dispatcher takes the gate on version 0 and is held before sending.
    const dispatcher = dispatcherChecking({
      taskStatusesForAction: (actionId, pupilId) => records.taskStatusesForAction(actionId, pupilId),
      claimTaskOverdue: async (task, version) => {
        const claimed = await records.claimTaskOverdue(task, version);
        if (task.actionId === t.actionId) await held.pass();
        return claimed;
      },
    });
    const run = dispatcher.runOnce();
    await waitFor(() => (held.waiting === 2 ? true : undefined), "both overdue messages took the gate");

    const marked = await markDone(t.incident.id, t.actionId);
    assert.equal(marked.status, 201, JSON.stringify(marked.body));
    assert.equal(marked.body.action.task.done, true);
    held.open();
    await run;

    assert.deepEqual(await t.statusesOf(), ["sent", "sent"]);
    const sent = await waitFor(() => (t.sentToOwner().length >= 2 ? t.sentToOwner() : undefined), "the overdue alert");
    assert.deepEqual(sent.map((r) => r.kind).sort(), ["activity-notification", "mail"], "one notification and one email, once");
    const task = await taskAsRead(t.incident.id, t.actionId);
    assert.equal(task?.done, true, "the mark is stored although the alert won");
    assert.equal(task?.version, 1);

    // Another run later sends nothing again.
    assert.equal((await dispatcherChecking(records).runOnce()).sent, 0);
    assert.equal(t.sentToOwner().length, 2);
  });
});
