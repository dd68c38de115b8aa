/**
 * Where the bot's activities may come from. With Bot settings, /api/messages validates Bot
 * Framework tokens: an activity without one is refused. Start-up refuses half a part's settings.
 */
import assert from "node:assert/strict";
import { startTestKeepsafe, staffByRole, type TestKeepsafe } from "../support/keepsafe-instance.js";
import { spawnKeepsafe } from "../support/keepsafe-process.js";

describe("bot endpoint authentication", function () {
  this.timeout(60_000);
  let keepsafe: TestKeepsafe;
  const teacher = staffByRole(/^Teacher \(Year 3\)/);

  before(async () => {
    keepsafe = await startTestKeepsafe({ BOT_ID: "3b1f0c9e-5a6d-4e2f-8c7b-1a2b3c4d5e6f", BOT_PASSWORD: "not-a-real-secret" });
  });
  after(async () => keepsafe?.cleanup());

  const activity = () => ({
    type: "message",
    text: "hello",
    channelId: "msteams",
    serviceUrl: `${keepsafe.url}/local-connector/`,
    from: { id: `29:${teacher.oid}`, aadObjectId: teacher.oid },
    recipient: { id: "28:keepsafe-bot" },
    conversation: { id: `local-${teacher.oid}`, conversationType: "personal" },
  });

  it("refuses activities with no Bot Framework token, or a made-up one, once Bot settings are given", async () => {
    for (const headers of [{}, { authorization: "Bearer not.a.token" }] as Record<string, string>[]) {
      const res = await fetch(`${keepsafe.url}/api/messages`, {
        method: "POST",
        headers: { "content-type": "application/json", ...headers },
        body: JSON.stringify(activity()),
      });
      assert.equal(res.status, 401);
    }
    assert.equal(keepsafe.local.connector!.activities(`local-${teacher.oid}`).length, 0, "the bot sent nothing");
  });

  it("leaves a serviceUrl that is not loopback to botbuilder's token check once Bot settings are given", async () => {
    const res = await fetch(`${keepsafe.url}/api/messages`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ ...activity(), serviceUrl: "https://smba.trafficmanager.net/uk/" }),
    });
    assert.equal(res.status, 401, "refused for want of a token, not by the local-mode loopback rule");
  });
});

describe("start-up settings", function () {
  this.timeout(60_000);
  it("stops with a message naming what is missing when a part is half given", async () => {
    await assert.rejects(spawnKeepsafe({ PORT: "0", COSMOS_ENDPOINT: "https://school.documents.azure.com:443/" }), (err: Error) => {
      assert.match(err.message, /exited with 1/);
      assert.match(err.message, /COSMOS_KEY is missing/);
      return true;
    });
  });
});
