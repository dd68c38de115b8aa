/**
 * Every card the bot sends, collected over the Bot Framework protocol from the running stack, is
 * an Adaptive Card 1.5 as Teams reads it: no parse or validation problems in the real renderer at
 * target version 1.5, and no property the 1.5 object model does not know (see adaptive-card-check).
 */
import assert from "node:assert/strict";
import { adaptiveCard15Problems } from "../support/adaptive-card-check.js";
import { startTestKeepsafe, staffByRole, type TestKeepsafe } from "../support/keepsafe-instance.js";
import { BotConversation, findActions } from "../support/bot-conversation.js";

describe("cards are Adaptive Cards 1.5 as Teams reads them", function () {
  this.timeout(60_000);
  let keepsafe: TestKeepsafe;
  const teacher = staffByRole(/^Teacher \(Year 3\)/);
  const dsl = staffByRole(/^DSL/);

  before(async () => {
    keepsafe = await startTestKeepsafe();
  });
  after(async () => keepsafe?.cleanup());

  it("finds an unknown property, an unknown element and a wrong version", () => {
    const bad = {
      type: "AdaptiveCard",
      version: "1.4",
      body: [
        { type: "TextBlock", text: "x", colour: "Attention" },
        { type: "Carousel", pages: [] },
      ],
      actions: [{ type: "Action.Execute", title: "Go", verb: "go", fallback: { type: "Action.Submit", title: "Go", colour: "red" } }],
    };
    const problems = adaptiveCard15Problems(bad).join("\n");
    assert.match(problems, /card\.body\[0\]\.colour is not an Adaptive Cards 1\.5 property/);
    assert.match(problems, /Carousel/);
    assert.match(problems, /version is 1\.4/);
    assert.match(problems, /fallback\.colour/);
  });

  it("holds for the form, its refresh, its errors, the confirmation and the message-extension dialog", async () => {
    const chat = new BotConversation(keepsafe.url, keepsafe.local.connector!, teacher, keepsafe.config.identity.tenantId);
    const cards: [string, object][] = [];
    const form = await chat.sendAndWaitForCard("record a concern");
    cards.push(["form", form]);
    const submit = findActions(form).find((a) => a.verb === "submitConcern");
    const refresh = findActions(form).find((a) => a.verb === "refreshConcernForm");
    assert.ok(submit && refresh);
    const refreshed = await chat.execute(refresh.verb, { ...refresh.data, categoryIds: "behaviour,bullying,prejudicial,safeguarding" });
    cards.push(["form refreshed for four categories", refreshed.body.value]);
    const invalid = await chat.execute(submit.verb, {
      ...submit.data,
      pupilId: "",
      categoryIds: "welfare",
      occurredDate: "2099-01-01",
      occurredTime: "10:00",
      account: "short",
    });
    cards.push(["form with problems", invalid.body.value]);
    const pupil = (await chat.search("a")).body.value.results[0];
    const ok = await chat.execute(submit.verb, {
      ...submit.data,
      pupilId: pupil.value,
      categoryIds: "welfare",
      occurredDate: "2026-01-05",
      occurredTime: "09:30",
      account: "Came in without a coat in the snow and said the heating is off at home.",
      alertStaffIds: dsl.oid,
    });
    cards.push(["confirmation", ok.body.value]);
    const task = await chat.post({
      type: "invoke",
      name: "composeExtension/fetchTask",
      value: {
        commandId: "recordConcern",
        commandContext: "message",
        messagePayload: {
          id: "m1",
          body: { contentType: "html", content: "<p>Saw a mark on the wrist</p>" },
          from: { user: { displayName: "A Colleague" } },
          createdDateTime: new Date().toISOString(),
        },
      },
    });
    cards.push(["message-extension form", task.body.task.value.card.content]);
    for (const [name, card] of cards) {
      assert.deepEqual(adaptiveCard15Problems(card), [], name);
    }
    for (const [name, card] of cards.slice(0, 3)) {
      const titles = findActions(card).map((a) => a.title);
      assert.ok(titles.includes("Body map") && titles.includes("Attach files"), `${name} keeps its dialog buttons`);
    }
  });
});
