/**
 * Held alerts on an allegation about an adult who works here (issue 7, README "Who sees what"):
 * only the head teacher (the chair when the head is named) and DSLs who are not named may see it,
 * and a tag never opens it, so a DSL's approval can never open it to anyone else. Approving
 * declines those alerts with a plain reason, in the answer and on the record (an audited action).
 * Over HTTP: POST /api/incidents, then POST /api/incidents/:id/approve-alerts.
 */
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { HELD_ALERT_DECLINED_REASON } from "../../src/domain/policy/alerting.js";
import { startTestKeepsafe, staffByRole, type TestKeepsafe } from "../support/keepsafe-instance.js";

describe("held alerts on an allegation about an adult who works here", function () {
  this.timeout(120_000);
  let keepsafe: TestKeepsafe;
  const teacher = staffByRole(/^Teacher \(Year 3\)/);
  const named = staffByRole(/^Teacher \(Reception\)/);
  const admin = staffByRole(/^Admin staff/);
  const ddsl = staffByRole(/Deputy DSL/);
  const records = () => keepsafe.service["deps"].records;
  const post = async (staff: typeof admin, path: string, body?: object) => {
    const res = await keepsafe.api(path, await keepsafe.tokenFor(staff), {
      method: "POST",
      ...(body ? { headers: { "content-type": "application/json" }, body: JSON.stringify(body) } : {}),
    });
    return { status: res.status, body: (await res.json()) as any };
  };

  before(async () => {
    keepsafe = await startTestKeepsafe();
  });
  after(async () => keepsafe?.cleanup());

  it("allegation held alert: approving declines the alert with a plain reason, records and audits it, and never opens the allegation", async () => {
    const pupilId = (await keepsafe.service.searchPupils(await keepsafe.service.resolveActor(teacher.oid, { mfa: true }), "a"))[0].id;
    const recorded = await post(teacher, "/api/incidents", {
      submissionId: randomUUID(),
      source: "tab",
      pupilId,
      occurredAt: new Date(Date.now() - 3600_000).toISOString(),
      account: "A pupil said something at lunch about a member of staff.",
      categoryIds: ["safeguarding"],
      toldDslInPerson: "yes",
      alertStaffIds: [admin.oid],
      allegationAgainstStaff: { staffIds: [named.oid] },
    });
    assert.equal(recorded.status, 201, JSON.stringify(recorded.body));
    const id = recorded.body.incident.id as string;
    assert.deepEqual((await records().getIncident(id))!.pendingAlertStaffIds, [admin.oid], "held, as on any protected record");

    const decided = await post(ddsl, `/api/incidents/${id}/approve-alerts`);
    assert.equal(decided.status, 201, JSON.stringify(decided.body));
    assert.deepEqual(decided.body.declined, { staffIds: [admin.oid], reason: HELD_ALERT_DECLINED_REASON });
    assert.deepEqual(decided.body.action.taggedStaffIds, [], "nobody is tagged");
    assert.match(decided.body.action.text, /Declined an alert/);

    const seen = await keepsafe.api(`/api/incidents/${id}`, await keepsafe.tokenFor(admin));
    assert.equal(seen.status, 404, "the colleague still reads it exactly as a missing record");
    const outbox = new Set((await records().outboxForIncident(id, pupilId)).map((m) => m.recipientStaffId));
    assert.ok(!outbox.has(admin.oid), "nothing is sent to them");

    const audit = (await records().auditForPupil(pupilId)).filter((e) => e.type === "action.added" && e.incidentId === id);
    assert.equal(audit.length, 1, "the decision is audited as the action it is");
    const view = (await (await keepsafe.api(`/api/incidents/${id}`, await keepsafe.tokenFor(ddsl))).json()) as any;
    assert.equal(view.heldAlerts, undefined, "decided: nothing waits any more");

    const again = await post(ddsl, `/api/incidents/${id}/approve-alerts`);
    assert.equal(again.status, 200, "deciding again adds nothing");
    assert.deepEqual(again.body.declined?.staffIds, [admin.oid]);
  });
});
