/**
 * Held alerts on an allegation about an adult who works here (issue 7, README "Who sees what"):
 * only the head teacher (the chair when the head is named) and DSLs who are not named may see it,
 * and a tag never opens it, so a DSL's approval can never open it to anyone else. Approving
 * declines those alerts with a plain reason, in the answer and on the record (an audited action).
 * Over HTTP: POST /api/incidents, then POST /api/incidents/:id/approve-alerts.
 */
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import {
  ALERT_ALLEGATION_NOTE,
  ALERT_APPROVAL_NOTE,
  HELD_ALERT_DECLINED_REASON,
  HELD_ALERT_DECLINE_WORDS,
} from "../../src/domain/policy/alerting.js";
import { tagsStillPending } from "../../src/domain/policy/action.js";
import { BotConversation, cardText, findActions } from "../support/bot-conversation.js";
import { startTestKeepsafe, staffByRole, type TestKeepsafe } from "../support/keepsafe-instance.js";

describe("held alerts on an allegation about an adult who works here", function () {
  this.timeout(120_000);
  let keepsafe: TestKeepsafe;
  const teacher = staffByRole(/^Teacher \(Year 3\)/);
  const named = staffByRole(/^Teacher \(Reception\)/);
  const admin = staffByRole(/^Admin staff/);
  const slt = staffByRole(/^SLT \(deputy head\)/);
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

  /** A teacher's Safeguarding allegation about the Reception teacher, alerting `alerts`: held, as on any protected record. */
  const recordAllegation = async (alerts: string[], categoryIds = ["safeguarding"]) => {
    const pupilId = (await keepsafe.service.searchPupils(await keepsafe.service.resolveActor(teacher.oid, { mfa: true }), "a"))[0].id;
    const recorded = await post(teacher, "/api/incidents", {
      submissionId: randomUUID(),
      source: "tab",
      pupilId,
      occurredAt: new Date(Date.now() - 3600_000).toISOString(),
      account: "A pupil said something at lunch about a member of staff.",
      categoryIds,
      toldDslInPerson: "yes",
      alertStaffIds: alerts,
      allegationAgainstStaff: { staffIds: [named.oid] },
    });
    assert.equal(recorded.status, 201, JSON.stringify(recorded.body));
    return { pupilId, id: recorded.body.incident.id as string };
  };

  it("allegation card note: once refreshed with the allegation box ticked, the card's alert box says a held alert will be declined", async () => {
    const chat = new BotConversation(keepsafe.url, keepsafe.local.connector!, teacher, keepsafe.config.identity.tenantId);
    const form = await chat.sendAndWaitForCard("record a concern");
    const refresh = findActions(form).find((a) => a.verb === "refreshConcernForm");
    const noteOf = async (values: Record<string, string>) => {
      const text = cardText((await chat.execute(refresh.verb, { ...refresh.data, ...values })).body.value);
      return [ALERT_ALLEGATION_NOTE, ALERT_APPROVAL_NOTE].filter((note) => text.includes(note));
    };
    assert.deepEqual(
      await noteOf({ categoryIds: "safeguarding", allegation: "true" }),
      [ALERT_ALLEGATION_NOTE],
      "the allegation's note, instead of the approval one",
    );
    assert.deepEqual(
      await noteOf({ categoryIds: "safeguarding", allegation: "false" }),
      [ALERT_APPROVAL_NOTE],
      "box unticked: the note of any protected record",
    );
    assert.deepEqual(
      await noteOf({ categoryIds: "behaviour", allegation: "true" }),
      [ALERT_ALLEGATION_NOTE],
      "an allegation is held whatever its categories",
    );
    assert.deepEqual(await noteOf({ categoryIds: "behaviour", allegation: "false" }), [], "nothing is held on a behaviour record");

    const dslChat = new BotConversation(keepsafe.url, keepsafe.local.connector!, ddsl, keepsafe.config.identity.tenantId);
    const dslRefresh = findActions(await dslChat.sendAndWaitForCard("record a concern")).find((a) => a.verb === "refreshConcernForm");
    const forDsl = await dslChat.execute(dslRefresh.verb, { ...dslRefresh.data, categoryIds: "safeguarding", allegation: "true" });
    assert.ok(cardText(forDsl.body.value).includes(ALERT_ALLEGATION_NOTE), "on an allegation even a DSL's alert to someone it cannot open is held");
    const forDslSafeguarding = await dslChat.execute(dslRefresh.verb, { ...dslRefresh.data, categoryIds: "safeguarding", allegation: "false" });
    assert.ok(
      !cardText(forDslSafeguarding.body.value).includes(ALERT_APPROVAL_NOTE),
      "a DSL's alert on a protected record is never held, so no note",
    );
  });

  it("allegation decline audit: each declined alert is its own alert.declined event, in the decision's batch, shown in plain words in the trail and its CSV", async () => {
    const { pupilId, id } = await recordAllegation([admin.oid, slt.oid]);
    const decided = await post(ddsl, `/api/incidents/${id}/approve-alerts`);
    assert.equal(decided.status, 201, JSON.stringify(decided.body));
    const actionId = decided.body.action.id as string;
    const declines = () =>
      records()
        .auditForPupil(pupilId)
        .then((all) => all.filter((e) => e.type === "alert.declined" && e.incidentId === id));
    const events = await declines();
    assert.deepEqual(
      events.map((e) => e.detail).sort((a, b) => String(a!.declinedStaffId).localeCompare(String(b!.declinedStaffId))),
      [admin.oid, slt.oid].sort().map((staffId) => ({ actionId, declinedStaffId: staffId, reason: "allegation-not-openable" })),
      "one event per person, with the incident, the action, the person and the reason code",
    );
    for (const e of events) {
      assert.equal(e.actorStaffId, ddsl.oid);
      assert.equal(e.at, decided.body.action.recordedAt, "written with the decision's action, in its batch");
      assert.equal(e.via, "tab");
      assert.doesNotMatch(JSON.stringify(e), /lunch|Whitfield|Raman|Okafor|Fairweather/, "no names or words of the record in the event");
    }
    assert.equal((await post(ddsl, `/api/incidents/${id}/approve-alerts`)).status, 200);
    assert.equal((await declines()).length, 2, "deciding again audits no second decline");

    const words = `Declined the alert held for ${admin.displayName}: ${HELD_ALERT_DECLINE_WORDS.get("allegation-not-openable")}.`;
    const trail = (await (await keepsafe.api(`/api/pupils/${pupilId}/audit`, await keepsafe.tokenFor(ddsl))).json()) as any;
    const row = trail.events.find((r: any) => r.type === "alert.declined" && r.detail.includes(admin.oid));
    assert.ok(row, "the pupil's audit trail lists the decline");
    assert.ok(row.detail.startsWith(words), row.detail);
    assert.match(row.detail, /reason=allegation-not-openable/);
    const csv = await (await keepsafe.api(`/api/pupils/${pupilId}/audit.csv`, await keepsafe.tokenFor(ddsl))).text();
    assert.ok(
      csv.split("\r\n").some((line) => line.includes("alert.declined") && line.includes(words)),
      "the CSV says it in the same words",
    );
  });

  it("allegation held alert: approving declines the alert with a plain reason, records and audits it, and never opens the allegation", async () => {
    const { pupilId, id } = await recordAllegation([admin.oid]);
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

  it("allegation on a behaviour record: an alert to anyone who cannot open it is held and declined, never sent, and the named adult is never alerted", async () => {
    const { pupilId, id } = await recordAllegation([admin.oid, named.oid], ["behaviour"]);
    const stored = (await records().getIncident(id))!;
    assert.deepEqual(stored.pendingAlertStaffIds, [admin.oid], "held although no category is protected");
    assert.ok(!stored.alertedStaffIds.includes(named.oid) && !stored.alertedStaffIds.includes(admin.oid), "neither is alerted");
    const recipients = () =>
      records()
        .outboxForIncident(id, pupilId)
        .then((all) => new Set(all.map((m) => m.recipientStaffId)));
    assert.ok(!(await recipients()).has(named.oid), "the adult it names is never told it exists");

    const decided = await post(ddsl, `/api/incidents/${id}/approve-alerts`);
    assert.equal(decided.status, 201, JSON.stringify(decided.body));
    assert.deepEqual(decided.body.declined.staffIds, [admin.oid]);
    assert.deepEqual(decided.body.action.declinedStaffIds, [admin.oid], "kept on the decision");
    const after = await recipients();
    assert.ok(!after.has(named.oid) && !after.has(admin.oid), "nothing is sent to either");
    assert.equal((await keepsafe.api(`/api/incidents/${id}`, await keepsafe.tokenFor(admin))).status, 404);
  });

  it("allegation tag on an action: a tag of someone who cannot open the allegation waits, and the DSL's approval declines it so it waits no more", async () => {
    const { id } = await recordAllegation([]);
    const added = await post(teacher, `/api/incidents/${id}/actions`, {
      requestId: randomUUID(),
      kind: "action",
      text: "Spoke to the pupil again at break; nothing new said.",
      occurredAt: new Date(Date.now() - 600_000).toISOString(),
      taggedStaffIds: [admin.oid],
    });
    assert.equal(added.status, 201, JSON.stringify(added.body));
    assert.deepEqual(added.body.action.pendingTaggedStaffIds, [admin.oid], "held, not sent");
    assert.deepEqual(added.body.action.taggedStaffIds, []);

    const decided = await post(ddsl, `/api/incidents/${id}/actions/${added.body.action.id}/approve-tags`);
    assert.equal(decided.status, 201, JSON.stringify(decided.body));
    assert.deepEqual(decided.body.action.taggedStaffIds, [], "nobody is tagged");
    assert.deepEqual(decided.body.action.declinedStaffIds, [admin.oid]);
    assert.match(decided.body.action.text, /Declined a tag/);

    const view = (await (await keepsafe.api(`/api/incidents/${id}`, await keepsafe.tokenFor(ddsl))).json()) as any;
    const held = view.actions.find((a: any) => a.id === added.body.action.id);
    assert.deepEqual(tagsStillPending(held, view.actions), [], "decided: the tag waits no more, so no Approve button");
    assert.equal((await keepsafe.api(`/api/incidents/${id}`, await keepsafe.tokenFor(admin))).status, 404);
    const again = await post(ddsl, `/api/incidents/${id}/actions/${added.body.action.id}/approve-tags`);
    assert.equal(again.status, 200, "deciding again adds nothing");
  });
});
