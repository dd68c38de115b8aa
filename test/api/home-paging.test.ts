/**
 * The home's lists page past their cap (KEEPSAFE_LIST_MAX, here 3) through the real tab API, by the
 * same opaque continuation as My concerns: following it to the end gives every record the reader may
 * open exactly once, newest first, and none they may not (SLT never see a Child Protection record,
 * so their pages may hold fewer than asked). The count says the real number under the cap of 500,
 * not a page's length. A token from another list, another reader or forged answers 400.
 */
import assert from "node:assert/strict";
import { startTestKeepsafe, staffByRole, type TestKeepsafe } from "../support/keepsafe-instance.js";
import type { Actor } from "../../src/domain/actor.js";
import type { HomeList, HomeView } from "../../src/contract/task-views.js";
import { allHomePages, assertRefusedTokens, forgeToken, getAs } from "../support/home-list-pages.js";

const CAP = 3;

describe("the home's lists page past their cap (API)", function () {
  this.timeout(120_000);
  const dsl = staffByRole(/^DSL/);
  const deputy = staffByRole(/^Deputy DSL/);
  const slt = staffByRole(/^SLT/);
  const teacher = staffByRole(/^Teacher \(Year 3\)/);
  let keepsafe: TestKeepsafe;
  const behaviour: string[] = [];
  const protectedIds: string[] = [];

  const get = getAs(() => keepsafe);
  const allPages = (list: string, staff: typeof dsl) => allHomePages(get, list, staff, CAP, (p) => p.records);

  before(async () => {
    keepsafe = await startTestKeepsafe({ KEEPSAFE_LIST_MAX: String(CAP) });
    const actorFor = (staff: typeof dsl): Promise<Actor> => keepsafe.service.resolveActor(staff.oid, { mfa: true });
    const [me, lead] = await Promise.all([actorFor(teacher), actorFor(dsl)]);
    const pupilId = (await keepsafe.service.searchPupils(me, "a"))[0].id;
    const record = async (actor: Actor, key: string, categoryIds: string[]) =>
      (
        await keepsafe.service.recordIncident(actor, {
          pupilId,
          occurredAt: new Date(Date.now() - 3600_000).toISOString(),
          source: "tab",
          submissionId: `home-paging-${key}`,
          account: "Was upset at lunch and would not say why.",
          categoryIds,
          alertStaffIds: [dsl.oid],
        })
      ).incident.id;
    // 2 × the cap SLT may open, each after a Child Protection record they may not: their pages thin out.
    for (let n = 0; n < 2 * CAP; n++) {
      protectedIds.push(await record(lead, `protected-${n}`, ["child-protection"]));
      behaviour.push(await record(me, `behaviour-${n}`, ["behaviour"]));
    }
  });
  after(() => keepsafe?.cleanup());

  it("home paging: a DSL's list pages past the cap, every record once, newest first, and its count is the real number", async () => {
    const pages = await allPages("new-today", dsl);
    const ids = pages.flatMap((p) => p.records.map((r) => r.incidentId));
    assert.ok(pages.length >= 4, `${pages.length} pages`);
    assert.equal(new Set(ids).size, ids.length, "no record twice");
    for (const id of [...behaviour, ...protectedIds]) assert.ok(ids.includes(id), "every record the DSL may open");
    const recorded = pages.flatMap((p) => p.records.map((r) => r.recordedAt));
    assert.deepEqual(recorded, [...recorded].sort().reverse(), "newest first across pages");
    const home = (await (await get("/api/home", dsl)).json()) as HomeView;
    const count = home.counts.find((c) => c.list === "new-today")!;
    assert.deepEqual({ count: count.count, more: count.more }, { count: ids.length, more: false }, "the whole list, not a page");
    // Each page opened is audited as a listing (how many it showed, first or next), never what it showed.
    const school = (await keepsafe.service.resolveActor(dsl.oid, { mfa: true })).schoolId;
    const listed = (await keepsafe.records.auditForStaff(school, dsl.oid, 500)).filter((e) => e.type === "home.listed");
    assert.deepEqual(listed.map((e) => e.detail?.page).sort(), [...Array<string>(pages.length - 1).fill("next"), "first"].sort());
  });

  it("home paging: SLT's list is checked page by page, every record they may open once and none they may not", async () => {
    const pages = await allPages("new-today", slt);
    const ids = pages.flatMap((p) => p.records.map((r) => r.incidentId));
    assert.equal(new Set(ids).size, ids.length, "no record twice");
    for (const id of behaviour) assert.ok(ids.includes(id), "every behaviour record");
    for (const id of protectedIds) assert.ok(!ids.includes(id), "never a Child Protection record");
    assert.ok(
      pages.some((p) => p.continuation && p.records.length < CAP),
      "a page thinned by the policy still leads on",
    );
    const home = (await (await get("/api/home", slt)).json()) as HomeView;
    assert.equal(home.counts.find((c) => c.list === "new-today")!.count, ids.length, "SLT's count is what they may open");
  });

  it("home paging: a forged, foreign or another reader's continuation on a home list answers 400 and follows nothing", async () => {
    const first = (await (await get("/api/home/new-today", dsl)).json()) as HomeList;
    assert.ok(first.continuation);
    const concerns = (await (await get("/api/my/concerns", dsl)).json()) as { continuation?: string };
    const forge = forgeToken;
    const refused: [typeof dsl, string, string][] = [
      [dsl, "new-today", "not a token!"],
      [dsl, "new-today", forge({ l: "home:urgent", o: dsl.oid, a: "2999-01-01T00:00:00.000Z", s: ["x"] })],
      [dsl, "new-today", forge({ l: "home:new-today", o: deputy.oid, a: "2999-01-01T00:00:00.000Z", s: ["x"] })],
      [dsl, "new-today", `${Buffer.from(`{"l":"home:new-today","o":"${dsl.oid}","a":"2999","s":["x"],"__proto__":{"x":1}}`).toString("base64url")}`],
      [dsl, "urgent", first.continuation!],
      [deputy, "new-today", first.continuation!],
      [dsl, "tasks-due", first.continuation!],
      ...(concerns.continuation ? [[dsl, "new-today", concerns.continuation] as [typeof dsl, string, string]] : []),
    ];
    await assertRefusedTokens(get, refused);
    assert.equal((await get(`/api/home/new-today?continuation=x&continuation=y`, dsl)).status, 400);
    assert.equal((await get(`/api/home/new-today?page=2`, dsl)).status, 400, "an unknown query key");
    // One made by hand for the DSL's own list only says where it starts: older than that, still theirs.
    const fromLongAgo = await get(`/api/home/new-today?continuation=${forge({ l: "home:new-today", o: dsl.oid, a: "2000-01-01", s: ["x"] })}`, dsl);
    assert.equal(fromLongAgo.status, 200);
    assert.deepEqual(((await fromLongAgo.json()) as HomeList).records, []);
  });
});
