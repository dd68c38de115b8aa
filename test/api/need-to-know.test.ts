/**
 * Need-to-know through the running stack (README, "Who sees what"): an allegation about an adult
 * who works here is seen by its raiser, the DSLs who are not named and the head teacher, never by
 * SLT or alerted staff because of a non-protected category; a tag on a protected record by anyone
 * but a DSL is kept pending (not alerted, no access) until a DSL approves it.
 */
import assert from "node:assert/strict";
import { startTestKeepsafe, staffByRole, type TestKeepsafe } from "../support/keepsafe-instance.js";
import type { Actor } from "../../src/domain/actor.js";
import type { PupilSummary } from "../../src/app/pupil-index.js";

describe("need-to-know API", function () {
  this.timeout(60_000);
  let keepsafe: TestKeepsafe;
  const head = staffByRole(/head teacher/);
  const ddsl = staffByRole(/Deputy DSL/);
  const slt = staffByRole(/^SLT/);
  const teacher = staffByRole(/Year 3/);
  const named = staffByRole(/Reception/);
  const admin = staffByRole(/admin/i);
  let pupil: PupilSummary;
  const hourAgo = () => new Date(Date.now() - 3600_000).toISOString();
  const actorFor = (staff: typeof head): Promise<Actor> => keepsafe.service.resolveActor(staff.oid, { mfa: true });
  const status = async (staff: typeof head, id: string) => (await keepsafe.api(`/api/incidents/${id}`, await keepsafe.tokenFor(staff))).status;
  const addAction = async (staff: typeof head, id: string, requestId: string, taggedStaffIds: string[]) => {
    const res = await keepsafe.api(`/api/incidents/${id}/actions`, await keepsafe.tokenFor(staff), {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ requestId, text: "Agreed a check-in at break with the pupil.", occurredAt: hourAgo(), taggedStaffIds }),
    });
    return { status: res.status, body: (await res.json()) as any };
  };
  const record = async (submissionId: string, categoryIds: string[], extra: object = {}) =>
    (
      await keepsafe.service.recordIncident(await actorFor(teacher), {
        submissionId,
        pupilId: pupil.id,
        occurredAt: hourAgo(),
        source: "tab",
        categoryIds,
        account: "Said something at lunch that worried me.",
        ...extra,
      })
    ).incident.id;

  before(async () => {
    keepsafe = await startTestKeepsafe();
    pupil = (await keepsafe.service.searchPupils(await actorFor(teacher), "a"))[0];
  });
  after(async () => keepsafe?.cleanup());

  it("shows an allegation under a non-protected category only to its raiser, the DSLs not named and the head, never to SLT or alerted staff", async () => {
    const id = await record("ntk-allegation-behaviour", ["behaviour"], {
      allegationAgainstStaff: { staffIds: [named.oid] },
      alertStaffIds: [slt.oid, admin.oid],
    });
    assert.equal(await status(teacher, id), 200, "the raiser keeps sight of what they wrote");
    assert.equal(await status(head, id), 200, "the head teacher");
    assert.equal(await status(ddsl, id), 200, "a deputy DSL who is not named");
    assert.equal(await status(slt, id), 404, "SLT, even though behaviour is not protected and they were chosen to be alerted");
    assert.equal(await status(admin, id), 404, "alerted staff");
    assert.equal(await status(named, id), 404, "the named adult");
  });

  it("keeps a teacher's tag on a safeguarding record pending: not alerted, no access, and said so in the answer", async () => {
    const id = await record("ntk-pending-tag", ["safeguarding"], { toldDslInPerson: "yes" });
    const added = await addAction(teacher, id, "ntk-req-pending-0001", [admin.oid]);
    assert.equal(added.status, 201);
    assert.deepEqual(added.body.action.taggedStaffIds, []);
    assert.deepEqual(added.body.action.pendingTaggedStaffIds, [admin.oid]);
    assert.equal(await status(admin, id), 404, "a pending tag opens nothing");

    const byDsl = await addAction(ddsl, id, "ntk-req-dsl-tag-0001", [admin.oid]);
    assert.equal(byDsl.status, 201);
    assert.deepEqual(byDsl.body.action.taggedStaffIds, [admin.oid], "a DSL's tag opens the record at once");
    assert.equal(byDsl.body.action.pendingTaggedStaffIds, undefined);
    assert.equal(await status(admin, id), 200);
  });

  it("lets only a DSL approve a pending tag, which alerts and opens the record to that person, once", async () => {
    const id = await record("ntk-approve-tag", ["safeguarding"], { toldDslInPerson: "yes" });
    const asked = await addAction(teacher, id, "ntk-req-approve-0001", [admin.oid]);
    const approve = async (staff: typeof head) => {
      const res = await keepsafe.api(`/api/incidents/${id}/actions/${asked.body.action.id}/approve-tags`, await keepsafe.tokenFor(staff), {
        method: "POST",
      });
      return { status: res.status, body: (await res.json()) as any };
    };
    assert.equal((await approve(teacher)).status, 403, "the teacher who asked may not approve their own tag");
    assert.equal((await approve(slt)).status, 404, "SLT cannot see a safeguarding record at all");
    assert.equal(await status(admin, id), 404);
    const ok = await approve(ddsl);
    assert.equal(ok.status, 201);
    assert.deepEqual(ok.body.action.taggedStaffIds, [admin.oid]);
    assert.equal(await status(admin, id), 200, "approved: the tagged person may read the record");
    assert.equal((await approve(ddsl)).status, 200, "approving again adds nothing");
  });

  it("lets a teacher's tag on a behaviour record open it at once, as schools do today", async () => {
    const id = await record("ntk-open-tag", ["behaviour"], { alertStaffIds: [slt.oid] });
    const added = await addAction(teacher, id, "ntk-req-open-0001", [admin.oid]);
    assert.deepEqual(added.body.action.taggedStaffIds, [admin.oid]);
    assert.equal(await status(admin, id), 200);
  });
});
