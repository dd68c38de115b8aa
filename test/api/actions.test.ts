/**
 * "Add action" through the running stack: POST /api/incidents/{id}/actions with real tokens, the
 * embedded Cosmos DB server, and the Graph sandbox recording the tagged person's alert. An action
 * is seen only by those tagged in it, its author and DSLs; tagging someone opens the record to them.
 */
import assert from "node:assert/strict";
import { startTestKeepsafe, staffByRole, waitFor, type TestKeepsafe } from "../support/keepsafe-instance.js";
import type { Actor } from "../../src/domain/actor.js";
import type { IncidentView } from "../../src/app/views.js";
import type { PupilSummary } from "../../src/app/pupil-index.js";

describe("actions API", function () {
  this.timeout(60_000);
  let keepsafe: TestKeepsafe;
  const dsl = staffByRole(/^DSL/);
  const slt = staffByRole(/^SLT/);
  const teacher = staffByRole(/Year 3/);
  const taggedTeacher = staffByRole(/Reception/);
  const admin = staffByRole(/admin/i);
  let pupil: PupilSummary;
  let incidentId: string;
  let allegationId: string;

  const ACTION_TEXT = "Spoke to mum at pick-up about the chair incident; agreed a meeting on Friday.";
  const hourAgo = () => new Date(Date.now() - 3600_000).toISOString();
  const actorFor = (staff: typeof dsl): Promise<Actor> => keepsafe.service.resolveActor(staff.oid, { mfa: true });
  const post = async (staff: typeof dsl, id: string, body: object) => {
    const res = await keepsafe.api(`/api/incidents/${id}/actions`, await keepsafe.tokenFor(staff), {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as any };
  };
  const view = async (staff: typeof dsl, id = incidentId) => {
    const res = await keepsafe.api(`/api/incidents/${id}`, await keepsafe.tokenFor(staff));
    return { status: res.status, body: (await res.json()) as IncidentView };
  };

  before(async () => {
    keepsafe = await startTestKeepsafe();
    const teacherActor = await actorFor(teacher);
    pupil = (await keepsafe.service.searchPupils(teacherActor, "a"))[0];
    incidentId = (
      await keepsafe.service.recordIncident(teacherActor, {
        submissionId: "actions-test-behaviour",
        pupilId: pupil.id,
        occurredAt: hourAgo(),
        source: "tab",
        categoryIds: ["behaviour"],
        account: "Threw a chair in the classroom during maths.",
        alertStaffIds: [slt.oid],
      })
    ).incident.id;
    allegationId = (
      await keepsafe.service.recordIncident(teacherActor, {
        submissionId: "actions-test-allegation",
        pupilId: pupil.id,
        occurredAt: hourAgo(),
        source: "tab",
        categoryIds: ["safeguarding"],
        account: "Said an adult in the Reception class grabbed their arm hard.",
        allegationAgainstStaff: { staffIds: [taggedTeacher.oid] },
        toldDslInPerson: "yes",
      })
    ).incident.id;
  });
  after(async () => keepsafe?.cleanup());

  it("lets a DSL add an action that only the tagged teacher, its author and DSLs see", async () => {
    assert.equal((await view(taggedTeacher)).status, 404, "before tagging, the other teacher cannot open the record");
    const added = await post(dsl, incidentId, {
      requestId: "req-action-0001",
      text: ACTION_TEXT,
      occurredAt: hourAgo(),
      taggedStaffIds: [taggedTeacher.oid],
    });
    assert.equal(added.status, 201);
    assert.equal(added.body.action.text, ACTION_TEXT);
    assert.equal(added.body.action.kind, "action");
    assert.deepEqual(added.body.action.recordedBy, { staffId: dsl.oid, name: dsl.displayName });
    assert.deepEqual(added.body.action.taggedNames, [taggedTeacher.displayName]);

    const tagged = await view(taggedTeacher);
    assert.equal(tagged.status, 200, "tagging alerts them, so they may open the record");
    assert.deepEqual(
      tagged.body.actions.map((a) => a.text),
      [ACTION_TEXT],
    );

    const raiser = await view(teacher);
    assert.equal(raiser.status, 200);
    assert.deepEqual(raiser.body.actions, [], "the teacher who raised it is neither tagged nor the author");
    assert.equal((await view(admin)).status, 404, "someone else entirely still cannot open it");
    assert.deepEqual((await view(slt)).body.actions, [], "SLT see the behaviour record but not an action they are not tagged in");
    assert.deepEqual(
      (await view(dsl)).body.actions.map((a) => a.id),
      [added.body.action.id],
    );

    // SLT see an action once they are tagged in it, and only that one.
    const second = await post(dsl, incidentId, {
      requestId: "req-action-0002",
      text: "Referred to the behaviour lead.",
      occurredAt: hourAgo(),
      taggedStaffIds: [slt.oid],
    });
    assert.equal(second.status, 201);
    assert.deepEqual(
      (await view(slt)).body.actions.map((a) => a.id),
      [second.body.action.id],
    );

    const audit = await keepsafe.service["deps"].records.auditForPupil(pupil.id);
    assert.equal(audit.filter((e) => e.type === "action.added" && e.incidentId === incidentId && e.actorStaffId === dsl.oid).length, 2);
    assert.ok(!JSON.stringify(audit).includes("Spoke to mum"), "the audit trail carries ids, not the action's words");
  });

  it("shows actions in the chronology, dated when they happened, to those who may see them", async () => {
    const chronology = await keepsafe.api(`/api/pupils/${pupil.id}/chronology`, await keepsafe.tokenFor(dsl));
    assert.equal(chronology.status, 200);
    const entries = ((await chronology.json()) as { entries: any[] }).entries;
    const rows = entries.filter((e) => e.kind === "action" && e.incidentId === incidentId);
    assert.equal(rows.length, 2);
    assert.ok(rows.every((r) => r.actionId && r.raisedBy.staffId === dsl.oid));
    const dates = entries.map((e) => e.occurredAt);
    assert.deepEqual(dates, [...dates].sort().reverse(), "newest first, actions among incidents");

    const sltRows = ((await (await keepsafe.api(`/api/pupils/${pupil.id}/chronology`, await keepsafe.tokenFor(slt))).json()) as { entries: any[] })
      .entries;
    assert.deepEqual(
      sltRows.filter((e) => e.kind === "action").map((e) => e.summary),
      ["Referred to the behaviour lead."],
    );
  });

  it("alerts the tagged teacher by Teams and email with neither the action's words nor the pupil", async () => {
    const graph = keepsafe.local.graph!;
    const sent = await waitFor(() => {
      const mine = graph
        .requests()
        .filter((r) => r.userId === taggedTeacher.oid || (r.kind === "mail" && JSON.stringify(r.body).includes(taggedTeacher.email)));
      return mine.length >= 2 ? mine : undefined;
    }, "the tagged teacher's alerts");
    const feed = sent.find((r) => r.kind === "activity-notification");
    assert.ok(feed, "an activity-feed notification");
    assert.equal((feed.body as any).activityType, "actionAdded");
    assert.ok(
      sent.some((r) => r.kind === "mail"),
      "an email",
    );
    const everything = JSON.stringify(sent.map((r) => r.body)).toLowerCase();
    assert.match(everything, new RegExp(dsl.displayName.toLowerCase()), "says who added it");
    assert.match(everything, /behaviour/, "says the category");
    for (const word of ["spoke to mum", "chair", "pick-up"]) assert.ok(!everything.includes(word), `the action's words (${word}) are not sent`);
    for (const word of pupil.displayName.toLowerCase().split(/\s+/)) assert.ok(!everything.includes(word), `the pupil's name (${word}) is not sent`);
  });

  it("adds one action for a double submit", async () => {
    const body = { requestId: "req-double-0001", text: "Phoned Children's Services for advice.", occurredAt: hourAgo(), taggedStaffIds: [] };
    const [a, b] = await Promise.all([post(dsl, incidentId, body), post(dsl, incidentId, body)]);
    assert.deepEqual([a.status, b.status].sort(), [200, 201]);
    assert.equal(a.body.action.id, b.body.action.id);
    const again = await post(dsl, incidentId, body);
    assert.equal(again.status, 200);
    const incident = (await keepsafe.service["deps"].records.getIncident(incidentId))!;
    const stored = await keepsafe.service["deps"].records.actionsForIncident(incidentId, incident.pupilId);
    assert.equal(stored.filter((x) => x.text === body.text).length, 1);
  });

  it("refuses a date in the future, an empty action, and tagging the adult an allegation names", async () => {
    const future = await post(dsl, incidentId, {
      requestId: "req-future-0001",
      text: "Will call the parent.",
      occurredAt: new Date(Date.now() + 86_400_000).toISOString(),
      taggedStaffIds: [],
    });
    assert.equal(future.status, 400);
    assert.deepEqual(
      future.body.error.fields.map((f: any) => f.field),
      ["occurredAt"],
    );

    const empty = await post(dsl, incidentId, { requestId: "req-empty-00001", text: "   ", occurredAt: hourAgo() });
    assert.equal(empty.status, 400);
    assert.deepEqual(
      empty.body.error.fields.map((f: any) => f.field),
      ["text"],
    );

    const subject = await post(dsl, allegationId, {
      requestId: "req-subject-001",
      text: "Informed the LADO.",
      occurredAt: hourAgo(),
      taggedStaffIds: [taggedTeacher.oid],
    });
    assert.equal(subject.status, 400);
    assert.deepEqual(
      subject.body.error.fields.map((f: any) => f.field),
      ["taggedStaffIds"],
    );
    assert.equal((await view(taggedTeacher, allegationId)).status, 404, "the named adult still cannot see it");

    const stranger = await post(admin, incidentId, { requestId: "req-stranger-01", text: "Nothing.", occurredAt: hourAgo() });
    assert.equal(stranger.status, 404, "someone who may not read the record may not add to it");
  });

  it("documents the route in the OpenAPI document", async () => {
    const doc = (await (await fetch(`${keepsafe.url}/api/openapi.json`)).json()) as any;
    const op = doc.paths["/api/incidents/{incidentId}/actions"].post;
    assert.equal(op.operationId, "addAction");
    const body = op.requestBody.content["application/json"].schema;
    assert.deepEqual(body.required.sort(), ["occurredAt", "requestId", "text"]);
    assert.equal(body.properties.text.maxLength, 5000);
    assert.ok(op.responses["201"].content["application/json"].schema.properties.action, "the answer holds the action");
  });
});
