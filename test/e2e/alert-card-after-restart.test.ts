/**
 * Where each member of staff's chat with the bot is lives in Cosmos DB: the DSL says hello to the
 * bot, Keepsafe restarts on the same data directory (and port, so the local connector is at the
 * same serviceUrl), a teacher records a concern, and the alert card still reaches the DSL's chat
 * although the DSL has not spoken to the new process.
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { startTestKeepsafe, staffByRole, type TestKeepsafe } from "../support/keepsafe-instance.js";
import { BotConversation } from "../support/bot-conversation.js";

describe("alert card after a restart", function () {
  this.timeout(120_000);
  const dsl = staffByRole(/^DSL/);
  const teacher = staffByRole(/Year 3/);
  let dataDir: string;
  let keepsafe: TestKeepsafe | undefined;

  before(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "keepsafe-card-restart-"));
  });
  after(async () => {
    await keepsafe?.cleanup();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it("reaches the DSL who talked to the bot before the restart", async () => {
    const first = await startTestKeepsafe({}, dataDir);
    keepsafe = first;
    const port = new URL(first.url).port;
    const before = new BotConversation(first.url, first.local.connector!, dsl, first.config.identity.tenantId);
    await before.sendAndWaitForCard("hello");
    await first.stop();
    keepsafe = undefined;

    const second = await startTestKeepsafe({ PORT: port }, dataDir);
    keepsafe = second;
    assert.equal(new URL(second.url).port, port);
    const teacherActor = await second.service.resolveActor(teacher.oid, { mfa: false });
    const pupil = (await second.service.searchPupils(teacherActor, "a"))[0];
    const res = await second.api("/api/incidents", await second.tokenFor(teacher), {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        submissionId: "card-after-restart-0001",
        pupilId: pupil.id,
        categoryIds: ["safeguarding"],
        occurredAt: new Date(Date.now() - 1800_000).toISOString(),
        account: "Said they were frightened to go home tonight.",
        toldDslInPerson: "yes",
        source: "tab",
      }),
    });
    assert.equal(res.status, 201);
    const activity = await second.local.connector!.waitForActivity(
      before.conversationId,
      (a) => JSON.stringify(a.attachments ?? []).includes("refreshAlertCard"),
      30_000,
    );
    assert.ok(activity, "the alert card reached the DSL's chat");
  });
});
