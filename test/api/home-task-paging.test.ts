/**
 * The home's two task lists (the team's tasks due, my actions) page past their cap
 * (KEEPSAFE_LIST_MAX, here 3) through the real tab API by the same opaque continuation as the lists
 * of cases: following it to the end gives every open task the reader may see exactly once, none done
 * and none on a record they may not open (SLT never see a Child Protection record's task, so their
 * pages may hold fewer than asked). A token from another list, another reader or forged answers 400.
 */
import assert from "node:assert/strict";
import { startTestKeepsafe, staffByRole, type TestKeepsafe } from "../support/keepsafe-instance.js";
import { dateIn } from "../../src/domain/school-clock.js";
import type { Actor } from "../../src/domain/actor.js";
import type { HomeList, HomeView } from "../../src/contract/task-views.js";
import { allHomePages, assertRefusedTokens, forgeToken, getAs } from "../support/home-list-pages.js";

const CAP = 3;

describe("the home's task lists page past their cap (API)", function () {
  this.timeout(120_000);
  const dsl = staffByRole(/^DSL/);
  const deputy = staffByRole(/^Deputy DSL/);
  const slt = staffByRole(/^SLT/);
  const teacher = staffByRole(/^Teacher \(Year 3\)/);
  let keepsafe: TestKeepsafe;
  const teachers: string[] = [];
  const deputys: string[] = [];
  let doneId = "";

  const get = getAs(() => keepsafe);
  const allPages = async (list: string, staff: typeof dsl) => {
    const pages = await allHomePages(get, list, staff, CAP, (p) => p.actions ?? []);
    return { pages, ids: pages.flatMap((p) => (p.actions ?? []).map((a) => a.actionId)) };
  };

  const countOf = async (staff: typeof dsl, list: string) =>
    ((await (await get("/api/home", staff)).json()) as HomeView).counts.find((c) => c.list === list)!;

  before(async () => {
    keepsafe = await startTestKeepsafe({ KEEPSAFE_LIST_MAX: String(CAP) });
    const actorFor = (staff: typeof dsl): Promise<Actor> => keepsafe.service.resolveActor(staff.oid, { mfa: true });
    const [me, lead, senior] = await Promise.all([actorFor(teacher), actorFor(dsl), actorFor(slt)]);
    const pupilId = (await keepsafe.service.searchPupils(me, "a"))[0].id;
    const record = async (actor: Actor, key: string, categoryIds: string[]) =>
      (
        await keepsafe.service.recordIncident(actor, {
          pupilId,
          occurredAt: new Date(Date.now() - 3600_000).toISOString(),
          source: "tab",
          submissionId: `home-task-paging-${key}`,
          account: "Was upset at lunch and would not say why.",
          categoryIds,
          alertStaffIds: [dsl.oid],
        })
      ).incident.id;
    const behaviour = await record(me, "behaviour", ["behaviour"]);
    const protectedId = await record(lead, "protected", ["child-protection"]);
    const today = dateIn(new Date(), "Europe/London");
    const task = async (setBy: Actor, incidentId: string, key: string, owner: typeof dsl) =>
      (
        await keepsafe.service.addAction(setBy, {
          incidentId,
          requestId: `home-task-paging-${key}`,
          text: "Ring the family and note what they say.",
          occurredAt: new Date().toISOString(),
          task: { ownerStaffId: owner.oid, dueOn: today },
        })
      ).action.id;
    // 2 × the cap of the teacher's own, set by SLT (who see an action they recorded) on a record SLT
    // may open, each after one the DSL set on a Child Protection record SLT may not.
    for (let n = 0; n < 2 * CAP; n++) {
      deputys.push(await task(lead, protectedId, `protected-${n}`, deputy));
      teachers.push(await task(senior, behaviour, `behaviour-${n}`, teacher));
    }
    doneId = await task(senior, behaviour, "done", teacher);
    await keepsafe.service.markTask(lead, behaviour, doneId, { done: true, version: 0 });
  });
  after(() => keepsafe?.cleanup());

  it("home task paging: my actions pages past the cap, each open task once and the done one never, and the count is the real number", async () => {
    const { pages, ids } = await allPages("my-actions", teacher);
    assert.ok(pages.length >= 2, `${pages.length} pages`);
    assert.equal(new Set(ids).size, ids.length, "no task twice");
    assert.deepEqual([...ids].sort(), [...teachers].sort(), "every open task of the teacher's, and nothing else");
    assert.ok(!ids.includes(doneId), "a done task is not on the list");
    assert.deepEqual(await countOf(teacher, "my-actions"), { list: "my-actions", label: "My open actions", count: teachers.length, more: false });
    // The records shown are those of the page's tasks only.
    for (const p of pages) for (const r of p.records) assert.ok((p.actions ?? []).some((a) => a.incidentId === r.incidentId));
  });

  it("home task paging: the team's tasks due page for a DSL, and for SLT page by page without a Child Protection record's task", async () => {
    const lead = await allPages("tasks-due", dsl);
    assert.equal(new Set(lead.ids).size, lead.ids.length, "no task twice (DSL)");
    assert.deepEqual([...lead.ids].sort(), [...teachers, ...deputys].sort(), "every open task due, for the DSL");
    assert.equal((await countOf(dsl, "tasks-due")).count, lead.ids.length);
    const senior = await allPages("tasks-due", slt);
    assert.equal(new Set(senior.ids).size, senior.ids.length, "no task twice (SLT)");
    assert.deepEqual([...senior.ids].sort(), [...teachers].sort(), "SLT see only the tasks on records they may open");
    assert.ok(
      senior.pages.some((p) => p.continuation && (p.actions ?? []).length < CAP),
      "a page thinned by the policy still leads on",
    );
    assert.equal((await countOf(slt, "tasks-due")).count, senior.ids.length, "SLT's count is what they may see");
  });

  it("home task paging: a forged, foreign or another reader's continuation on a task list answers 400 and follows nothing", async () => {
    const first = (await (await get("/api/home/tasks-due", dsl)).json()) as HomeList;
    assert.ok(first.continuation);
    const mine = (await (await get("/api/home/my-actions", teacher)).json()) as HomeList;
    assert.ok(mine.continuation);
    const cases = (await (await get("/api/home/new-today", dsl)).json()) as HomeList;
    const forge = forgeToken;
    const refused: [typeof dsl, string, string][] = [
      [dsl, "tasks-due", "not a token!"],
      [dsl, "tasks-due", forge({ l: "home:my-actions", o: dsl.oid, a: "2999-01-01T00:00:00.000Z", s: ["x"] })],
      [dsl, "tasks-due", forge({ l: "home:tasks-due", o: deputy.oid, a: "2999-01-01T00:00:00.000Z", s: ["x"] })],
      [dsl, "tasks-due", Buffer.from(`{"l":"home:tasks-due","o":"${dsl.oid}","a":"2999","s":["x"],"__proto__":{"x":1}}`).toString("base64url")],
      [deputy, "tasks-due", first.continuation!],
      [slt, "tasks-due", first.continuation!],
      [dsl, "new-today", first.continuation!],
      [teacher, "my-concerns", mine.continuation!],
      ...(cases.continuation ? [[dsl, "tasks-due", cases.continuation] as [typeof dsl, string, string]] : []),
    ];
    await assertRefusedTokens(get, refused);
    assert.equal((await get(`/api/home/my-actions?continuation=x&continuation=y`, teacher)).status, 400);
    // One made by hand for the teacher's own list only says where it starts: older than that, still theirs.
    const fromLongAgo = await get(
      `/api/home/my-actions?continuation=${forge({ l: "home:my-actions", o: teacher.oid, a: "2000-01-01", s: ["x"] })}`,
      teacher,
    );
    assert.equal(fromLongAgo.status, 200);
    assert.deepEqual(((await fromLongAgo.json()) as HomeList).actions, []);
  });
});
