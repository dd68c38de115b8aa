/**
 * Finding 1: card data naming `__proto__`, `constructor` or `prototype` (as a key, or as a part of
 * a dotted key such as `categoryFields.__proto__.agencyInvolved`) once changed Object.prototype for
 * the whole process. Through the real /api/messages, by each door a concern comes in by, the bot
 * must refuse such data with a clear answer, store nothing and leave Object.prototype alone.
 */
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { wallClockNow } from "../../src/domain/wall-clock.js";
import { startTestKeepsafe, staffByRole, type TestKeepsafe } from "../support/keepsafe-instance.js";
import { BotConversation, cardText, chatWithPupil } from "../support/bot-conversation.js";
import { shownText } from "../support/card-markdown.js";

type Json = Record<string, unknown>;

/** Keys set on Object.prototype by an attack that worked; removed so one failure does not spoil the rest of the run. */
const PROTOTYPE_KEYS = Object.getOwnPropertyNames(Object.prototype);
function pollutedKeys(): string[] {
  const added = Object.getOwnPropertyNames(Object.prototype).filter((k) => !PROTOTYPE_KEYS.includes(k));
  for (const k of added) delete (Object.prototype as Json)[k];
  return added;
}

/** A JSON object with `key` as an own property (an object literal's `__proto__:` would set the prototype instead). */
const withKey = (base: Json, key: string, value: unknown): Json => Object.defineProperty({ ...base }, key, { value, enumerable: true });

const ATTACKS: { name: string; data: (base: Json) => Json }[] = [
  {
    name: "categoryIds __proto__ with categoryFields.__proto__.agencyInvolved",
    data: (b) => ({ ...b, categoryIds: "__proto__", "categoryFields.__proto__.agencyInvolved": "X" }),
  },
  { name: "categoryFields.behaviour.__proto__", data: (b) => ({ ...b, categoryIds: "behaviour", "categoryFields.behaviour.__proto__": "X" }) },
  { name: "categoryFields.constructor.prototype", data: (b) => ({ ...b, categoryIds: "constructor", "categoryFields.constructor.prototype": "X" }) },
  { name: "subCategories.__proto__", data: (b) => ({ ...b, categoryIds: "__proto__", "subCategories.__proto__": "X" }) },
  { name: "__proto__ as a top-level key", data: (b) => withKey(b, "__proto__", { agencyInvolved: "X" }) },
  { name: "constructor as a top-level key", data: (b) => withKey(b, "constructor", { prototype: { agencyInvolved: "X" } }) },
  { name: "prototype as a top-level key", data: (b) => withKey(b, "prototype", "X") },
];
const UNSAFE_ANSWER = /__proto__, constructor or prototype/;

const UNKNOWN: { name: string; data: (base: Json) => Json }[] = [
  { name: "an unknown field of a known category", data: (b) => ({ ...b, categoryIds: "behaviour", "categoryFields.behaviour.no-such-field": "X" }) },
  { name: "a category the school does not have", data: (b) => ({ ...b, "categoryFields.no-such-category.outcomes": "X" }) },
];
const UNKNOWN_ANSWER = /category or field this school does not have/;

describe("security: finding 1 — card payloads cannot pollute prototypes", function () {
  this.timeout(60_000);
  let keepsafe: TestKeepsafe;
  const teacher = staffByRole(/^Teacher \(Year 3\)/);
  const dsl = staffByRole(/^DSL/);
  let chat: BotConversation;
  let pupilId: string;

  before(async () => {
    keepsafe = await startTestKeepsafe();
    ({ chat, pupilId } = await chatWithPupil(keepsafe, teacher));
  });
  after(async () => keepsafe?.cleanup());
  afterEach(() => pollutedKeys());

  /** A concern that would be recorded but for the attack in it. */
  function base(): Json {
    const anHourAgo = wallClockNow(new Date(Date.now() - 60 * 60_000), "Europe/London");
    return {
      submissionId: randomUUID(),
      pupilId,
      categoryIds: "behaviour",
      occurredDate: anHourAgo.date,
      occurredTime: anHourAgo.time,
      account: "Pushed another pupil over in the playground at break.",
      alertStaffIds: dsl.oid,
    };
  }

  async function assertUntouched(submissionId: unknown) {
    assert.deepEqual(pollutedKeys(), [], "Object.prototype gained no keys");
    assert.equal(({} as Json).agencyInvolved, undefined);
    assert.equal(await keepsafe.service["deps"].records.findBySubmission(String(submissionId)), undefined, "nothing was stored");
  }

  for (const { name, data: make } of [...ATTACKS, ...UNKNOWN]) {
    const answer = ATTACKS.some((a) => a.name === name) ? UNSAFE_ANSWER : UNKNOWN_ANSWER;

    it(`refuses ${name} through Action.Execute`, async () => {
      const data = make(base());
      const res = await chat.execute("submitConcern", { ...data, verb: "submitConcern" });
      assert.equal(res.status, 200);
      assert.equal(res.body.type, "application/vnd.microsoft.error", JSON.stringify(res.body));
      assert.equal(res.body.statusCode, 400);
      assert.match(res.body.value.message, answer);
      await assertUntouched(data.submissionId);
    });

    it(`refuses ${name} through the Action.Submit fallback`, async () => {
      const data = make(base());
      const conversationId = chat.conversationId;
      const before = keepsafe.local.connector!.activities(conversationId).length;
      const res = await chat.post({ type: "message", value: { ...data, verb: "submitConcern" } });
      assert.ok(res.status < 300, `bot answered ${res.status}`);
      const reply = await keepsafe.local.connector!.waitForActivity(
        conversationId,
        (a) => keepsafe.local.connector!.activities(conversationId).indexOf(a) >= before,
      );
      assert.match(shownText(cardText(reply)), answer);
      await assertUntouched(data.submissionId);
    });

    it(`refuses ${name} through the message extension's submitAction`, async () => {
      const data = make(base());
      const res = await chat.post({
        type: "invoke",
        name: "composeExtension/submitAction",
        value: { commandId: "recordConcern", commandContext: "message", data: { ...data, originMessage: { messageId: "1" } } },
      });
      assert.equal(res.status, 200);
      assert.equal(res.body.task.type, "message", JSON.stringify(res.body));
      assert.match(res.body.task.value, answer);
      await assertUntouched(data.submissionId);
    });
  }

  it("refuses __proto__ inside the message extension's originMessage", async () => {
    const data = base();
    const res = await chat.post({
      type: "invoke",
      name: "composeExtension/submitAction",
      value: {
        commandId: "recordConcern",
        commandContext: "message",
        data: { ...data, originMessage: withKey({ messageId: "1" }, "__proto__", { sender: "X" }) },
      },
    });
    assert.match(res.body.task.value, UNSAFE_ANSWER);
    await assertUntouched(data.submissionId);
  });

  it("refuses __proto__ in the alert card's and the dialogs' data", async () => {
    const alert = await chat.execute("acknowledgeAlert", withKey({ incidentId: "x" }, "__proto__", { agencyInvolved: "X" }));
    assert.equal(alert.body.type, "application/vnd.microsoft.error");
    assert.match(alert.body.value.message, UNSAFE_ANSWER);
    const fetched = await chat.post({
      type: "invoke",
      name: "task/fetch",
      value: { data: withKey({ dialog: "body-map", submissionId: randomUUID() }, "constructor", { prototype: { agencyInvolved: "X" } }) },
    });
    assert.match(fetched.body.task.value, UNSAFE_ANSWER);
    const submitted = await chat.post({
      type: "invoke",
      name: "task/submit",
      value: { data: withKey({ dialog: "body-map", submissionId: randomUUID(), marks: [] }, "__proto__", { agencyInvolved: "X" }) },
    });
    assert.match(submitted.body.task.value, UNSAFE_ANSWER);
    assert.deepEqual(pollutedKeys(), []);
  });

  it("still records a concern with a category's own fields", async () => {
    const data: Json = { ...base(), "categoryFields.behaviour.outcomes": "Near miss" };
    const res = await chat.execute("submitConcern", { ...data, verb: "submitConcern" });
    assert.match(JSON.stringify(res.body), /KS-[A-Z0-9]{7}/);
    const stored = await keepsafe.service["deps"].records.findBySubmission(String(data.submissionId));
    assert.deepEqual({ ...stored?.categoryFields }, { behaviour: { outcomes: ["Near miss"] } });
  });
});
