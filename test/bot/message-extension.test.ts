/**
 * The message extension ("Record a concern about this") and the body map dialog, over real HTTP
 * at /api/messages as Teams sends them, with the real KeepsafeService over the demo school in the
 * embedded Cosmos DB server. Invoke answers are read from the HTTP response.
 */
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createCosmosStores, type CosmosStores } from "../../src/adapters/cosmos/create-cosmos-stores.js";
import { KeepsafeService } from "../../src/app/keepsafe-service.js";
import { InMemoryDraftStore } from "../../src/domain/files.js";
import { startLocalCosmos, type LocalCosmos } from "../../src/local/cosmos/local-cosmos.js";
import { DEMO_STAFF, ensureDemoSchool } from "../../src/local/demo-school.js";
import { systemClock } from "../../src/ports/clock.js";
import type { RecordStore } from "../../src/ports/record-store.js";
import { IMMUTABLE_NOTICE } from "../../bot/cards/confirmation-card.js";
import { wallClockNow } from "../../src/domain/wall-clock.js";
import { startBotHarness, type BotHarness } from "./support/bot-harness.js";
import { elements, input, type Json } from "./support/card-helpers.js";

const teacher = DEMO_STAFF.find((s) => s.role === "STAFF")!;
const colleague = DEMO_STAFF.filter((s) => s.role === "STAFF")[1]!;
const dsl = DEMO_STAFF.find((s) => s.role === "DSL")!;
const PUBLIC_URL = "https://keepsafe.school.example";

describe("message extension and dialogs over HTTP", function () {
  this.timeout(30_000);
  let harness: BotHarness;
  let records: RecordStore;
  let drafts: InMemoryDraftStore;
  let dataDir: string;
  let cosmos: LocalCosmos | undefined;
  let stores: CosmosStores | undefined;
  const conversationId = `19:${randomUUID()}@thread.v2`;

  // Message actions come from group chats and channels too; the dialog keeps them private.
  const activity = (extra: Json, from = teacher.oid): Json => harness.activity(extra, from, { id: conversationId, conversationType: "groupChat" });
  const invoke = (name: string, value: Json, from?: string) => harness.post(activity({ type: "invoke", name, value }, from));
  // Dialogs open from the chat form, which lives in the person's personal chat with Keepsafe.
  const dialogInvoke = (name: string, value: Json, from = teacher.oid) =>
    harness.post(harness.activity({ type: "invoke", name, value }, from, { id: `a:${from}`, conversationType: "personal" }));

  const messagePayload = {
    id: "1700000000000",
    createdDateTime: "2025-03-12T10:15:00.000Z",
    from: { user: { id: "u1", displayName: "Chloe Martin", userIdentityType: "aadUser" } },
    body: {
      contentType: "html",
      content:
        "<p>J.S. told me at break: &quot;I don&#39;t want to go home&quot;</p><p>He had a <b>bruise</b> on his arm &amp; seemed upset.<br>I said I would tell someone.</p>",
    },
  };
  const expectedAccount =
    'J.S. told me at break: "I don\'t want to go home"\nHe had a bruise on his arm & seemed upset.\nI said I would tell someone.';

  async function fetchTask(): Promise<Json> {
    const res = await invoke("composeExtension/fetchTask", { commandId: "recordConcern", commandContext: "message", messagePayload });
    assert.equal(res.status, 200);
    return res.body as Json;
  }

  async function filledData(card: Json): Promise<Json> {
    const search = await invoke("application/search", { queryText: "a", dataset: "pupils", queryOptions: { skip: 0, top: 15 } });
    const pupil = (search.body as Json).value.results[0];
    const anHourAgo = wallClockNow(new Date(Date.now() - 60 * 60 * 1000), "Europe/London");
    return {
      ...card.actions[0].data,
      pupilId: pupil.value,
      categoryIds: "welfare",
      occurredDate: anHourAgo.date,
      occurredTime: anHourAgo.time,
      session: "lunch",
      account: input(card, "account").value,
      alertStaffIds: dsl.oid,
      alertGroupIds: "",
      subCategoryIds: "",
    };
  }

  before(async function () {
    this.timeout(60_000);
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "keepsafe-me-"));
    cosmos = await startLocalCosmos({ dataDir });
    stores = await createCosmosStores({ endpoint: cosmos.endpoint, key: cosmos.key, caPem: cosmos.caPem, databaseId: "keepsafe-me" });
    records = stores.recordStore;
    await ensureDemoSchool(stores.schoolStore, systemClock);
    drafts = new InMemoryDraftStore();
    const service = new KeepsafeService({ schools: stores.schoolStore, records, drafts, clock: systemClock });
    harness = await startBotHarness(service, { dialogs: { publicUrl: PUBLIC_URL, drafts: service } });
  });
  after(async () => {
    await harness?.close();
    stores?.dispose();
    await cosmos?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  describe("Record a concern about this (message action)", () => {
    it("opens the form in a dialog with the message's text as the account and where it came from", async () => {
      const body = await fetchTask();
      assert.equal(body.task.type, "continue");
      assert.equal(body.task.value.title, "Record a concern");
      assert.equal(body.task.value.card.contentType, "application/vnd.microsoft.card.adaptive");
      const card = body.task.value.card.content;
      assert.equal(input(card, "account").value, expectedAccount);
      // A TextRun, so the sender's display name is never read as Markdown.
      const note = elements(card)
        .flatMap((e) => (e.type === "RichTextBlock" ? e.inlines : []))
        .find((i: Json) => String(i.text).startsWith("From a Teams message"));
      // 10:15 UTC on 12 March is 10:15 in London (GMT).
      assert.match(note?.text ?? "", /^From a Teams message by Chloe Martin at .*12 Mar(ch)? 2025.*10:15/);
      // Dialog cards submit with Action.Submit (no Universal Actions in dialogs).
      assert.equal(card.actions[0].type, "Action.Submit");
      assert.match(card.actions[0].data.submissionId, /^[0-9a-f-]{36}$/);
    });

    it("records the submitted form as an incident from the message extension and shows the confirmation in the dialog", async () => {
      const card = (await fetchTask()).task.value.card.content;
      const data = await filledData(card);
      const res = await invoke("composeExtension/submitAction", { commandId: "recordConcern", commandContext: "message", data });
      assert.equal(res.status, 200);
      const body = res.body as Json;
      // Not a compose-box card: that would post the concern into the group chat.
      assert.equal(body.composeExtension, undefined);
      assert.equal(body.task.type, "continue");
      const confirmation = body.task.value.card.content;
      const stored = await records.findBySubmission(data.submissionId);
      assert.ok(stored, "the incident is stored");
      assert.equal(stored.source, "message-extension");
      assert.equal(stored.account, expectedAccount);
      assert.equal(stored.raisedBy.staffId, teacher.oid);
      const text = JSON.stringify(confirmation);
      assert.ok(text.includes(stored.reference));
      assert.ok(text.includes(IMMUTABLE_NOTICE));
      // The same form sent twice stores one record.
      const again = await invoke("composeExtension/submitAction", { commandId: "recordConcern", commandContext: "message", data });
      assert.match(JSON.stringify((again.body as Json).task.value.card.content), /already recorded/);
    });

    it("returns the form with problems and every value kept, storing nothing", async () => {
      const card = (await fetchTask()).task.value.card.content;
      const data: Json = { ...(await filledData(card)), categoryIds: "", account: "too short" };
      const res = await invoke("composeExtension/submitAction", { commandId: "recordConcern", commandContext: "message", data });
      const body = res.body as Json;
      assert.equal(body.task.type, "continue");
      const again = body.task.value.card.content;
      assert.equal(await records.findBySubmission(data.submissionId), undefined);
      assert.equal(again.actions[0].data.submissionId, data.submissionId);
      assert.equal(input(again, "account").value, "too short");
      assert.equal(input(again, "pupilId").value, data.pupilId);
      assert.match(JSON.stringify(again), /at least one category/);
      assert.match(JSON.stringify(again), /From a Teams message by Chloe Martin/);
    });

    it("tells someone not on the staff list plainly, in the dialog", async () => {
      const res = await invoke("composeExtension/fetchTask", { commandId: "recordConcern", commandContext: "message", messagePayload }, randomUUID());
      const body = res.body as Json;
      assert.equal(body.task.type, "message");
      assert.match(body.task.value, /not on this school's Keepsafe staff list/);
    });
  });

  describe("body map dialog", () => {
    it("puts a Body map button on the chat form that opens a task/fetch dialog", async () => {
      const before = harness.sent.length;
      await harness.post({ ...activity({ type: "message", text: "hi" }), conversation: { id: `a:${randomUUID()}`, conversationType: "personal" } });
      const sent = await harness.waitForSent(before + 1);
      const card = sent[before].activity.attachments![0].content as Json;
      const button = card.actions.find((a: Json) => a.title === "Body map");
      assert.deepEqual(button, {
        type: "Action.Submit",
        title: "Body map",
        data: { msteams: { type: "task/fetch" }, dialog: "body-map", submissionId: card.actions[0].data.submissionId },
      });
    });

    it("answers task/fetch with the body map page's URL for this form", async () => {
      const submissionId = randomUUID();
      const res = await dialogInvoke("task/fetch", {
        data: { msteams: { type: "task/fetch" }, dialog: "body-map", submissionId },
        context: { theme: "default" },
      });
      assert.equal(res.status, 200);
      assert.deepEqual((res.body as Json).task, {
        type: "continue",
        value: {
          title: "Body map",
          height: 600,
          width: 800,
          url: `${PUBLIC_URL}/dialogs/body-map.html?submissionId=${submissionId}`,
          fallbackUrl: `${PUBLIC_URL}/dialogs/body-map.html?submissionId=${submissionId}`,
        },
      });
    });

    it("keeps valid marks from task/submit as the form's draft", async () => {
      const submissionId = randomUUID();
      const marks = [
        { side: "front", x: 0.3, y: 0.45, colour: "Purple", shape: "Bruise", size: "3 cm", note: "Left forearm" },
        { side: "back", x: 0.5, y: 0.2 },
      ];
      const res = await dialogInvoke("task/submit", { data: { dialog: "body-map", submissionId, marks } });
      assert.equal(res.status, 200);
      assert.equal((res.body as Json).task.type, "message");
      assert.match((res.body as Json).task.value, /saved with 2 marks/);
      const draft = await drafts.get({ staffId: teacher.oid, schoolId: await teacherSchool() }, submissionId);
      assert.deepEqual(draft?.bodyMap?.marks, marks);
      assert.equal(draft?.bodyMap?.recordedBy, teacher.oid);
      // Someone else using the form id saves to a draft of their own: the teacher's is untouched.
      const other = await dialogInvoke("task/submit", { data: { dialog: "body-map", submissionId, marks: [] } }, colleague.oid);
      assert.equal(other.status, 200);
      assert.deepEqual((await drafts.get({ staffId: teacher.oid, schoolId: await teacherSchool() }, submissionId))?.bodyMap?.marks, marks);
      // Reopening says how many marks are kept.
      const reopened = await dialogInvoke("task/fetch", { data: { msteams: { type: "task/fetch" }, dialog: "body-map", submissionId } });
      assert.equal((reopened.body as Json).task.value.title, "Body map (2 marks saved)");
    });

    for (const [what, marks, message] of [
      ["a mark off the outline", [{ side: "front", x: 1.4, y: 0.5 }], /must be on the outline/],
      ["a side that is neither front nor back", [{ side: "left", x: 0.4, y: 0.5 }], /front or the back/],
      ["too many marks", Array.from({ length: 21 }, () => ({ side: "front", x: 0.5, y: 0.5 })), /at most 20 marks/],
      ["a note that is too long", [{ side: "back", x: 0.5, y: 0.5, note: "x".repeat(501) }], /at most 500 characters/],
    ] as const) {
      it(`refuses ${what} with a clear message and keeps nothing`, async () => {
        const submissionId = randomUUID();
        const res = await dialogInvoke("task/submit", { data: { dialog: "body-map", submissionId, marks } });
        const task = (res.body as Json).task;
        assert.equal(task.type, "message");
        assert.match(task.value, /^The body map was not saved: /);
        assert.match(task.value, message);
        assert.equal(await drafts.get({ staffId: teacher.oid, schoolId: await teacherSchool() }, submissionId), undefined);
      });
    }
  });

  /** The teacher's school id, as the draft store keys owners by it. */
  async function teacherSchool(): Promise<string> {
    const member = await stores!.schoolStore.findStaffById(teacher.oid);
    return member!.schoolId;
  }
});
