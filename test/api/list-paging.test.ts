/**
 * Paging past the cap (KEEPSAFE_LIST_MAX, here 3) through the real tab API: My concerns and the
 * audit trails answer a page at a time with an opaque `continuation`, and following it to the end
 * gives every row the reader may see exactly once (ties on the same millisecond included) and none
 * they may not. A forged, foreign or oversized continuation answers 400 plainly.
 */
import assert from "node:assert/strict";
import { startTestKeepsafe, staffByRole, type TestKeepsafe } from "../support/keepsafe-instance.js";
import type { Actor } from "../../src/domain/actor.js";
import type { AuditTrail, MyConcerns } from "../../src/contract/views.js";

const CAP = 3;

describe("lists page past their cap (API)", function () {
  this.timeout(120_000);
  const dsl = staffByRole(/^DSL/);
  const slt = staffByRole(/^SLT/);
  const teacher = staffByRole(/^Teacher \(Year 3\)/);
  const colleague = staffByRole(/^Teacher \(Reception\)/);
  let keepsafe: TestKeepsafe;
  let pupilIds: string[];
  const visible: string[] = [];
  const hidden: string[] = [];

  const actorFor = (staff: typeof dsl): Promise<Actor> => keepsafe.service.resolveActor(staff.oid, { mfa: true });
  const get = async (path: string, staff: typeof dsl) => keepsafe.api(path, await keepsafe.tokenFor(staff));

  /** Follows `continuation` from the first page to the last, checking each page keeps to the cap. */
  async function allPages<P extends { continuation?: string; truncated: boolean }>(path: string, staff: typeof dsl) {
    const pages: P[] = [];
    let continuation: string | undefined;
    do {
      const res = await get(continuation ? `${path}?continuation=${continuation}` : path, staff);
      assert.equal(res.status, 200, await res.clone().text());
      const page = (await res.json()) as P;
      assert.equal(page.truncated, page.continuation !== undefined, "truncated exactly while a continuation leads on");
      pages.push(page);
      continuation = page.continuation;
      assert.ok(pages.length < 20, "paging ends");
    } while (continuation);
    return pages;
  }

  before(async () => {
    keepsafe = await startTestKeepsafe({ KEEPSAFE_LIST_MAX: String(CAP) });
    const [me, them, lead] = await Promise.all([actorFor(teacher), actorFor(colleague), actorFor(dsl)]);
    pupilIds = (await keepsafe.service.searchPupils(me, "a")).map((p) => p.id);
    const record = async (actor: Actor, key: string, extra: Record<string, unknown>) =>
      (
        await keepsafe.service
          .recordIncident(actor, {
            pupilId: pupilIds[0],
            occurredAt: new Date(Date.now() - 3600_000).toISOString(),
            source: "tab",
            submissionId: `list-paging-${key}`,
            account: "Was upset at lunch and would not say why.",
            categoryIds: ["behaviour"],
            alertStaffIds: [dsl.oid],
            ...extra,
          })
          .catch((e: { fields?: unknown; message: string }) => {
            throw new Error(JSON.stringify(e.fields ?? e.message));
          })
      ).incident.id;
    // 2 × the cap the teacher may see: four raised, two alerted to.
    for (let n = 0; n < 4; n++) visible.push(await record(me, `raised-${n}`, {}));
    for (let n = 0; n < 2; n++) visible.push(await record(them, `alerted-${n}`, { alertStaffIds: [teacher.oid] }));
    // Tagged in an allegation about another adult: a tag never opens an allegation, so it is not the teacher's to see.
    const allegation = await record(them, "allegation", { categoryIds: ["welfare"], allegationAgainstStaff: { staffIds: [slt.oid] } });
    await keepsafe.service.addAction(lead, {
      incidentId: allegation,
      requestId: "list-paging-tag",
      text: "Asked the class teacher to keep an eye out.",
      occurredAt: new Date().toISOString(),
      taggedStaffIds: [teacher.oid],
    });
    hidden.push(allegation);
    // A colleague's own record, which the teacher has no part in.
    hidden.push(await record(them, "colleagues", {}));
  });
  after(() => keepsafe?.cleanup());

  it("list-paging: My concerns pages past the cap, every visible record exactly once and none hidden", async () => {
    const pages = await allPages<MyConcerns>("/api/my/concerns", teacher);
    assert.ok(pages.length >= 2, `${pages.length} pages`);
    assert.ok(
      pages.every((p) => p.concerns.length <= CAP),
      "no page over the cap",
    );
    const ids = pages.flatMap((p) => p.concerns.map((c) => c.incidentId));
    assert.equal(new Set(ids).size, ids.length, "no record twice");
    assert.deepEqual([...ids].sort(), [...visible].sort(), "every visible record");
    for (const h of hidden) assert.ok(!ids.includes(h), "nothing the teacher may not see");
    const recorded = pages.flatMap((p) => p.concerns.map((c) => c.recordedAt));
    assert.deepEqual(recorded, [...recorded].sort().reverse(), "newest first across pages");
  });

  it("list-paging: a staff member's audit trail pages past the cap to exactly what the store holds", async () => {
    const school = (await actorFor(teacher)).schoolId;
    // The teacher opens each record they may see (each an audited view), so the trail is longer than
    // two pages whatever else this suite's tests did first.
    for (const id of visible) assert.equal((await get(`/api/incidents/${id}`, teacher)).status, 200);
    const stored = (await keepsafe.records.auditForStaff(school, teacher.oid, 500)).map((e) => e.id);
    assert.ok(stored.length > 2 * CAP, `the teacher did ${stored.length} audited things`);
    const pages = await allPages<AuditTrail>(`/api/staff/${teacher.oid}/audit`, dsl);
    const ids = pages.flatMap((p) => p.events.map((e) => e.id));
    assert.ok(pages.every((p) => p.events.length <= CAP));
    assert.deepEqual(ids, stored, "each event once, newest first, as stored");
  });

  it("list-paging: a pupil's audit trail pages through events sharing one millisecond without repeating or skipping", async () => {
    const pupilId = pupilIds[1];
    const school = (await actorFor(dsl)).schoolId;
    const at = new Date(Date.now() - 60_000).toISOString();
    const older = new Date(Date.now() - 120_000).toISOString();
    const made = [...Array.from({ length: 7 }, (_, n) => ({ id: `tie-${n}`, at })), { id: "older-0", at: older }, { id: "older-1", at: older }];
    for (const e of made)
      await keepsafe.records.appendAudit({
        id: e.id,
        schoolId: school,
        pupilId,
        type: "chronology.viewed",
        actorStaffId: dsl.oid,
        at: e.at,
        via: "tab",
      });
    const pages = await allPages<AuditTrail>(`/api/pupils/${pupilId}/audit`, dsl);
    const ids = pages.flatMap((p) => p.events.map((e) => e.id));
    assert.equal(new Set(ids).size, ids.length, "no event twice");
    assert.deepEqual([...ids].sort(), made.map((e) => e.id).sort(), "every event, none newer than the first page");
    assert.deepEqual(ids.slice(-2).sort(), ["older-0", "older-1"], "older events after the tie");
    assert.ok(pages.length >= 3);
  });

  it("list-paging: a forged, foreign or oversized continuation answers 400 naming it, and follows nothing", async () => {
    const first = (await (await get("/api/my/concerns", teacher)).json()) as MyConcerns;
    assert.ok(first.continuation);
    const forge = (o: object) => Buffer.from(JSON.stringify(o)).toString("base64url");
    const bad = [
      "not a token!",
      "a".repeat(4_000),
      forge({ l: "concerns", o: colleague.oid, a: "2999-01-01T00:00:00.000Z", s: ["x"] }),
      Buffer.from(`{"l":"concerns","o":"${teacher.oid}","a":"2999-01-01T00:00:00.000Z","s":["x"],"__proto__":{"admin":true}}`).toString("base64url"),
      forge({ l: "concerns", o: teacher.oid, a: "", s: ["x"] }),
      forge({ l: "audit", o: teacher.oid, a: "2999-01-01T00:00:00.000Z", s: ["x"] }),
      forge(["concerns"]),
      "bm90LWpzb24",
    ];
    for (const token of bad) {
      const res = await get(`/api/my/concerns?continuation=${encodeURIComponent(token)}`, teacher);
      assert.equal(res.status, 400, `refuses ${token.slice(0, 40)}`);
      const text = await res.text();
      assert.match(text, /continuation/);
      assert.match(text, /expired/);
    }
    // One made by hand for the teacher's own list only says where it starts: older than that, still only theirs.
    const fromLongAgo = await get(`/api/my/concerns?continuation=${forge({ l: "concerns", o: teacher.oid, a: "2000-01-01", s: ["x"] })}`, teacher);
    assert.equal(fromLongAgo.status, 200);
    assert.deepEqual(((await fromLongAgo.json()) as MyConcerns).concerns, []);
    // Longer than any address the tab API reads: refused before parsing, as plainly.
    const long = await get(`/api/my/concerns?continuation=${"a".repeat(8_001)}`, teacher);
    assert.equal(long.status, 414);
    assert.match(await long.text(), /too long/);
    // Another person's page, and a My concerns page on an audit trail, are refused as well.
    assert.equal((await get(`/api/my/concerns?continuation=${first.continuation}`, colleague)).status, 400);
    assert.equal((await get(`/api/staff/${teacher.oid}/audit?continuation=${first.continuation}`, dsl)).status, 400);
    const staffPage = (await (await get(`/api/staff/${teacher.oid}/audit`, dsl)).json()) as AuditTrail;
    assert.ok(staffPage.continuation);
    assert.equal((await get(`/api/staff/${colleague.oid}/audit?continuation=${staffPage.continuation}`, dsl)).status, 400);
    assert.equal((await get(`/api/pupils/${pupilIds[0]}/audit?continuation=${staffPage.continuation}`, dsl)).status, 400);
    assert.equal((await get(`/api/my/concerns?continuation=x&continuation=y`, teacher)).status, 400);
  });
});
