/**
 * "My concerns" and the DSL's audit trails through the real tab API: who finds what, who is refused
 * and how, the CSV export's content, and that every view and refusal is itself audited.
 */
import assert from "node:assert/strict";
import { startTestKeepsafe, staffByRole, type TestKeepsafe } from "../support/keepsafe-instance.js";
import type { Actor } from "../../src/domain/actor.js";
import type { AuditTrail, MyConcerns } from "../../src/contract/views.js";
import type { RecordStore } from "../../src/ports/record-store.js";
import { AUDIT_CSV_HEADER } from "../../src/app/audit-csv.js";
import { applySchoolSetup } from "../../src/app/school-setup.js";

describe("tab API: My concerns and audit trails", function () {
  this.timeout(90_000);
  let keepsafe: TestKeepsafe;
  const dsl = staffByRole(/^DSL/);
  const deputy = staffByRole(/^Deputy DSL/);
  const slt = staffByRole(/^SLT/);
  const teacher = staffByRole(/^Teacher \(Year 3\)/);
  const colleague = staffByRole(/^Teacher \(Reception\)/);
  let pupilId: string;
  const ids: Record<"own" | "colleagues" | "alerted" | "tagged", string> = { own: "", colleagues: "", alerted: "", tagged: "" };
  const SECRET_ACCOUNT = "Said they were scared to go home because of shouting.";

  const actorFor = (staff: typeof dsl): Promise<Actor> => keepsafe.service.resolveActor(staff.oid, { mfa: true });
  const records = (): RecordStore => (keepsafe.service as unknown as { deps: { records: RecordStore } }).deps.records;
  const get = async (path: string, staff: typeof dsl, mfa?: boolean) =>
    keepsafe.api(path, await keepsafe.tokenFor(staff, mfa === undefined ? {} : { mfa }));

  before(async () => {
    keepsafe = await startTestKeepsafe();
    const [me, them, lead] = await Promise.all([actorFor(teacher), actorFor(colleague), actorFor(dsl)]);
    pupilId = (await keepsafe.service.searchPupils(me, "a"))[0].id;
    const base = { pupilId, occurredAt: new Date(Date.now() - 3600_000).toISOString(), source: "tab" as const, alertStaffIds: [] as string[] };
    const record = async (actor: Actor, key: keyof typeof ids, extra: { categoryIds: string[]; alertStaffIds?: string[]; toldDslInPerson?: "yes" }) =>
      (ids[key] = (
        await keepsafe.service
          .recordIncident(actor, { ...base, submissionId: `my-concerns-${key}`, account: SECRET_ACCOUNT, ...extra })
          .catch((e) => {
            throw new Error(JSON.stringify(e.fields ?? e.problems ?? e.message));
          })
      ).incident.id);
    await record(me, "own", { categoryIds: ["safeguarding"], toldDslInPerson: "yes" });
    await record(them, "colleagues", { categoryIds: ["safeguarding"], toldDslInPerson: "yes" });
    await record(them, "alerted", { categoryIds: ["behaviour"], alertStaffIds: [teacher.oid] });
    await record(them, "tagged", { categoryIds: ["behaviour"], alertStaffIds: [slt.oid] });
    await keepsafe.service.addAction(lead, {
      incidentId: ids.tagged,
      requestId: "tag-the-teacher",
      text: "Asked class teacher to watch.",
      occurredAt: new Date().toISOString(),
      taggedStaffIds: [teacher.oid],
    });
  });
  after(async () => keepsafe?.cleanup());

  it("lists what the teacher raised, was alerted to or tagged in, and nothing of a colleague's", async () => {
    const res = await get("/api/my/concerns", teacher);
    assert.equal(res.status, 200);
    const body = (await res.json()) as MyConcerns;
    const why = new Map(body.concerns.map((c) => [c.incidentId, c.why]));
    assert.deepEqual(why.get(ids.own), ["raised"]);
    assert.deepEqual(why.get(ids.alerted), ["alerted"]);
    assert.deepEqual(why.get(ids.tagged), ["tagged"]);
    assert.equal(why.has(ids.colleagues), false);
    assert.equal(body.concerns.length, 3);
    assert.equal(body.truncated, false);
    assert.doesNotMatch(JSON.stringify(body), /scared to go home/);

    const theirs = (await (await get("/api/my/concerns", colleague)).json()) as MyConcerns;
    assert.deepEqual(theirs.concerns.map((c) => c.incidentId).sort(), [ids.colleagues, ids.alerted, ids.tagged].sort());
    // A DSL's own list is theirs too, not the school's.
    const lead = (await (await get("/api/my/concerns", dsl)).json()) as MyConcerns;
    assert.equal(
      lead.concerns.some((c) => c.incidentId === ids.alerted || c.incidentId === ids.tagged),
      false,
    );
    assert.ok(lead.concerns.every((c) => c.why.length > 0));
  });

  it("refuses a query on My concerns, and asks a DSL without MFA for it", async () => {
    assert.equal((await get("/api/my/concerns?limit=1000", teacher)).status, 400);
    assert.equal((await get("/api/my/concerns?__proto__=x", teacher)).status, 400);
    assert.equal((await get("/api/my/concerns", dsl, false)).status, 401);
  });

  it("shows the DSL a pupil's trail with who, what, from where and the outcome, refusals included, and audits the view", async () => {
    assert.equal((await get(`/api/incidents/${ids.colleagues}`, teacher)).status, 404);
    const first = (await (await get(`/api/pupils/${pupilId}/audit`, dsl)).json()) as AuditTrail;
    assert.equal(first.subject.kind, "pupil");
    const refused = first.events.find((e) => e.type === "access.refused" && e.actorStaffId === teacher.oid && e.incidentId === ids.colleagues);
    assert.ok(refused, "the teacher's refused attempt is on the pupil's trail");
    assert.equal(refused.outcome, "refused");
    assert.equal(refused.via, "tab");
    assert.equal(refused.actorName, teacher.displayName);
    assert.ok(first.events.some((e) => e.type === "incident.recorded" && e.incidentId === ids.own && e.outcome === "allowed"));
    // Newest first.
    assert.deepEqual(
      first.events.map((e) => e.at),
      [...first.events.map((e) => e.at)].sort().reverse(),
    );
    const again = (await (await get(`/api/pupils/${pupilId}/audit`, deputy)).json()) as AuditTrail;
    const viewed = again.events.find((e) => e.type === "audit.viewed" && e.actorStaffId === dsl.oid);
    assert.ok(viewed, "viewing the trail is itself on the trail");
    assert.equal(viewed.via, "tab");
  });

  it("exports a pupil's trail as CSV: the header, one row per event, no account text, and audits the export", async () => {
    const view = (await (await get(`/api/pupils/${pupilId}/audit`, dsl)).json()) as AuditTrail;
    const res = await get(`/api/pupils/${pupilId}/audit.csv`, dsl);
    assert.equal(res.status, 200);
    assert.match(res.headers.get("content-type") ?? "", /^text\/csv; charset=utf-8/);
    assert.match(res.headers.get("content-disposition") ?? "", /^attachment; filename="exportPupilAudit\.csv"$/);
    assert.equal(res.headers.get("cache-control"), "no-store");
    const lines = (await res.text()).split("\r\n");
    assert.equal(lines.pop(), "", "ends with a line break");
    assert.equal(lines[0], AUDIT_CSV_HEADER.join(","));
    // The JSON view just now is one more event than it showed.
    assert.equal(lines.length - 1, view.events.length + 1);
    assert.ok(lines.some((l) => /^[^,]+,audit\.viewed,allowed,tab,/.test(l)));
    assert.ok(lines.some((l) => l.includes(",access.refused,refused,tab,")));
    assert.doesNotMatch(lines.join("\n"), /scared to go home|shouting/);
    const after = (await (await get(`/api/pupils/${pupilId}/audit`, dsl)).json()) as AuditTrail;
    assert.ok(
      after.events.some((e) => e.type === "audit.exported" && e.actorStaffId === dsl.oid && e.detail.includes(`events=${view.events.length + 1}`)),
    );
  });

  it("shows and exports a member of staff's trail: what they did, newest first", async () => {
    const res = await get(`/api/staff/${teacher.oid}/audit`, deputy);
    assert.equal(res.status, 200);
    const trail = (await res.json()) as AuditTrail;
    assert.deepEqual(trail.subject, { kind: "staff", id: teacher.oid, name: teacher.displayName });
    assert.ok(trail.events.length > 0 && trail.events.every((e) => e.actorStaffId === teacher.oid));
    assert.ok(trail.events.some((e) => e.type === "concerns.listed" && e.via === "tab"));
    assert.ok(trail.events.some((e) => e.type === "access.refused"));
    const csv = await (await get(`/api/staff/${teacher.oid}/audit.csv`, deputy)).text();
    assert.equal(csv.trimEnd().split("\r\n").length, trail.events.length + 1);
    // The deputy's look is on the deputy's own trail.
    const deputys = (await (await get(`/api/staff/${deputy.oid}/audit`, dsl)).json()) as AuditTrail;
    assert.ok(deputys.events.some((e) => e.type === "audit.viewed" && e.detail.includes(`staffId=${teacher.oid}`)));
  });

  it("refuses audit trails to all but DSLs with MFA, as the policy says, and audits each refusal", async () => {
    const paths = [
      `/api/pupils/${pupilId}/audit`,
      `/api/pupils/${pupilId}/audit.csv`,
      `/api/staff/${dsl.oid}/audit`,
      `/api/staff/${dsl.oid}/audit.csv`,
    ];
    for (const path of paths) {
      assert.equal((await get(path, teacher)).status, 403, `teacher: ${path}`);
      assert.equal((await get(path, slt)).status, 403, `SLT: ${path}`);
      assert.equal((await get(path, slt, false)).status, 401, `SLT without MFA: ${path}`);
      assert.equal((await get(path, dsl, false)).status, 401, `DSL without MFA: ${path}`);
      assert.equal((await keepsafe.api(path, "not-a-token")).status, 401, `no token: ${path}`);
    }
    // Whether the pupil exists does not change a teacher's answer; the DSL learns it is missing.
    assert.equal((await get("/api/pupils/no-such-pupil/audit", teacher)).status, 403);
    assert.equal((await get("/api/pupils/no-such-pupil/audit", dsl)).status, 404);
    assert.equal((await get("/api/staff/no-such-person/audit.csv", dsl)).status, 404);
    assert.equal((await get(`/api/pupils/${pupilId}/audit?format=xml`, dsl)).status, 400);
    const trail = await records().auditForPupil(pupilId);
    const refusals = trail.filter((e) => e.type === "access.refused" && e.detail?.request === "audit.export");
    assert.ok(refusals.some((e) => e.actorStaffId === teacher.oid && e.outcome === "refused" && e.via === "tab"));
    assert.ok(refusals.some((e) => e.actorStaffId === slt.oid));
    const staffRefusals = (await records().auditForStaff(refusals[0].schoolId, slt.oid, 100)).filter((e) => e.detail?.staffId === dsl.oid);
    assert.ok(staffRefusals.some((e) => e.type === "access.refused" && e.detail?.request === "audit.view"));
  });

  it("the record store offers no way to change or delete an audit event", async () => {
    const methods = Object.keys(records()).filter((k) => typeof (records() as unknown as Record<string, unknown>)[k] === "function");
    assert.deepEqual(methods.filter((m) => /audit/i.test(m)).sort(), ["appendAudit", "auditForPupil", "auditForStaff", "auditPage"]);
    assert.deepEqual(
      methods.filter((m) => /delete|remove|purge|clear|drop/i.test(m)),
      [],
    );
    // Appending the same event again changes nothing of the first.
    const [first] = await records().auditForPupil(pupilId);
    await records().appendAudit({ ...first, type: "incident.viewed", actorStaffId: "someone-else" });
    const [still] = await records().auditForPupil(pupilId);
    assert.deepEqual(still, first);
  });

  it("sends the school's idle hide time in /api/me (5 minutes unless setup says otherwise)", async () => {
    const me = await (await get("/api/me", teacher)).json();
    assert.equal(me.idleHideMinutes, 5);
    const schools = (keepsafe.service as unknown as { deps: { schools: Parameters<typeof applySchoolSetup>[0]["schools"] } }).deps.schools;
    const schoolId = (await actorFor(teacher)).schoolId;
    for (const bad of [0, -1, 500, "2", null]) {
      await assert.rejects(applySchoolSetup({ schools }, schoolId, { idleHideMinutes: bad }), /setup file has problems/, `refused: ${String(bad)}`);
    }
    await applySchoolSetup({ schools }, schoolId, { idleHideMinutes: 2 });
    assert.equal((await (await get("/api/me", teacher)).json()).idleHideMinutes, 2);
  });
});
