/**
 * The bot's door, /api/messages, against what a hostile page or a forged activity sends, on a
 * whole Keepsafe in local mode over real HTTP:
 * finding 2 — only application/json is taken, so a cross-site form post cannot reach the bot;
 * finding 8 — a malformed body is a 400 with no internals;
 * finding 3 — in local mode a serviceUrl that is not loopback is refused and never kept, so the
 *             DSL's next alert card still goes to their own chat;
 * finding 5 — another tenant is refused, and forms and dialogs are personal-chat only.
 */
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { wallClockNow } from "../../src/domain/wall-clock.js";
import { OTHER_TENANT, PERSONAL_CHAT_ONLY } from "../../bot/activity-scope.js";
import { startTestKeepsafe, staffByRole, type TestKeepsafe } from "../support/keepsafe-instance.js";
import { BotConversation, cardText, chatWithPupil } from "../support/bot-conversation.js";

type Json = Record<string, any>;

const teacher = staffByRole(/^Teacher \(Year 3\)/);
const dsl = staffByRole(/^DSL/);
const OTHER_TENANT_ID = "9f8e7d6c-5b4a-4321-8fed-cba987654321";

describe("security: findings 2, 3, 5 and 8 — the bot endpoint", function () {
  this.timeout(60_000);
  let keepsafe: TestKeepsafe;
  let chat: BotConversation;
  let pupilId: string;

  before(async () => {
    keepsafe = await startTestKeepsafe();
    ({ chat, pupilId } = await chatWithPupil(keepsafe, teacher));
  });
  after(async () => keepsafe?.cleanup());

  const post = (body: string, contentType?: string) =>
    fetch(`${keepsafe.url}/api/messages`, { method: "POST", headers: contentType ? { "content-type": contentType } : {}, body });

  /** A concern the bot would record, by Action.Execute. */
  function concern(): Json {
    const anHourAgo = wallClockNow(new Date(Date.now() - 60 * 60_000), "Europe/London");
    return {
      verb: "submitConcern",
      submissionId: randomUUID(),
      pupilId,
      categoryIds: "attendance",
      occurredDate: anHourAgo.date,
      occurredTime: anHourAgo.time,
      account: "Arrived at 10:40 with no note; said they had been at home.",
      alertStaffIds: dsl.oid,
    };
  }
  const executeActivity = (data: Json) => ({
    type: "invoke",
    name: "adaptiveCard/action",
    value: { action: { type: "Action.Execute", verb: "submitConcern", data }, trigger: "manual" },
  });
  const stored = (submissionId: string) => keepsafe.service["deps"].records.findBySubmission(submissionId);

  describe("security: finding 2 — cross-site posts to the bot", () => {
    for (const [contentType, body] of [
      ["application/x-www-form-urlencoded", "type=message&text=hello"],
      ["text/plain", JSON.stringify({ type: "message", text: "hello" })],
      ["multipart/form-data; boundary=x", "--x\r\nContent-Disposition: form-data; name=type\r\n\r\nmessage\r\n--x--\r\n"],
      [undefined, JSON.stringify({ type: "message" })],
    ] as const) {
      it(`answers ${contentType ?? "no content type"} with 415 and a JSON error`, async () => {
        const res = await post(body, contentType);
        assert.equal(res.status, 415);
        assert.match(res.headers.get("content-type") ?? "", /application\/json/);
        assert.deepEqual(await res.json(), { error: { code: "unsupported_media_type", message: "The bot accepts application/json only." } });
      });
    }

    it("records nothing from a concern posted as text/plain, and still takes application/json with a charset", async () => {
      const data = concern();
      const activity = chatActivity(data);
      const refused = await post(JSON.stringify(activity), "text/plain");
      assert.equal(refused.status, 415);
      assert.equal(await stored(data.submissionId), undefined);
      const taken = await post(JSON.stringify(activity), "application/json; charset=utf-8");
      assert.equal(taken.status, 200);
      assert.ok(await stored(data.submissionId), "the same activity as JSON is recorded");
    });
  });

  /** A whole activity as BotConversation builds it. */
  function chatActivity(data: Json): Json {
    return {
      id: `act-${randomUUID()}`,
      channelId: "msteams",
      serviceUrl: `${keepsafe.url}/local-connector/`,
      from: { id: `29:${teacher.oid}`, aadObjectId: teacher.oid, name: teacher.displayName },
      recipient: { id: "28:keepsafe-bot", name: "Keepsafe" },
      conversation: { id: chat.conversationId, conversationType: "personal", tenantId: keepsafe.config.identity.tenantId },
      channelData: { tenant: { id: keepsafe.config.identity.tenantId } },
      ...executeActivity(data),
    };
  }

  describe("security: finding 8 — malformed bot bodies", () => {
    for (const [what, body] of [
      ["bad JSON", '{"type": "message",'],
      ["an array", "[1, 2]"],
      ["a string", '"message"'],
      ["null", "null"],
      ["an activity with no type", JSON.stringify({ text: "hi", serviceUrl: "http://127.0.0.1:1/" })],
      ["an activity whose type is a number", JSON.stringify({ type: 42, serviceUrl: "http://127.0.0.1:1/" })],
      ["an activity whose type is empty", JSON.stringify({ type: "", serviceUrl: "http://127.0.0.1:1/" })],
      ["an activity with no serviceUrl", JSON.stringify({ type: "message", text: "hi" })],
    ] as const) {
      it(`answers ${what} with 400 and no internals`, async () => {
        const res = await post(body, "application/json");
        assert.equal(res.status, 400);
        const text = await res.text();
        assert.deepEqual(JSON.parse(text), { error: { code: "bad_activity", message: "The request body is not a Bot Framework activity." } });
        assert.doesNotMatch(text, /validateAndFixActivity|Unexpected|JSON at|\.ts|\.js|node_modules|\/work\//);
      });
    }
  });

  describe("security: finding 3 — the serviceUrl in local mode", () => {
    it("refuses a forged activity pointing at another address, and the DSL's next alert card still reaches their own chat", async () => {
      const dslChat = new BotConversation(keepsafe.url, keepsafe.local.connector!, dsl, keepsafe.config.identity.tenantId);
      await dslChat.sendAndWaitForCard("hello"); // Keepsafe now knows where the DSL's alert cards go.
      for (const serviceUrl of ["https://attacker.example/", "http://127.0.0.1.attacker.example/", "http://localhost@attacker.example/"]) {
        const forged = await dslChat.post({ type: "message", text: "hello", serviceUrl });
        assert.equal(forged.status, 403, serviceUrl);
        assert.match(forged.body.error.message, /serviceUrl must be a loopback address/);
      }

      const data = concern();
      const res = await chat.execute("submitConcern", data);
      assert.match(JSON.stringify(res.body), /KS-[A-Z0-9]{7}/);
      const incident = await stored(data.submissionId);
      const card = await keepsafe.local.connector!.waitForActivity(
        dslChat.conversationId,
        (a) => JSON.stringify(a.attachments ?? []).includes(incident!.id),
        20_000,
      );
      assert.ok(card, "the alert card went to the DSL's own chat, not to the forged address");
    });
  });

  describe("security: finding 5 — other tenants and shared chats", () => {
    const tenantVariants = () => ({
      "another tenant": {
        conversation: { id: chat.conversationId, conversationType: "personal", tenantId: OTHER_TENANT_ID },
        channelData: { tenant: { id: OTHER_TENANT_ID } },
      },
      "the school's tenant in conversation but another in channelData": {
        conversation: { id: chat.conversationId, conversationType: "personal", tenantId: keepsafe.config.identity.tenantId },
        channelData: { tenant: { id: OTHER_TENANT_ID } },
      },
      "no tenant at all": { conversation: { id: chat.conversationId, conversationType: "personal" }, channelData: {} },
    });

    it("refuses a concern, a search, a dialog and the message extension from another tenant, storing nothing", async () => {
      for (const [what, scope] of Object.entries(tenantVariants())) {
        const data = concern();
        const execute = await chat.post({ ...executeActivity(data), ...scope });
        assert.equal(execute.body.statusCode, 403, what);
        assert.equal(execute.body.value.message, OTHER_TENANT);
        assert.equal(await stored(data.submissionId), undefined, `${what}: nothing stored`);

        const search = await chat.post({
          type: "invoke",
          name: "application/search",
          value: { queryText: "b", dataset: "pupils", queryOptions: { skip: 0, top: 15 } },
          ...scope,
        });
        assert.equal(search.body.value.message, OTHER_TENANT, what);
        assert.doesNotMatch(JSON.stringify(search.body), /pupil-/);

        const dialog = await chat.post({
          type: "invoke",
          name: "task/fetch",
          value: { data: { dialog: "body-map", submissionId: randomUUID() } },
          ...scope,
        });
        assert.deepEqual(dialog.body, { task: { type: "message", value: OTHER_TENANT } }, what);

        const me = await chat.post({
          type: "invoke",
          name: "composeExtension/submitAction",
          value: { commandId: "recordConcern", data: concern() },
          ...scope,
        });
        assert.deepEqual(me.body, { task: { type: "message", value: OTHER_TENANT } }, what);
      }
    });

    it("answers a chat message from another tenant with a polite refusal and no form", async () => {
      const before = keepsafe.local.connector!.activities(chat.conversationId).length;
      const res = await chat.post({ type: "message", text: "hello", ...tenantVariants()["another tenant"] });
      assert.ok(res.status < 300);
      const reply = await keepsafe.local.connector!.waitForActivity(
        chat.conversationId,
        (a) => keepsafe.local.connector!.activities(chat.conversationId).indexOf(a) >= before,
      );
      assert.equal(reply.text, OTHER_TENANT);
      assert.equal(reply.attachments, undefined);
    });

    for (const conversationType of ["groupChat", "channel"]) {
      it(`serves concern submits, refreshes and dialogs in personal chat only, not in a ${conversationType}`, async () => {
        const shared = { conversation: { id: `19:${randomUUID()}@thread.v2`, conversationType, tenantId: keepsafe.config.identity.tenantId } };
        const data = concern();
        const execute = await chat.post({ ...executeActivity(data), ...shared });
        assert.equal(execute.body.value.message, PERSONAL_CHAT_ONLY);
        assert.equal(await stored(data.submissionId), undefined);

        const refresh = await chat.post({
          type: "invoke",
          name: "adaptiveCard/action",
          value: { action: { type: "Action.Execute", verb: "refreshConcernForm", data }, trigger: "manual" },
          ...shared,
        });
        assert.equal(refresh.body.value.message, PERSONAL_CHAT_ONLY);

        const fallback = await chat.post({ type: "message", value: data, ...shared });
        assert.ok(fallback.status < 300);
        assert.equal(await stored(data.submissionId), undefined, "the Action.Submit fallback records nothing either");

        // Pupil search stays: the message extension's dialog types into it from where the message was,
        // and the answer goes to the person typing only.
        const search = await chat.post({
          type: "invoke",
          name: "application/search",
          value: { queryText: "b", dataset: "pupils", queryOptions: { skip: 0, top: 15 } },
          ...shared,
        });
        assert.ok(search.body.value.results.length > 0);

        for (const name of ["task/fetch", "task/submit"]) {
          const dialog = await chat.post({
            type: "invoke",
            name,
            value: { data: { dialog: "body-map", submissionId: randomUUID(), marks: [] } },
            ...shared,
          });
          assert.deepEqual(dialog.body, { task: { type: "message", value: PERSONAL_CHAT_ONLY } }, name);
        }

        // The message extension's dialog is personal to the user wherever the message was.
        const me = await chat.post({
          type: "invoke",
          name: "composeExtension/fetchTask",
          value: {
            commandId: "recordConcern",
            commandContext: "message",
            messagePayload: { id: "1", body: { contentType: "text", content: "Words" } },
          },
          ...shared,
        });
        assert.equal(me.body.task.type, "continue");
        assert.match(cardText(me.body.task.value.card.content), /Record a concern/);
      });
    }
  });
});
