/**
 * The message extension's dialog form beyond the basics (message-extension.test.ts): where the
 * message came from is stored with the incident, category fields that are multi-selects arrive as
 * lists, and "Update form for these categories" works inside the dialog, keeping what was typed.
 * Over real HTTP at /api/messages, with the real service over the local Cosmos server.
 */
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { KeepsafeService } from "../../src/app/keepsafe-service.js";
import { DEMO_STAFF } from "../../src/local/demo-school.js";
import { wallClockNow } from "../../src/domain/wall-clock.js";
import { startKeepsafeFixture, type KeepsafeFixture } from "../support/keepsafe-fixture.js";
import { startBotHarness, type BotHarness } from "./support/bot-harness.js";
import { actions as allActions, input, type Json } from "./support/card-helpers.js";

const teacher = DEMO_STAFF.find((s) => s.role === "STAFF")!;
const dsl = DEMO_STAFF.find((s) => s.role === "DSL")!;

/** Every action of a card, at the bottom or inside the body's action sets. */
describe("message extension: origin, category fields and refresh in the dialog", function () {
  this.timeout(30_000);
  let fx: KeepsafeFixture;
  let harness: BotHarness;
  let pupilId: string;

  before(async function () {
    this.timeout(60_000);
    fx = await startKeepsafeFixture("me-origin", new Date().toISOString());
    pupilId = (await fx.stores.schoolStore.listPupils((await fx.stores.schoolStore.findStaffById(teacher.oid))!.schoolId))[0].id;
    harness = await startBotHarness(fx.service as KeepsafeService);
  });
  after(async () => {
    await harness?.close();
    await fx?.close();
  });

  const invoke = async (name: string, value: Json) => {
    const conversation = { id: `19:${randomUUID()}@thread.v2`, conversationType: "channel" };
    const res = await harness.post(harness.activity({ type: "invoke", name, value }, teacher.oid, conversation));
    assert.equal(res.status, 200);
    return res.body as Json;
  };
  const messagePayload = {
    id: "1741774500000",
    createdDateTime: "2025-03-12T10:15:00.000Z",
    from: { user: { id: "u1", displayName: "Chloe Martin", userIdentityType: "aadUser" } },
    body: { contentType: "text", content: "He pushed J.S. over in the lunch queue and kicked him twice." },
  };
  const openDialog = async () =>
    (await invoke("composeExtension/fetchTask", { commandId: "recordConcern", commandContext: "message", messagePayload })).task.value.card
      .content as Json;
  const submit = (data: Json) => invoke("composeExtension/submitAction", { commandId: "recordConcern", commandContext: "message", data });
  const anHourAgo = () => wallClockNow(new Date(Date.now() - 60 * 60 * 1000), "Europe/London");

  it("has no Universal Actions in the dialog: refresh and submit are Action.Submit carrying the message's origin", async () => {
    const card = await openDialog();
    const actions = allActions(card);
    assert.ok(actions.length >= 2);
    for (const a of actions) assert.notEqual(a.type, "Action.Execute", JSON.stringify(a));
    for (const a of actions.filter((x) => x.data)) assert.equal(a.type, "Action.Submit", JSON.stringify(a));
    const refresh = actions.find((a) => a.data?.verb === "refreshConcernForm");
    assert.ok(refresh, "the refresh button is there");
    assert.deepEqual(refresh.data.originMessage, {
      kind: "teams-message",
      messageId: "1741774500000",
      sender: "Chloe Martin",
      sentAt: "2025-03-12T10:15:00.000Z",
    });
  });

  it("refreshes the form inside the dialog for the chosen categories, keeping every typed value", async () => {
    const card = await openDialog();
    const refresh = allActions(card).find((a) => a.data?.verb === "refreshConcernForm")!;
    const when = anHourAgo();
    const typed = {
      pupilId,
      categoryIds: "behaviour",
      occurredDate: when.date,
      occurredTime: when.time,
      session: "lunch",
      account: "He pushed J.S. over in the lunch queue and kicked him twice. Edited before refreshing.",
      alertStaffIds: dsl.oid,
    };
    const body = await submit({ ...refresh.data, ...typed });
    assert.equal(body.task.type, "continue");
    assert.equal(body.task.value.title, "Record a concern");
    const again = body.task.value.card.content as Json;
    assert.ok(input(again, "categoryFields.behaviour.outcomes"), "Behaviour's own fields appear");
    assert.equal(input(again, "account")?.value, typed.account);
    assert.equal(input(again, "categoryIds")?.value, "behaviour");
    assert.equal(input(again, "pupilId")?.value, pupilId);
    assert.equal(input(again, "session")?.value, "lunch");
    assert.equal(input(again, "alertStaffIds")?.value, dsl.oid);
    assert.equal(again.actions[0].data.submissionId, refresh.data.submissionId, "the same form");
    assert.match(JSON.stringify(again), /From a Teams message by Chloe Martin/);
    assert.deepEqual(again.actions[0].data.originMessage, refresh.data.originMessage);
    assert.doesNotMatch(JSON.stringify(again), /need attention/, "a refresh is not a failed submit");
    assert.equal(await fx.stores.recordStore.findBySubmission(refresh.data.submissionId), undefined, "nothing stored by a refresh");
  });

  it("stores where the message came from and multi-select category fields as lists", async () => {
    const card = await openDialog();
    const refresh = allActions(card).find((a) => a.data?.verb === "refreshConcernForm")!;
    const when = anHourAgo();
    const typed = {
      pupilId,
      categoryIds: "behaviour",
      occurredDate: when.date,
      occurredTime: when.time,
      account: input(card, "account")!.value as string,
      alertStaffIds: dsl.oid,
    };
    const refreshed = (await submit({ ...refresh.data, ...typed })).task.value.card.content as Json;
    const data = {
      ...refreshed.actions[0].data,
      ...typed,
      "categoryFields.behaviour.outcomes": "Near miss,Aggressive incident",
      "categoryFields.behaviour.deescalation": "Calm talking",
      "subCategories.behaviour": "physical-harm-to-a-pupil",
    };
    assert.equal(data.verb, "submitConcern");
    const body = await submit(data);
    assert.equal(body.task.value.title, "Concern recorded", JSON.stringify(body));
    const stored = await fx.stores.recordStore.findBySubmission(data.submissionId);
    assert.ok(stored);
    assert.equal(stored.source, "message-extension");
    assert.deepEqual(stored.origin, {
      kind: "teams-message",
      messageId: "1741774500000",
      sender: "Chloe Martin",
      sentAt: "2025-03-12T10:15:00.000Z",
    });
    assert.deepEqual(stored.categoryFields, { behaviour: { outcomes: ["Near miss", "Aggressive incident"], deescalation: ["Calm talking"] } });
    assert.deepEqual(stored.subCategoryIds, ["physical-harm-to-a-pupil"]);
    assert.equal(stored.account, messagePayload.body.content, "the message's words only as they went into the account");
  });

  it("drops a malformed origin rather than refusing the concern", async () => {
    const card = await openDialog();
    const when = anHourAgo();
    const data = {
      ...card.actions[0].data,
      originMessage: { messageId: { nested: true }, sender: "x".repeat(500), sentAt: "yesterday-ish" },
      pupilId,
      categoryIds: "welfare",
      occurredDate: when.date,
      occurredTime: when.time,
      account: "Said she had not eaten since yesterday lunchtime.",
      alertStaffIds: dsl.oid,
    };
    const body = await submit(data);
    assert.equal(body.task.value.title, "Concern recorded", JSON.stringify(body));
    const stored = await fx.stores.recordStore.findBySubmission(data.submissionId);
    assert.deepEqual(stored?.origin, { kind: "teams-message" });
  });
});
