/**
 * The alert card over real HTTP with the whole local stack: a teacher records a concern in the
 * tab, the dispatcher alerts the DSLs, and the bot sends the alert card proactively into the DSL's
 * personal chat on the local Bot Framework connector. The DSL answers it with Universal Actions
 * posted to /api/messages, as Teams would: per-user refresh, "Mark as read" and "Add action".
 */
import assert from "node:assert/strict";
import { startTestKeepsafe, staffByRole, waitFor, type TestKeepsafe } from "../support/keepsafe-instance.js";
import { BotConversation, cardText, findActions } from "../support/bot-conversation.js";
import { adaptiveCard15Problems } from "../support/adaptive-card-check.js";
import type { PupilSummary } from "../../src/app/pupil-index.js";

const ACCOUNT = "Told me their uncle locks them in the shed when they misbehave.";

describe("alert card in Teams chat", function () {
  this.timeout(60_000);
  let keepsafe: TestKeepsafe;
  const dsl = staffByRole(/^DSL/);
  const deputy = staffByRole(/Deputy DSL/);
  const teacher = staffByRole(/Year 3/);
  const other = staffByRole(/Reception/);
  let pupil: PupilSummary;
  let incidentId: string;
  let dslChat: BotConversation;
  let alertCard: any;

  const records = () => keepsafe.service["deps"].records;
  const ofCard = (res: { status: number; body: any }) => {
    assert.equal(res.status, 200);
    assert.equal(res.body.statusCode, 200, JSON.stringify(res.body.value));
    assert.equal(res.body.type, "application/vnd.microsoft.card.adaptive");
    return res.body.value;
  };

  before(async () => {
    keepsafe = await startTestKeepsafe();
    const connector = keepsafe.local.connector!;
    dslChat = new BotConversation(keepsafe.url, connector, dsl, keepsafe.config.identity.tenantId);
    // The DSL has talked to Keepsafe before, so the bot knows where to reach them; the deputy has not.
    await dslChat.sendAndWaitForCard("hello");

    const teacherActor = await keepsafe.service.resolveActor(teacher.oid, { mfa: false });
    pupil = (await keepsafe.service.searchPupils(teacherActor, "a"))[0];
    const res = await keepsafe.api("/api/incidents", await keepsafe.tokenFor(teacher), {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        submissionId: "alert-card-test-0001",
        pupilId: pupil.id,
        categoryIds: ["safeguarding"],
        occurredAt: new Date(Date.now() - 1800_000).toISOString(),
        account: ACCOUNT,
        toldDslInPerson: "yes",
        source: "tab",
      }),
    });
    assert.equal(res.status, 201);
    incidentId = ((await res.json()) as { incident: { id: string } }).incident.id;
    const activity = await connector.waitForActivity(dslChat.conversationId, (a) => JSON.stringify(a.attachments ?? []).includes("refreshAlertCard"));
    alertCard = (activity.attachments as any[])[0].content;
  });
  after(async () => keepsafe?.cleanup());

  it("reaches the DSL's chat saying who raised it and the category, never the pupil or the account", () => {
    const words = cardText(alertCard);
    assert.match(words, new RegExp(`${teacher.displayName} raised a concern — Safeguarding`));
    const everything = JSON.stringify(alertCard).toLowerCase();
    for (const word of pupil.displayName.toLowerCase().split(/\s+/)) assert.ok(!everything.includes(word), `no pupil name (${word})`);
    assert.ok(!everything.includes("shed") && !everything.includes("uncle"), "no words of the account");
    assert.deepEqual(adaptiveCard15Problems(alertCard), []);

    assert.deepEqual(alertCard.refresh.userIds, [`29:${dsl.oid}`], "refreshed for the recipient only");
    assert.equal(alertCard.refresh.action.verb, "refreshAlertCard");
    assert.deepEqual(alertCard.refresh.action.data, { incidentId });
    const open = alertCard.actions.find((a: any) => a.type === "Action.OpenUrl");
    assert.equal(open.title, "Open in Keepsafe");
    assert.match(decodeURIComponent(open.url), new RegExp(`"subEntityId":"incident:${incidentId}"`));
    const verbs = alertCard.actions.filter((a: any) => a.type === "Action.Execute").map((a: any) => a.verb);
    assert.deepEqual(verbs, ["acknowledgeAlert", "openAddAction"]);
  });

  it("skips (and does not fail) someone who has never talked to the bot", async () => {
    await waitFor(async () => {
      const outbox = await records().outboxForIncident(incidentId, pupil.id);
      return outbox.length && outbox.every((m) => m.status === "sent") ? true : undefined;
    }, "every alert to be sent");
    await new Promise((r) => setTimeout(r, 200));
    assert.deepEqual(keepsafe.local.connector!.activities(`local-${deputy.oid}`), []);
  });

  it("refreshes per user, marks read with the same acknowledgement as the tab, then shows 'Read by you'", async () => {
    const before = ofCard(await dslChat.execute("refreshAlertCard", { incidentId }));
    assert.ok(!cardText(before).includes("Read by you"));
    assert.ok(findActions(before).some((a) => a.verb === "acknowledgeAlert"));

    // The bot's actor has no MFA; a DSL can still answer their own alert from the card.
    const read = ofCard(await dslChat.execute("acknowledgeAlert", { incidentId }));
    assert.match(cardText(read), /Read by you at /);
    assert.ok(!findActions(read).some((a) => a.verb === "acknowledgeAlert"), "no Mark as read once read");
    assert.deepEqual(read.refresh.userIds, [`29:${dsl.oid}`]);
    assert.deepEqual(adaptiveCard15Problems(read), []);

    const alerts = await records().alertsForIncident(incidentId, pupil.id);
    assert.ok(alerts.find((a) => a.staffId === dsl.oid)?.acknowledgedAt, "the DSL's alert is acknowledged in the store");
    assert.ok(!alerts.find((a) => a.staffId === deputy.oid)?.acknowledgedAt, "the deputy's is not");
    const audit = await records().auditForPupil(pupil.id);
    assert.ok(
      audit.some(
        (e) =>
          e.type === "alert.acknowledged" && e.incidentId === incidentId && e.actorStaffId === dsl.oid && e.via === "bot" && e.outcome === "allowed",
      ),
      "audited as from the bot",
    );

    const after = ofCard(await dslChat.execute("refreshAlertCard", { incidentId }));
    assert.match(cardText(after), /Read by you at /);
    // The tab shows the same acknowledgement.
    const view = (await (await keepsafe.api(`/api/incidents/${incidentId}`, await keepsafe.tokenFor(dsl))).json()) as any;
    assert.ok(view.myAlert.acknowledgedAt);
  });

  it("refuses card answers from someone who was not alerted exactly as for a record that does not exist", async () => {
    const teacherChat = new BotConversation(keepsafe.url, keepsafe.local.connector!, teacher, keepsafe.config.identity.tenantId);
    for (const verb of ["acknowledgeAlert", "openAddAction", "refreshAlertCard"]) {
      const refused = await teacherChat.execute(verb, { incidentId });
      const missing = await teacherChat.execute(verb, { incidentId: "inc-does-not-exist" });
      assert.equal(refused.status, 200);
      assert.equal(refused.body.statusCode, 400, verb);
      assert.equal(refused.body.value.code, "not_found", verb);
      assert.deepEqual(refused.body, missing.body, `${verb}: a refused record answers as a missing one`);
    }
  });

  it("adds an action from the card, once however often it is submitted", async () => {
    const form = ofCard(await dslChat.execute("openAddAction", { incidentId }));
    assert.deepEqual(adaptiveCard15Problems(form), []);
    const ids = JSON.stringify(form);
    for (const id of ["text", "occurredDate", "occurredTime", "taggedStaffIds", "kind"]) assert.ok(ids.includes(`"id":"${id}"`), id);
    assert.ok(!ids.toLowerCase().includes(pupil.displayName.toLowerCase().split(/\s+/)[1]), "no pupil name on the form either");
    const submit = findActions(form).find((a) => a.verb === "addAction");
    assert.ok(submit.data.requestId);
    const date = form.body.find((e: any) => e.id === "occurredDate").value;
    const time = "00:00";

    // The form comes back with the problem beside the field, and nothing stored.
    const empty = ofCard(
      await dslChat.execute("addAction", { ...submit.data, text: "", occurredDate: date, occurredTime: time, kind: "action", taggedStaffIds: "" }),
    );
    assert.match(cardText(empty), /Say what was done or agreed/);
    assert.deepEqual(await records().actionsForIncident(incidentId, pupil.id), []);

    const data = {
      ...submit.data,
      text: "Called the family support worker; home visit agreed.",
      occurredDate: date,
      occurredTime: time,
      kind: "action",
      taggedStaffIds: other.oid,
    };
    const added = ofCard(await dslChat.execute("addAction", data));
    assert.match(cardText(added), /Your action was added/);
    assert.equal(added.refresh.action.verb, "refreshAlertCard", "back to the alert card");
    ofCard(await dslChat.execute("addAction", data));

    const stored = await records().actionsForIncident(incidentId, pupil.id);
    assert.equal(stored.length, 1);
    assert.equal(stored[0].text, data.text);
    assert.equal(stored[0].recordedBy.staffId, dsl.oid);
    assert.deepEqual(stored[0].taggedStaffIds, [other.oid]);
  });
});
