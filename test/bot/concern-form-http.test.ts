/**
 * The whole incident form over real HTTP at /api/messages: "Update form for these categories"
 * (Action.Execute and its Action.Submit fallback) keeping everything typed, and a full submit with
 * linked pupils, category fields and the told-DSL answer, stored by the real service in the
 * embedded local Cosmos DB server.
 */
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { wallClockNow } from "../../src/domain/wall-clock.js";
import { DEMO_STAFF } from "../../src/local/demo-school.js";
import { startKeepsafeFixture, type KeepsafeFixture } from "../support/keepsafe-fixture.js";
import { startBotHarness, type BotHarness } from "./support/bot-harness.js";
import { input, type Json } from "./support/card-helpers.js";

const teacher = DEMO_STAFF.find((s) => s.role === "STAFF")!;
const ddsl = DEMO_STAFF.find((s) => s.role === "DDSL")!;

describe("the whole incident form over HTTP", function () {
  this.timeout(20_000);
  let fx: KeepsafeFixture;
  let harness: BotHarness;
  let conversationId: string;

  before(async function () {
    this.timeout(60_000);
    fx = await startKeepsafeFixture("concern-form-http", new Date().toISOString());
    harness = await startBotHarness(fx.service);
  });
  after(async () => {
    await harness?.close();
    await fx?.close();
  });
  beforeEach(() => {
    conversationId = `a:${randomUUID()}`;
  });

  const activity = (extra: Json): Json => harness.activity(extra, teacher.oid, { id: conversationId, conversationType: "personal" });
  const invoke = (verb: string, data: Json) =>
    harness.post(
      activity({ type: "invoke", name: "adaptiveCard/action", value: { action: { type: "Action.Execute", verb, data }, trigger: "manual" } }),
    );

  async function openForm(): Promise<Json> {
    const before = harness.sent.length;
    await harness.post(activity({ type: "message", text: "hello" }));
    const sent = await harness.waitForSent(before + 1);
    return sent[before].activity.attachments![0].content;
  }
  async function pupilsMatching(queryText: string): Promise<{ title: string; value: string }[]> {
    const res = await harness.post(
      activity({ type: "invoke", name: "application/search", value: { queryText, dataset: "pupils", queryOptions: { skip: 0, top: 15 } } }),
    );
    return (res.body as Json).value.results;
  }

  /** A form part-filled before pressing "Update form for these categories". */
  async function typedSoFar(): Promise<Json> {
    const card = await openForm();
    const [subject, other] = await pupilsMatching("a");
    const anHourAgo = wallClockNow(new Date(Date.now() - 60 * 60 * 1000), "Europe/London");
    return {
      ...card.actions[0].data,
      pupilId: subject.value,
      categoryIds: "behaviour,safeguarding",
      occurredDate: anHourAgo.date,
      occurredTime: anHourAgo.time,
      account: 'Typed before choosing categories: pushed O.J. at lunch and said "he took my ball".',
      linkedPupil1: other.value,
      linkedPart1: "alleged-victim",
      agencyInvolved: "Police",
      alertStaffIds: ddsl.oid,
      subjectTitle: subject.title,
      otherTitle: other.title,
    };
  }

  it("refreshes the form in place for the chosen categories, keeping everything typed and storing nothing", async () => {
    const typed = await typedSoFar();
    const res = await invoke("refreshConcernForm", { ...typed, verb: "refreshConcernForm" });
    assert.equal(res.status, 200);
    const body = res.body as Json;
    assert.equal(body.statusCode, 200);
    assert.equal(body.type, "application/vnd.microsoft.card.adaptive");
    const card = body.value;
    assert.equal(card.actions[0].data.submissionId, typed.submissionId, "same form, same id");
    assert.equal(input(card, "account")!.value, typed.account);
    assert.equal(input(card, "categoryIds")!.value, "behaviour,safeguarding");
    assert.equal(input(card, "agencyInvolved")!.value, "Police");
    assert.deepEqual(input(card, "pupilId")!.choices, [{ title: typed.subjectTitle, value: typed.pupilId }]);
    assert.deepEqual(input(card, "linkedPupil1")!.choices, [{ title: typed.otherTitle, value: typed.linkedPupil1 }]);
    assert.equal(input(card, "linkedPart1")!.value, "alleged-victim");
    assert.ok(input(card, "categoryFields.behaviour.outcomes"), "Behaviour's own fields appear");
    assert.ok(input(card, "subCategories.safeguarding"), "Safeguarding's sub-categories appear");
    assert.ok(input(card, "toldDslInPerson"), "a teacher raising safeguarding is asked whether a DSL was told");
    assert.ok(!JSON.stringify(card).includes("Some fields need attention"), "a refresh is not a failed submit");
    assert.equal(await fx.stores.recordStore.findBySubmission(typed.submissionId), undefined);
  });

  it("refreshes through the Action.Submit fallback with a new form message", async () => {
    const typed = await typedSoFar();
    const before = harness.sent.length;
    const res = await harness.post(activity({ type: "message", value: { ...typed, verb: "refreshConcernForm" } }));
    assert.equal(res.status, 200);
    const sent = await harness.waitForSent(before + 1);
    const card = sent[before].activity.attachments![0].content;
    assert.equal(input(card, "account")!.value, typed.account);
    assert.ok(input(card, "categoryFields.behaviour.deescalation"));
  });

  it("asks again beside the question when the told-DSL answer is missing, then records it as URGENT", async () => {
    const typed = await typedSoFar();
    const first = (await invoke("submitConcern", typed)).body as Json;
    assert.equal(first.type, "application/vnd.microsoft.card.adaptive");
    const again = first.value;
    const told = input(again, "toldDslInPerson")!;
    assert.ok(told, "the question is on the returned form");
    assert.equal(await fx.stores.recordStore.findBySubmission(typed.submissionId), undefined);

    const complete = {
      ...typed,
      toldDslInPerson: "not-yet",
      "categoryFields.behaviour.outcomes": "Someone suffered physical harm,First aid given to a child",
      "subCategories.behaviour": "physical-harm-to-a-pupil",
    };
    const done = (await invoke("submitConcern", complete)).body as Json;
    assert.equal(done.type, "application/vnd.microsoft.card.adaptive");
    const stored = (await fx.stores.recordStore.findBySubmission(typed.submissionId))!;
    assert.ok(stored, "stored");
    assert.equal(stored.urgent, true);
    assert.deepEqual(stored.linkedPupils, [{ pupilId: typed.linkedPupil1, part: "alleged-victim" }]);
    assert.deepEqual(stored.categoryFields, { behaviour: { outcomes: ["Someone suffered physical harm", "First aid given to a child"] } });
    assert.deepEqual(stored.subCategoryIds, ["physical-harm-to-a-pupil"]);
    assert.equal(stored.agencyInvolved, "Police");
    const text = JSON.stringify(done.value);
    assert.ok(text.includes(stored.reference));
    assert.ok(text.includes("URGENT"));
    assert.ok(text.includes(`${typed.otherTitle} (alleged victim)`));
    assert.ok(text.includes("First aid given to a child"));
    assert.ok(text.includes("This record cannot be edited. If something is wrong, tell a DSL, who will add a correcting action."));
  });
});
