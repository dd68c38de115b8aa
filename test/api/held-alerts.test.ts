/**
 * Alert choices at submit on protected records (issue 7, README "Who sees what"): on a Child
 * Protection, Child in Need or Safeguarding record, an alert chosen by anyone but a DSL to someone
 * who could not otherwise see it is held for the DSLs (the DSLs are alerted as always); the form
 * says so; a DSL's approval sends it through the outbox and opens the record. Through the tab API
 * (POST /api/incidents) and through the bot (/api/messages, as Teams sends a card's submit).
 */
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { wallClockNow } from "../../src/domain/wall-clock.js";
import { ALERT_APPROVAL_NOTE } from "../../src/domain/policy/alerting.js";
import { startTestKeepsafe, staffByRole, type TestKeepsafe } from "../support/keepsafe-instance.js";
import { BotConversation, cardText, findActions } from "../support/bot-conversation.js";

describe("held alerts: a non-DSL's alert choice on a protected record waits for a DSL", function () {
  this.timeout(120_000);
  let keepsafe: TestKeepsafe;
  const teacher = staffByRole(/^Teacher \(Year 3\)/);
  const admin = staffByRole(/^Admin staff/);
  const dsl = staffByRole(/^DSL/);
  const ddsl = staffByRole(/Deputy DSL/);
  let pupilId: string;
  const records = () => keepsafe.service["deps"].records;
  const hourAgo = () => new Date(Date.now() - 3600_000).toISOString();
  const status = async (staff: typeof admin, id: string) => (await keepsafe.api(`/api/incidents/${id}`, await keepsafe.tokenFor(staff))).status;
  const post = async (staff: typeof admin, path: string, body?: object) => {
    const res = await keepsafe.api(path, await keepsafe.tokenFor(staff), {
      method: "POST",
      ...(body ? { headers: { "content-type": "application/json" }, body: JSON.stringify(body) } : {}),
    });
    return { status: res.status, body: (await res.json()) as any };
  };
  const record = async (by: typeof admin, categoryIds: string[]) => {
    const res = await post(by, "/api/incidents", {
      submissionId: randomUUID(),
      source: "tab",
      pupilId,
      occurredAt: hourAgo(),
      account: "Said something at lunch that worried me about home.",
      categoryIds,
      toldDslInPerson: "yes",
      alertStaffIds: [admin.oid],
    });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    return res.body.incident.id as string;
  };
  /** Who the outbox will alert about this record (the incident's alerts and its actions' alike). */
  const outboxRecipients = async (incidentId: string) =>
    new Set((await records().outboxForIncident(incidentId, pupilId)).map((m) => m.recipientStaffId));

  before(async () => {
    keepsafe = await startTestKeepsafe();
    pupilId = (await keepsafe.service.searchPupils(await keepsafe.service.resolveActor(teacher.oid, { mfa: true }), "a"))[0].id;
  });
  after(async () => keepsafe?.cleanup());

  it("tab: holds a teacher's alert to a colleague on a Safeguarding concern until a DSL approves, then sends it and opens the record", async () => {
    const id = await record(teacher, ["safeguarding"]);
    assert.equal(await status(admin, id), 404, "the held colleague reads it exactly as a missing record");
    let to = await outboxRecipients(id);
    assert.ok(!to.has(admin.oid), "nothing is sent to the held colleague");
    assert.ok(to.has(dsl.oid) && to.has(ddsl.oid), "the DSLs are alerted as always");
    const incident = (await records().getIncident(id))!;
    assert.ok(!incident.alertedStaffIds.includes(admin.oid));
    assert.deepEqual(incident.pendingAlertStaffIds, [admin.oid]);

    const seen = await keepsafe.api(`/api/incidents/${id}`, await keepsafe.tokenFor(teacher));
    assert.deepEqual(((await seen.json()) as any).heldAlerts, [{ staffId: admin.oid, name: admin.displayName }], "the raiser sees it waits");

    assert.equal((await post(teacher, `/api/incidents/${id}/approve-alerts`)).status, 403, "the raiser may not approve their own alert");
    assert.equal((await post(admin, `/api/incidents/${id}/approve-alerts`)).status, 404, "the held colleague cannot even find the record");
    const approved = await post(ddsl, `/api/incidents/${id}/approve-alerts`);
    assert.equal(approved.status, 201, JSON.stringify(approved.body));
    assert.deepEqual(approved.body.action.taggedStaffIds, [admin.oid]);
    assert.equal(await status(admin, id), 200, "approved: the colleague may read the record");
    to = await outboxRecipients(id);
    assert.ok(to.has(admin.oid), "approved: the alert goes through the outbox");
    assert.equal((await post(ddsl, `/api/incidents/${id}/approve-alerts`)).status, 200, "approving again adds nothing");
    const after = await keepsafe.api(`/api/incidents/${id}`, await keepsafe.tokenFor(teacher));
    assert.equal(((await after.json()) as any).heldAlerts, undefined, "nobody waits any more");
  });

  it("tab: sends a teacher's alert on a non-protected category straight out, as today", async () => {
    const id = await record(teacher, ["behaviour"]);
    assert.equal(await status(admin, id), 200);
    assert.ok((await outboxRecipients(id)).has(admin.oid));
    assert.equal((await records().getIncident(id))!.pendingAlertStaffIds, undefined);
    const approve = await post(dsl, `/api/incidents/${id}/approve-alerts`);
    assert.equal(approve.status, 400, "nothing is waiting, so there is nothing to approve");
  });

  it("tab: sends a DSL's alert on a Safeguarding concern straight out", async () => {
    const id = await record(ddsl, ["safeguarding"]);
    assert.equal(await status(admin, id), 200);
    assert.ok((await outboxRecipients(id)).has(admin.oid));
    assert.equal((await records().getIncident(id))!.pendingAlertStaffIds, undefined);
  });

  it("bot: the card says so for a teacher's Safeguarding concern, and the submitted alert is held", async () => {
    const chat = new BotConversation(keepsafe.url, keepsafe.local.connector!, teacher, keepsafe.config.identity.tenantId);
    const form = await chat.sendAndWaitForCard("record a concern");
    const refresh = findActions(form).find((a) => a.verb === "refreshConcernForm");
    const behaviour = await chat.execute(refresh.verb, { ...refresh.data, categoryIds: "behaviour" });
    assert.ok(!cardText(behaviour.body.value).includes(ALERT_APPROVAL_NOTE), "no note where alerts go straight out");
    const refreshed = await chat.execute(refresh.verb, { ...refresh.data, categoryIds: "safeguarding" });
    const card = refreshed.body.value;
    assert.ok(cardText(card).includes(ALERT_APPROVAL_NOTE), "the card's alert box says the alert waits for a DSL");

    const submit = findActions(card).find((a) => a.verb === "submitConcern");
    const when = wallClockNow(new Date(Date.now() - 60 * 60_000), "Europe/London");
    const done = await chat.execute(submit.verb, {
      ...submit.data,
      pupilId,
      categoryIds: "safeguarding",
      toldDslInPerson: "yes",
      occurredDate: when.date,
      occurredTime: when.time,
      account: "Said at break that they are scared to go home tonight.",
      alertStaffIds: admin.oid,
    });
    assert.equal(done.status, 200);
    const reference = /KS-[A-Z0-9]{7}/.exec(JSON.stringify(done.body))?.[0];
    assert.ok(reference, cardText(done.body.value));
    const incident = (await records().chronology(pupilId)).find((e) => e.reference === reference)!;
    assert.equal(await status(admin, incident.incidentId), 404, "the held colleague gets not-found");
    const to = await outboxRecipients(incident.incidentId);
    assert.ok(!to.has(admin.oid) && to.has(dsl.oid), "the DSLs are alerted, the colleague is not");

    const dslChat = new BotConversation(keepsafe.url, keepsafe.local.connector!, dsl, keepsafe.config.identity.tenantId);
    const dslForm = await dslChat.sendAndWaitForCard("record a concern");
    const dslRefresh = findActions(dslForm).find((a) => a.verb === "refreshConcernForm");
    const forDsl = await dslChat.execute(dslRefresh.verb, { ...dslRefresh.data, categoryIds: "safeguarding" });
    assert.ok(!cardText(forDsl.body.value).includes(ALERT_APPROVAL_NOTE), "a DSL's alert goes straight out, so no note");
  });
});
