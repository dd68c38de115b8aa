/**
 * Actions as tasks, "My actions" and the home page for each role, through the running stack: real
 * tokens over HTTP, the embedded Cosmos DB server and the Graph sandbox. A task's owner is alerted
 * (content-free) when given it; marking it done is its own record on a version (stale: 409); every
 * home count equals the length of the list behind it and never counts a record the reader may not open.
 */
import assert from "node:assert/strict";
import { startTestKeepsafe, staffByRole, waitFor, type TestKeepsafe } from "../support/keepsafe-instance.js";
import { dateIn } from "../../src/domain/school-clock.js";
import type { HomeList, HomeView, MyActions } from "../../src/contract/task-views.js";
import type { PupilSummary } from "../../src/app/pupil-index.js";

describe("tasks, My actions and the role homes (API)", function () {
  this.timeout(90_000);
  let keepsafe: TestKeepsafe;
  const dsl = staffByRole(/^DSL/);
  const deputy = staffByRole(/^Deputy DSL/);
  const slt = staffByRole(/^SLT/);
  const teacher = staffByRole(/Year 3/);
  const reception = staffByRole(/Reception/);
  let pupil: PupilSummary;
  let behaviourId: string;
  let protectedId: string;
  const today = () => dateIn(new Date(), "Europe/London");
  const hourAgo = () => new Date(Date.now() - 3600_000).toISOString();

  const call = async (staff: typeof dsl, path: string, body?: object) => {
    const res = await keepsafe.api(
      path,
      await keepsafe.tokenFor(staff),
      body ? { method: "POST", headers: { "content-type": "application/json" }, body: typeof body === "string" ? body : JSON.stringify(body) } : {},
    );
    return { status: res.status, body: (await res.json()) as any };
  };
  const addTask = (staff: typeof dsl, incidentId: string, requestId: string, task: object, extra: object = {}) =>
    call(staff, `/api/incidents/${incidentId}/actions`, {
      requestId,
      text: "Ring the family about attendance and note what they say.",
      occurredAt: hourAgo(),
      task,
      ...extra,
    });

  before(async () => {
    keepsafe = await startTestKeepsafe();
    const teacherActor = await keepsafe.service.resolveActor(teacher.oid, { mfa: true });
    const dslActor = await keepsafe.service.resolveActor(dsl.oid, { mfa: true });
    pupil = (await keepsafe.service.searchPupils(teacherActor, "a"))[0];
    behaviourId = (
      await keepsafe.service.recordIncident(teacherActor, {
        submissionId: "tasks-home-behaviour",
        pupilId: pupil.id,
        occurredAt: hourAgo(),
        source: "tab",
        categoryIds: ["behaviour"],
        account: "Pushed another child on the stairs at lunch.",
        alertStaffIds: [dsl.oid, slt.oid],
      })
    ).incident.id;
    protectedId = (
      await keepsafe.service.recordIncident(dslActor, {
        submissionId: "tasks-home-protected",
        pupilId: pupil.id,
        occurredAt: hourAgo(),
        source: "tab",
        categoryIds: ["child-protection"],
        account: "Strategy discussion held with social care.",
        alertStaffIds: [deputy.oid],
      })
    ).incident.id;
  });
  after(() => keepsafe?.cleanup());

  it("makes an action a task for its owner, alerts them without content, and lists it in My actions", async () => {
    const added = await addTask(dsl, behaviourId, "task-req-0001", { ownerStaffId: teacher.oid, dueOn: today() });
    assert.equal(added.status, 201, JSON.stringify(added.body));
    assert.deepEqual(
      { ...added.body.action.task },
      { ownerStaffId: teacher.oid, ownerName: teacher.displayName, dueOn: today(), done: false, overdue: false, version: 0 },
    );
    const alerts = await waitFor(() => {
      const r = keepsafe.local
        .graph!.requests()
        .filter((x) => x.kind === "activity-notification" && x.userId === teacher.oid && (x.body as any).activityType === "taskAssigned");
      return r.length ? r : undefined;
    }, "the owner's taskAssigned notification");
    assert.equal(alerts.length, 1);
    const words = JSON.stringify(alerts.map((a) => a.body));
    for (const w of ["Ring", "family", "Pushed", "stairs", ...pupil.displayName.split(/\s+/)]) assert.ok(!words.includes(w), `content-free (${w})`);

    const mine = await call(teacher, "/api/my-actions");
    assert.equal(mine.status, 200);
    const rows = (mine.body as MyActions).actions;
    assert.equal(rows.length, 1);
    assert.equal(rows[0].actionId, added.body.action.id);
    assert.equal(rows[0].done, false);
    assert.equal(rows[0].overdue, false);
    assert.deepEqual((await call(reception, "/api/my-actions")).body, { actions: [], truncated: false, limit: 500 }, "someone else owns none");
  });

  it("refuses bad tasks: an unknown owner, a past or impossible date, extra and prototype keys", async () => {
    const bad: [string, object][] = [
      ["unknown owner", { ownerStaffId: "not-on-the-staff-list", dueOn: today() }],
      ["past date", { ownerStaffId: teacher.oid, dueOn: "2020-01-01" }],
      ["impossible date", { ownerStaffId: teacher.oid, dueOn: "2026-02-30" }],
      ["not a date", { ownerStaffId: teacher.oid, dueOn: "tomorrow" }],
      ["extra key", { ownerStaffId: teacher.oid, dueOn: today(), priority: "high" }],
      ["no owner", { dueOn: today() }],
    ];
    for (const [what, task] of bad) {
      const res = await addTask(dsl, behaviourId, `task-bad-${what.replace(/\W/g, "")}`, task);
      assert.equal(res.status, 400, `${what}: ${JSON.stringify(res.body)}`);
    }
    const proto = await call(
      dsl,
      `/api/incidents/${behaviourId}/actions`,
      `{"requestId":"task-proto-01","text":"x","occurredAt":"${hourAgo()}","task":{"__proto__":{"ownerStaffId":"${teacher.oid}"},"dueOn":"${today()}"}}` as never,
    );
    assert.equal(proto.status, 400, JSON.stringify(proto.body));
    // An owner who could not open a protected record is not given a task on it by a non-DSL... nor silently by anyone:
    const onProtected = await addTask(reception, protectedId, "task-req-hidden", { ownerStaffId: reception.oid, dueOn: today() });
    assert.equal(onProtected.status, 404, "a record the sender may not open is missing");
  });

  it("marks a task done as its own record; a stale version is 409; someone who may not see it gets 404", async () => {
    const added = await addTask(dsl, behaviourId, "task-req-0002", { ownerStaffId: teacher.oid, dueOn: today() });
    const actionId = added.body.action.id;
    const path = `/api/incidents/${behaviourId}/actions/${actionId}/status`;
    const before = (await keepsafe.records.actionsForIncident(behaviourId, pupil.id)).find((a) => a.id === actionId);

    const done = await call(teacher, path, { done: true, version: 0 });
    assert.equal(done.status, 201, JSON.stringify(done.body));
    assert.equal(done.body.action.task.done, true);
    assert.equal(done.body.action.task.version, 1);
    const stale = await call(dsl, path, { done: false, version: 0 });
    assert.equal(stale.status, 409);
    assert.equal(stale.body.error.detail.version, 1);
    assert.equal((await call(teacher, path, { done: true, version: 1 })).status, 400, "already done");
    assert.equal((await call(reception, path, { done: false, version: 1 })).status, 404, "not tagged: the record is missing to them");
    assert.equal((await call(teacher, path, { done: "yes", version: 1 })).status, 400);
    assert.equal((await call(teacher, path, { done: false, version: 1, extra: 1 })).status, 400);
    const after = (await keepsafe.records.actionsForIncident(behaviourId, pupil.id)).find((a) => a.id === actionId);
    assert.deepEqual(after, before, "the action itself is never edited");

    const rows = (await call(teacher, "/api/my-actions")).body.actions as MyActions["actions"];
    assert.deepEqual(
      rows.map((r) => r.done),
      [false, true],
      "open first, then done",
    );
    const view = await call(dsl, `/api/incidents/${behaviourId}`);
    assert.equal(view.body.actions.find((a: any) => a.id === actionId).task.done, true, "the record shows the task done");
  });

  it("gives each role its home; every count equals its list's length and SLT's leave out what they may not open", async () => {
    const homes: [typeof dsl, string][] = [
      [dsl, "safeguarding"],
      [deputy, "safeguarding"],
      [slt, "senior"],
      [teacher, "staff"],
    ];
    for (const [staff, kind] of homes) {
      const home = await call(staff, "/api/home");
      assert.equal(home.status, 200, JSON.stringify(home.body));
      assert.equal((home.body as HomeView).kind, kind);
      for (const c of (home.body as HomeView).counts) {
        const list = await call(staff, `/api/home/${c.list}`);
        assert.equal(list.status, 200, `${staff.label} ${c.list}`);
        const body = list.body as HomeList;
        assert.equal(c.count, (body.actions ?? body.records).length, `${staff.label}: ${c.list} count is its list's length`);
      }
    }
    const list = async (staff: typeof dsl, id: string) => ((await call(staff, `/api/home/${id}`)).body as HomeList).records.map((r) => r.incidentId);
    assert.ok((await list(dsl, "new-today")).includes(protectedId));
    assert.ok((await list(dsl, "new-today")).includes(behaviourId));
    assert.ok(!(await list(slt, "new-today")).includes(protectedId), "SLT never count a Child Protection record");
    assert.ok((await list(slt, "new-today")).includes(behaviourId));
    assert.deepEqual(await list(slt, "unread"), [behaviourId], "SLT's unread alert");
    assert.ok((await list(deputy, "unread")).includes(protectedId));
    assert.ok((await list(teacher, "my-concerns")).includes(behaviourId));
    assert.ok((await list(teacher, "tagged")).includes(behaviourId), "tagged as a task's owner");
    const open = ((await call(teacher, "/api/home/my-actions")).body as HomeList).actions!;
    assert.ok(open.every((a) => !a.done));
    assert.equal((await call(dsl, "/api/home/tasks-due")).body.actions.length, 1, "one task still open and due today");

    // Marking an alert read takes it off the unread list at once.
    await call(slt, `/api/incidents/${behaviourId}/acknowledge`, {});
    assert.deepEqual(await list(slt, "unread"), []);
    // A list not on the reader's home, and one that does not exist, are missing / refused.
    assert.equal((await call(teacher, "/api/home/urgent")).status, 404);
    assert.equal((await call(dsl, "/api/home/__proto__")).status, 400);
    assert.equal((await call(dsl, "/api/home/everything")).status, 400);
  });
});
