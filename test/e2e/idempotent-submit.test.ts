/**
 * The same card submitted twice (a double click, a Teams retry of the invoke) makes one incident
 * and one set of alerts, whether the second arrives after the first or at the same time.
 */
import assert from "node:assert/strict";
import { wallClockNow } from "../../src/domain/wall-clock.js";
import { startTestKeepsafe, staffByRole, type TestKeepsafe } from "../support/keepsafe-instance.js";
import { BotConversation, findActions } from "../support/bot-conversation.js";

describe("idempotent submit", function () {
  this.timeout(60_000);
  let keepsafe: TestKeepsafe;
  const teacher = staffByRole(/^Teacher \(Year 3\)/);
  const dsl = staffByRole(/^DSL/);

  before(async () => {
    keepsafe = await startTestKeepsafe();
  });
  after(async () => keepsafe?.cleanup());

  async function freshForm(chat: BotConversation) {
    const form = await chat.sendAndWaitForCard("record a concern");
    return findActions(form).find((a) => a.type === "Action.Execute" && a.verb === "submitConcern");
  }

  function formData(submit: any, pupilId: string) {
    const anHourAgo = wallClockNow(new Date(Date.now() - 60 * 60_000), "Europe/London");
    return {
      ...submit.data,
      pupilId,
      categoryIds: "attendance",
      occurredDate: anHourAgo.date,
      occurredTime: anHourAgo.time,
      account: "Arrived at 10:40 with no note; said they had been at home looking after a sibling.",
      alertStaffIds: dsl.oid,
    };
  }

  it("stores one incident for a double click and for concurrent retries", async () => {
    const chat = new BotConversation(keepsafe.url, keepsafe.local.connector!, teacher, keepsafe.config.identity.tenantId);
    const search = await chat.search("b");
    const pupilId = search.body.value.results[0].value as string;
    const records = keepsafe.service["deps"].records;
    const before = (await records.chronology(pupilId)).length;

    // One after the other.
    const submit = await freshForm(chat);
    const data = formData(submit, pupilId);
    const first = await chat.execute(submit.verb, data);
    const second = await chat.execute(submit.verb, data);
    const ref = (r: { body: unknown }) => /KS-[A-Z0-9]{7}/.exec(JSON.stringify(r.body))?.[0];
    assert.equal(first.status, 200);
    assert.equal(second.status, 200);
    assert.ok(ref(first));
    assert.equal(ref(second), ref(first), "the repeat answers with the same record");

    // At the same time, as a Teams retry racing the original.
    const racing = await freshForm(chat);
    const raceData = formData(racing, pupilId);
    const answers = await Promise.all([1, 2, 3].map(() => chat.execute(racing.verb, raceData)));
    assert.deepEqual(
      answers.map((a) => a.status),
      [200, 200, 200],
    );
    assert.equal(new Set(answers.map(ref)).size, 1);

    const after = await records.chronology(pupilId);
    assert.equal(after.length - before, 2, "two forms, two incidents");
    const outbox = await records.outboxForIncident(after[0].incidentId, pupilId);
    assert.equal(outbox.length, 2, "one activity notification and one email for the one DSL");

    // Once the dispatcher has run, the Graph sandbox saw one alert pair per incident.
    const until = Date.now() + 15_000;
    while (keepsafe.local.graph!.requests().length < 4 && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
    await new Promise((r) => setTimeout(r, 800));
    assert.equal(keepsafe.local.graph!.requests().length, 4);
  });

  it("refuses a replayed form from another member of staff", async () => {
    const chat = new BotConversation(keepsafe.url, keepsafe.local.connector!, teacher, keepsafe.config.identity.tenantId);
    const submit = await freshForm(chat);
    const pupilId = (await chat.search("c")).body.value.results[0].value as string;
    const data = formData(submit, pupilId);
    assert.equal((await chat.execute(submit.verb, data)).status, 200);
    const other = new BotConversation(keepsafe.url, keepsafe.local.connector!, staffByRole(/admin/i), keepsafe.config.identity.tenantId);
    const replay = await other.execute(submit.verb, data);
    assert.equal(replay.status, 200);
    assert.equal(replay.body.statusCode, 400);
    assert.equal(replay.body.type, "application/vnd.microsoft.error");
    assert.match(replay.body.value.message, /already been used/);
  });
});
