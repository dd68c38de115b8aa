/**
 * A DSL runs a case after submission through POST /api/incidents/{id}/changes, against the running
 * stack (real tokens, the embedded Cosmos DB server, the Graph sandbox): re-categorise, assign,
 * close, reopen and "no further action", each with a reason, kept in the record's history with the
 * old value, audited, and never touching the incident document. The current categories decide
 * who sees the record from the moment they change.
 */
import assert from "node:assert/strict";
import { startTestKeepsafe, staffByRole, waitFor, type TestKeepsafe } from "../support/keepsafe-instance.js";
import type { Actor } from "../../src/domain/actor.js";
import type { IncidentView } from "../../src/app/views.js";
import type { PupilSummary } from "../../src/app/pupil-index.js";

describe("incident changes API", function () {
  this.timeout(90_000);
  let keepsafe: TestKeepsafe;
  const dsl = staffByRole(/^DSL/);
  const deputy = staffByRole(/^Deputy DSL/);
  const slt = staffByRole(/^SLT/);
  const teacher = staffByRole(/Year 3/);
  const otherTeacher = staffByRole(/Reception/);
  let pupil: PupilSummary;

  const hourAgo = () => new Date(Date.now() - 3600_000).toISOString();
  const actorFor = (staff: typeof dsl): Promise<Actor> => keepsafe.service.resolveActor(staff.oid, { mfa: true });
  const change = async (staff: typeof dsl, id: string, body: object, opts: { mfa?: boolean } = {}) => {
    const res = await keepsafe.api(`/api/incidents/${id}/changes`, await keepsafe.tokenFor(staff, opts), {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as any };
  };
  const view = async (staff: typeof dsl, id: string) => {
    const res = await keepsafe.api(`/api/incidents/${id}`, await keepsafe.tokenFor(staff));
    return { status: res.status, body: (await res.json()) as IncidentView };
  };
  const chronologyIds = async (staff: typeof dsl) => {
    const res = await keepsafe.api(`/api/pupils/${pupil.id}/chronology`, await keepsafe.tokenFor(staff));
    return ((await res.json()) as { entries: { incidentId: string; kind: string }[] }).entries
      .filter((e) => e.kind === "incident")
      .map((e) => e.incidentId);
  };
  const behaviourIncident = async (submissionId: string) =>
    (
      await keepsafe.service.recordIncident(await actorFor(teacher), {
        submissionId,
        pupilId: pupil.id,
        occurredAt: hourAgo(),
        source: "tab",
        categoryIds: ["behaviour"],
        account: "Threw a chair in the classroom during maths.",
        // Alerting the DSL only: SLT and other staff see it by role and category, or not at all.
        alertStaffIds: [dsl.oid],
      })
    ).incident.id;

  before(async () => {
    keepsafe = await startTestKeepsafe();
    pupil = (await keepsafe.service.searchPupils(await actorFor(teacher), "a"))[0];
  });
  after(async () => keepsafe?.cleanup());

  it("re-categorising Behaviour to Child Protection removes it from SLT's view and chronology at once; the raiser keeps it; DSLs see the old category in its history", async () => {
    const id = await behaviourIncident("changes-test-recategorise");
    const submitted = await keepsafe.records.getIncident(id);
    assert.equal((await view(slt, id)).status, 200, "SLT see a Behaviour record");
    assert.ok((await chronologyIds(slt)).includes(id));

    const res = await change(dsl, id, {
      kind: "recategorise",
      categoryIds: ["child-protection"],
      reason: "Disclosure at the follow-up meeting",
      version: 0,
    });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    assert.equal(res.body.version, 1);
    assert.deepEqual(res.body.change.before.categoryNames, ["Behaviour"]);
    assert.deepEqual(res.body.change.after.categoryNames, ["Child Protection"]);

    assert.equal((await view(slt, id)).status, 404, "SLT no longer see it, answered as missing");
    assert.ok(!(await chronologyIds(slt)).includes(id), "nor in their chronology");
    assert.equal((await view(otherTeacher, id)).status, 404, "another teacher never sees it");
    const raiser = await view(teacher, id);
    assert.equal(raiser.status, 200, "the raiser keeps sight of what they raised");
    assert.deepEqual(raiser.body.incident.categoryNames, ["Child Protection"]);
    assert.equal(raiser.body.history, undefined, "the history (old categories) is for the safeguarding team");

    const forDsl = await view(dsl, id);
    assert.deepEqual(forDsl.body.incident.categoryIds, ["child-protection"], "the current categories");
    assert.equal(forDsl.body.version, 1);
    assert.deepEqual(
      forDsl.body.history?.map((h) => [h.kind, h.before.categoryNames, h.reason]),
      [["recategorise", ["Behaviour"], "Disclosure at the follow-up meeting"]],
    );
    assert.ok((await chronologyIds(dsl)).includes(id));
    const dslRows = ((await (await keepsafe.api(`/api/pupils/${pupil.id}/chronology`, await keepsafe.tokenFor(dsl))).json()) as { entries: any[] })
      .entries;
    const changeRow = dslRows.find((e) => e.kind === "change" && e.incidentId === id);
    assert.equal(changeRow?.summary, "Re-categorised from Behaviour to Child Protection. Reason: Disclosure at the follow-up meeting");
    assert.deepEqual(
      dslRows.find((e) => e.kind === "incident" && e.incidentId === id)?.categoryNames,
      ["Child Protection"],
      "the row shows the current categories",
    );
    assert.deepEqual(await keepsafe.records.getIncident(id), submitted, "the incident document is unchanged");

    const audit = (await keepsafe.records.auditForPupil(pupil.id)).filter((e) => e.incidentId === id && e.type === "incident.recategorised");
    assert.equal(audit.length, 1);
    assert.deepEqual(audit[0].detail?.fromCategoryIds, ["behaviour"]);
    assert.deepEqual(audit[0].detail?.toCategoryIds, ["child-protection"]);
    assert.ok(!JSON.stringify(audit).includes("Disclosure"), "the reason's words stay out of the audit");
  });

  it("assigns, closes, reopens and records no further action, each kept in the history; a stale version answers 409 with what changed and stores nothing", async () => {
    const id = await behaviourIncident("changes-test-workflow");
    const submitted = await keepsafe.records.getIncident(id);
    const steps: [object, string][] = [
      [{ kind: "assign", assignee: { kind: "staff", id: deputy.oid }, reason: "Deputy leads behaviour" }, "assign"],
      [{ kind: "assign", assignee: { kind: "group", id: "safeguarding-team" }, reason: "Whole team to look" }, "assign"],
      [{ kind: "close", reason: "Resolved with parents" }, "close"],
      [{ kind: "reopen", reason: "New information" }, "reopen"],
      [{ kind: "no-further-action", decision: "Not to refer to MASH", reason: "Threshold not met; monitored in class" }, "no-further-action"],
    ];
    for (const [i, [body, kind]] of steps.entries()) {
      const res = await change(deputy, id, { ...body, version: i });
      assert.equal(res.status, 201, `${kind}: ${JSON.stringify(res.body)}`);
      assert.equal(res.body.change.kind, kind);
    }
    const forDsl = (await view(dsl, id)).body;
    assert.equal(forDsl.incident.status, "closed");
    assert.deepEqual(
      forDsl.history?.map((h) => [h.kind, h.before.status, h.after.status, h.after.assigneeName ?? null]),
      [
        ["assign", "active", "active", deputy.displayName],
        ["assign", "active", "active", "Safeguarding team"],
        ["close", "active", "closed", "Safeguarding team"],
        ["reopen", "closed", "active", "Safeguarding team"],
        ["no-further-action", "active", "closed", "Safeguarding team"],
      ],
    );
    assert.equal(forDsl.history?.[4].decision, "Not to refer to MASH");

    const stale = await change(dsl, id, { kind: "reopen", reason: "I had it open from earlier", version: 3 });
    assert.equal(stale.status, 409);
    assert.equal(stale.body.error.code, "conflict");
    assert.equal(stale.body.error.detail.version, 5);
    assert.deepEqual(
      stale.body.error.detail.changes.map((c: any) => c.kind),
      ["reopen", "no-further-action"],
    );
    assert.equal((await view(dsl, id)).body.history?.length, 5, "the stale change stored nothing");

    const types = (await keepsafe.records.auditForPupil(pupil.id)).filter((e) => e.incidentId === id).map((e) => e.type);
    for (const t of ["incident.assigned", "incident.closed", "incident.reopened", "incident.no-further-action"])
      assert.ok(types.includes(t as never), t);
    assert.deepEqual(await keepsafe.records.getIncident(id), submitted, "the incident document is unchanged");
  });

  it("two DSLs changing the same version at once: one is stored, the other answers 409", async () => {
    const id = await behaviourIncident("changes-test-race");
    const answers = await Promise.all([
      change(dsl, id, { kind: "close", reason: "Dealt with", version: 0 }),
      change(deputy, id, { kind: "recategorise", categoryIds: ["bullying"], reason: "It was bullying", version: 0 }),
    ]);
    assert.deepEqual(answers.map((a) => a.status).sort(), [201, 409]);
    assert.equal((await keepsafe.records.changesForIncident(id, pupil.id)).length, 1);
  });

  it("refuses others: the raiser and SLT are forbidden, a teacher who cannot see it meets not found, a DSL without MFA is asked for it", async () => {
    const id = await behaviourIncident("changes-test-refusals");
    const body = { kind: "close", reason: "Done", version: 0 };
    assert.equal((await change(teacher, id, body)).status, 403, "the raiser sees the record but may not change it");
    assert.equal((await change(slt, id, body)).status, 403);
    assert.equal((await change(otherTeacher, id, body)).status, 404, "answered as missing");
    assert.equal((await change(dsl, id, body, { mfa: false })).status, 401);
    assert.equal((await change(dsl, "no-such-record", body)).status, 404);
    const refused = (await keepsafe.records.auditForPupil(pupil.id)).filter((e) => e.incidentId === id && e.type === "access.refused");
    assert.ok(
      refused.some((e) => e.actorStaffId === otherTeacher.oid && e.detail?.request === "incident.change"),
      "the refusal is audited",
    );
    assert.deepEqual(await keepsafe.records.changesForIncident(id, pupil.id), []);
  });

  it("refuses bad input with the field to fix: no reason, unknown kind or category, extra and prototype keys, a pointless change", async () => {
    const id = await behaviourIncident("changes-test-bad-input");
    const bad: object[] = [
      { kind: "close", reason: "   ", version: 0 },
      { kind: "close", version: 0 },
      { kind: "delete", reason: "x", version: 0 },
      { kind: "recategorise", categoryIds: ["no-such-category"], reason: "x", version: 0 },
      { kind: "recategorise", categoryIds: [], reason: "x", version: 0 },
      { kind: "assign", assignee: { kind: "staff", id: "not-on-the-staff-list" }, reason: "x", version: 0 },
      { kind: "assign", assignee: { kind: "group", id: "__proto__" }, reason: "x", version: 0 },
      { kind: "close", reason: "x", version: 0, status: "closed" },
      { kind: "close", reason: "x", version: -1 },
      { kind: "reopen", reason: "It is open already", version: 0 },
    ];
    for (const body of bad) assert.equal((await change(dsl, id, body)).status, 400, JSON.stringify(body));
    const proto = await keepsafe.api(`/api/incidents/${id}/changes`, await keepsafe.tokenFor(dsl), {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: '{"kind":"close","reason":"x","version":0,"__proto__":{"admin":true}}',
    });
    assert.equal(proto.status, 400);
    assert.deepEqual(await keepsafe.records.changesForIncident(id, pupil.id), [], "nothing stored");
  });

  it("alerts the person a record is assigned to by Teams and email, saying who and nothing of the record", async () => {
    const id = await behaviourIncident("changes-test-assign-alert");
    assert.equal(
      await change(dsl, id, { kind: "assign", assignee: { kind: "staff", id: slt.oid }, reason: "Behaviour lead" }, { mfa: true }).then(
        (r) => r.status,
      ),
      400,
      "version is required",
    );
    assert.equal(
      (await change(dsl, id, { kind: "assign", assignee: { kind: "staff", id: slt.oid }, reason: "Behaviour lead", version: 0 })).status,
      201,
    );
    const graph = keepsafe.local.graph!;
    const sent = await waitFor(() => {
      const mine = graph
        .requests()
        .filter(
          (r) =>
            (r.kind === "activity-notification" && r.userId === slt.oid && (r.body as any).activityType === "recordAssigned") ||
            (r.kind === "mail" && JSON.stringify(r.body).includes(slt.email) && JSON.stringify(r.body).includes("assigned")),
        );
      return mine.length >= 2 ? mine : undefined;
    }, "the assignee's alerts");
    const everything = JSON.stringify(sent.map((r) => r.body)).toLowerCase();
    assert.match(everything, new RegExp(dsl.displayName.toLowerCase()), "says who assigned it");
    for (const word of ["chair", "behaviour lead", "maths"]) assert.ok(!everything.includes(word), `nothing of the record (${word})`);
    for (const word of pupil.displayName.toLowerCase().split(/\s+/)) assert.ok(!everything.includes(word), `not the pupil's name (${word})`);
  });
});
