/**
 * The bot over real HTTP, as Teams meets it: activities posted to /api/messages on a restify
 * server, replies caught by a stand-in connector, invoke answers read from the HTTP response.
 * The application service is the real KeepsafeService over the demo school, stored in the
 * embedded local Cosmos DB server through the real Cosmos adapters.
 */
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createCosmosStores, type CosmosStores } from "../../src/adapters/cosmos/create-cosmos-stores.js";
import { startLocalCosmos, type LocalCosmos } from "../../src/local/cosmos/local-cosmos.js";
import { KeepsafeService } from "../../src/app/keepsafe-service.js";
import { DEMO_STAFF, ensureDemoSchool } from "../../src/local/demo-school.js";
import { systemClock } from "../../src/ports/clock.js";
import { IMMUTABLE_NOTICE } from "../../bot/cards/confirmation-card.js";
import { PERSONAL_CHAT_ONLY } from "../../bot/keepsafe-bot.js";
import { wallClockNow, wallClockToIso } from "../../src/domain/wall-clock.js";
import type { RecordStore } from "../../src/ports/record-store.js";
import { startBotHarness, type BotHarness } from "./support/bot-harness.js";
import { elements, input, type Json } from "./support/card-helpers.js";

const teacher = DEMO_STAFF.find((s) => s.role === "STAFF")!;
const dsl = DEMO_STAFF.find((s) => s.role === "DSL")!;
const cardText = (card: Json) => JSON.stringify(card);

describe("Keepsafe bot over HTTP", function () {
  let harness: BotHarness;
  let records: RecordStore;
  let service: KeepsafeService;
  let dataDir: string;
  let cosmos: LocalCosmos | undefined;
  let stores: CosmosStores | undefined;
  let conversationId: string;

  const activity = (extra: Json, from = teacher.oid): Json => harness.activity(extra, from, { id: conversationId, conversationType: "personal" });

  /** Asks the bot for a form and returns the card the connector received. */
  async function openForm(): Promise<Json> {
    const before = harness.sent.length;
    const res = await harness.post(activity({ type: "message", text: "record a concern" }));
    assert.equal(res.status, 200);
    const sent = await harness.waitForSent(before + 1);
    const attachment = sent[before].activity.attachments?.[0];
    assert.equal(attachment?.contentType, "application/vnd.microsoft.card.adaptive");
    return attachment!.content;
  }

  async function searchPupils(queryText: string) {
    return harness.post(
      activity({ type: "invoke", name: "application/search", value: { queryText, dataset: "pupils", queryOptions: { skip: 0, top: 15 } } }),
    );
  }

  /** A complete, valid form as Teams would send it: every input a string. */
  async function filledForm(card: Json): Promise<Json> {
    const search = await searchPupils("a");
    const pupil = (search.body as Json).value.results[0];
    const anHourAgo = wallClockNow(new Date(Date.now() - 60 * 60 * 1000), "Europe/London");
    return {
      ...card.actions[0].data,
      pupilId: pupil.value,
      categoryIds: "welfare,attendance",
      occurredDate: anHourAgo.date,
      occurredTime: anHourAgo.time,
      session: "morning",
      location: "Playground",
      account: 'Came in without a coat again and said "mum forgot". Gave a spare coat from the office.',
      alertStaffIds: dsl.oid,
      alertGroupIds: "",
      subCategoryIds: "",
    };
  }

  const execute = (data: Json, from = teacher.oid) =>
    harness.post(
      activity(
        {
          type: "invoke",
          name: "adaptiveCard/action",
          value: { action: { type: "Action.Execute", verb: "submitConcern", data }, trigger: "manual" },
        },
        from,
      ),
    );

  /** What the record store holds for a form: the incident and how many chronology rows point at it. */
  async function storedFor(submissionId: string) {
    const incident = await records.findBySubmission(submissionId);
    const rows = incident ? (await records.chronology(incident.pupilId)).filter((e) => e.incidentId === incident.id) : [];
    return { incident, rows: rows.length };
  }

  before(async function () {
    this.timeout(60_000);
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "keepsafe-bot-"));
    cosmos = await startLocalCosmos({ dataDir });
    stores = await createCosmosStores({ endpoint: cosmos.endpoint, key: cosmos.key, caPem: cosmos.caPem, databaseId: "keepsafe-bot" });
    records = stores.recordStore;
    await ensureDemoSchool(stores.schoolStore, systemClock);
    service = new KeepsafeService({ schools: stores.schoolStore, records, clock: systemClock });
    harness = await startBotHarness(service);
  });
  after(async () => {
    await harness?.close();
    stores?.dispose();
    await cosmos?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });
  beforeEach(() => {
    conversationId = `a:${randomUUID()}`;
  });

  it("answers a first message with the record-concern form, to the right conversation", async () => {
    const card = await openForm();
    assert.equal(card.version, "1.5");
    const pupil = input(card, "pupilId");
    assert.equal(pupil.style, "filtered");
    assert.deepEqual(pupil["choices.data"], { type: "Data.Query", dataset: "pupils", associatedInputs: "auto" });
    assert.match(card.actions[0].data.submissionId, /^[0-9a-f-]{36}$/);
    // A member of staff may not allocate Child Protection: the form does not offer it.
    assert.ok(!input(card, "categoryIds").choices.some((c: Json) => c.value === "child-protection"));
    assert.equal(harness.sent.at(-1)!.conversationId, conversationId);
  });

  it("gives every form its own submissionId", async () => {
    const a = await openForm();
    const b = await openForm();
    assert.notEqual(a.actions[0].data.submissionId, b.actions[0].data.submissionId);
  });

  it("greets a new install (conversationUpdate, membersAdded) with the form", async () => {
    const before = harness.sent.length;
    const res = await harness.post(activity({ type: "conversationUpdate", membersAdded: [{ id: "28:keepsafe-bot" }] }));
    assert.equal(res.status, 200);
    const sent = await harness.waitForSent(before + 1);
    assert.match(cardText(sent[before].activity.attachments![0].content), /Record a concern/);
  });

  it("answers the pupil typeahead with names, year group and class", async () => {
    const res = await searchPupils("amelia");
    assert.equal(res.status, 200);
    const body = res.body as Json;
    assert.equal(body.type, "application/vnd.microsoft.search.searchResponse");
    assert.ok(body.value.results.length > 0 && body.value.results.length <= 15);
    for (const r of body.value.results) {
      assert.match(r.title, /^Amelia .+ \((Reception|Year \d), \w+\)$/);
      assert.equal(typeof r.value, "string");
    }
  });

  it("records a concern from Action.Execute and replaces the form with a read-only confirmation", async () => {
    const data = await filledForm(await openForm());
    const res = await execute(data);
    assert.equal(res.status, 200);
    const body = res.body as Json;
    assert.equal(body.statusCode, 200);
    assert.equal(body.type, "application/vnd.microsoft.card.adaptive");
    const { incident: stored } = await storedFor(data.submissionId);
    assert.ok(stored, "the incident is stored");
    assert.equal(stored.source, "bot");
    assert.deepEqual(stored.categoryIds, ["welfare", "attendance"]);
    assert.equal(stored.occurredAt, wallClockToIso(data.occurredDate, data.occurredTime, "Europe/London"));
    assert.ok(stored.alertedStaffIds.includes(dsl.oid));
    const text = cardText(body.value);
    assert.ok(text.includes(stored.reference));
    assert.ok(text.includes(IMMUTABLE_NOTICE));
    assert.ok(text.includes("Helen Okafor"), "names who was alerted");
    assert.ok(text.includes("mum forgot"), "shows the account as written");
    assert.ok(!elements(body.value).some((e) => String(e.type).startsWith("Input.")), "read-only");
    assert.equal(body.value.actions, undefined);
  });

  it("stores one record when the same form is submitted twice", async () => {
    const data = await filledForm(await openForm());
    const first = await execute(data);
    const second = await execute(data);
    assert.equal((second.body as Json).statusCode, 200);
    assert.match(cardText((second.body as Json).value), /already recorded/);
    const { incident, rows } = await storedFor(data.submissionId);
    assert.equal(rows, 1, "one chronology entry");
    assert.ok(cardText((first.body as Json).value).includes(incident!.reference));
    assert.ok(cardText((second.body as Json).value).includes(incident!.reference));
  });

  it("returns the form with problems beside the fields and every value kept", async () => {
    const card = await openForm();
    const data: Json = { ...(await filledForm(card)), categoryIds: "", account: "too short" };
    const res = await execute(data);
    assert.equal(res.status, 200);
    const body = res.body as Json;
    assert.equal(body.type, "application/vnd.microsoft.card.adaptive");
    assert.equal((await storedFor(data.submissionId)).incident, undefined, "nothing stored");
    const again = body.value;
    assert.equal(again.actions[0].data.submissionId, data.submissionId, "same form, same id");
    assert.equal(input(again, "account").value, "too short");
    assert.equal(input(again, "pupilId").value, data.pupilId);
    assert.equal(input(again, "location").value, "Playground");
    const body0 = elements(again);
    const after = (id: string) => body0[body0.findIndex((e) => e.id === id) + 1];
    assert.equal(after("account").color, "Attention");
    assert.match(after("categoryIds").text, /at least one category/);
    // The chosen pupil keeps their name, not just an id.
    assert.match(input(again, "pupilId").choices[0].title, /\(.+, .+\)$/);
  });

  it("refuses a DSL-only category from a member of staff, beside the categories", async () => {
    const data = { ...(await filledForm(await openForm())), categoryIds: "child-protection" };
    const res = await execute(data);
    const again = (res.body as Json).value;
    assert.match(cardText(again), /Only a DSL can allocate Child Protection/);
  });

  it("answers someone not on the staff list with a Teams error, not a card", async () => {
    const card = await openForm();
    const data = await filledForm(card);
    const res = await execute(data, randomUUID());
    assert.equal(res.status, 200);
    const body = res.body as Json;
    assert.equal(body.type, "application/vnd.microsoft.error");
    assert.equal(body.statusCode, 400);
    assert.equal(body.value.code, "unauthenticated");
  });

  it("takes the Action.Submit fallback through the same path and replies with the confirmation", async () => {
    const data = await filledForm(await openForm());
    const before = harness.sent.length;
    const res = await harness.post(activity({ type: "message", value: data }));
    assert.equal(res.status, 200);
    const sent = await harness.waitForSent(before + 1);
    const { incident: stored } = await storedFor(data.submissionId);
    assert.ok(stored);
    const text = cardText(sent[before].activity.attachments![0].content);
    assert.ok(text.includes(stored.reference) && text.includes(IMMUTABLE_NOTICE));
  });

  it("answers an unexpected failure with a Teams error that says nothing was lost, leaving the form", async () => {
    const data = await filledForm(await openForm());
    const failing = await startBotHarness({
      resolveActor: (id, o) => service.resolveActor(id, o),
      formOptions: (a) => service.formOptions(a),
      searchPupils: (a, q, t) => service.searchPupils(a, q, t),
      recentPupils: (a) => service.recentPupils(a),
      pupilsByIds: (a, ids) => service.pupilsByIds(a, ids),
      pupilsForTypedName: (a, t) => service.pupilsForTypedName(a, t),
      recordIncident: async () => {
        throw new Error("socket hang up");
      },
    });
    try {
      const res = await failing.post(
        activity({ type: "invoke", name: "adaptiveCard/action", value: { action: { type: "Action.Execute", verb: "submitConcern", data } } }),
      );
      const body = res.body as Json;
      assert.equal(res.status, 200);
      assert.equal(body.type, "application/vnd.microsoft.error");
      assert.equal(body.statusCode, 500);
      assert.match(body.value.message, /Nothing you typed has been lost/);
      assert.ok(!JSON.stringify(body).includes("socket hang up"), "internal detail stays in the server");
    } finally {
      await failing.close();
    }
  });

  it("keeps forms out of group chats and channels", async () => {
    const before = harness.sent.length;
    await harness.post({ ...activity({ type: "message", text: "hi" }), conversation: { id: conversationId, conversationType: "channel" } });
    const sent = await harness.waitForSent(before + 1);
    assert.equal(sent[before].activity.text, PERSONAL_CHAT_ONLY);
    assert.equal(sent[before].activity.attachments?.length ?? 0, 0);
  });
});
