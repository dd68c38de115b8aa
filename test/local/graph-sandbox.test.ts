import assert from "node:assert/strict";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startGraphSandbox, type GraphSandbox } from "../../src/local/graph-sandbox/index.js";

const activityBody = {
  topic: { source: "text", value: "Keepsafe", webUrl: "https://teams.microsoft.com/l/entity/app/keepsafe?context=%7B%7D" },
  activityType: "concernRaised",
  previewText: { content: "Ms Ana Teacher raised a concern" },
  templateParameters: [{ name: "summary", value: "concern raised" }],
};
const mailBody = {
  message: {
    subject: "Keepsafe: concern raised",
    body: { contentType: "HTML", content: "<p>Open Keepsafe</p>" },
    toRecipients: [{ emailAddress: { address: "dsl@school.example" } }],
    internetMessageHeaders: [{ name: "X-Keepsafe-Alert-Id", value: "outbox:1" }],
  },
  saveToSentItems: false,
};

const post = (sb: GraphSandbox, path: string, body: unknown, headers: Record<string, string> = { authorization: "Bearer t" }) =>
  fetch(`${sb.baseUrl}${path}`, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body) });

describe("graph sandbox", () => {
  let dataDir: string;
  let sandbox: GraphSandbox | undefined;

  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), "graph-sandbox-"));
  });
  afterEach(async () => {
    await sandbox?.stop();
    sandbox = undefined;
    await rm(dataDir, { recursive: true, force: true });
  });

  it("accepts Graph's activity notification and mail shapes with 204 and 202, and records them", async () => {
    sandbox = await startGraphSandbox({ dataDir });
    assert.match(sandbox.baseUrl, /^http:\/\/127\.0\.0\.1:\d+\/v1\.0$/);
    const a = await post(sandbox, "/users/staff-1/teamwork/sendActivityNotification", activityBody);
    assert.equal(a.status, 204);
    const m = await post(sandbox, "/users/alerts%40school.example/sendMail", mailBody);
    assert.equal(m.status, 202);

    const recorded = sandbox.requests();
    assert.deepEqual(
      recorded.map((r) => [r.kind, r.userId]),
      [
        ["activity-notification", "staff-1"],
        ["mail", "alerts@school.example"],
      ],
    );
    const overHttp = await (await fetch(`${sandbox.pageUrl}_sandbox/requests`)).json();
    assert.equal(overHttp.length, 2);
    assert.equal(overHttp[1].body.message.subject, "Keepsafe: concern raised");
  });

  it("answers 401 without a bearer token and when validateToken refuses it", async () => {
    sandbox = await startGraphSandbox({ validateToken: async (t) => t === "good" });
    const none = await post(sandbox, "/users/u/sendMail", mailBody, {});
    assert.equal(none.status, 401);
    assert.equal((await none.json()).error.code, "InvalidAuthenticationToken");
    assert.equal((await post(sandbox, "/users/u/sendMail", mailBody, { authorization: "Bearer bad" })).status, 401);
    assert.equal((await post(sandbox, "/users/u/sendMail", mailBody, { authorization: "Bearer good" })).status, 202);
    assert.equal(sandbox.requests().length, 1);
  });

  it("refuses malformed bodies with Graph's error JSON and records nothing", async () => {
    sandbox = await startGraphSandbox();
    const noWebUrl = await post(sandbox, "/users/u/teamwork/sendActivityNotification", {
      ...activityBody,
      topic: { source: "text", value: "Keepsafe" },
    });
    assert.equal(noWebUrl.status, 400);
    const err = await noWebUrl.json();
    assert.equal(err.error.code, "BadRequest");
    assert.match(err.error.message, /topic/);

    const notTeams = await post(sandbox, "/users/u/teamwork/sendActivityNotification", {
      ...activityBody,
      topic: { ...activityBody.topic, webUrl: "https://evil.example/" },
    });
    assert.equal(notTeams.status, 400);
    const noRecipients = await post(sandbox, "/users/u/sendMail", { message: { ...mailBody.message, toRecipients: [] } });
    assert.equal(noRecipients.status, 400);
    assert.ok((await noRecipients.json()).error.message);
    const notJson = await fetch(`${sandbox.baseUrl}/users/u/sendMail`, { method: "POST", headers: { authorization: "Bearer t" }, body: "{" });
    assert.equal(notJson.status, 400);
    assert.equal(sandbox.requests().length, 0);
  });

  it("fails the next n Graph calls with the injected status and Retry-After, then recovers", async () => {
    sandbox = await startGraphSandbox();
    const set = await fetch(`${sandbox.pageUrl}_sandbox/faults`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ status: 429, count: 2, retryAfterSeconds: 7 }),
    });
    assert.equal(set.status, 200);
    for (let i = 0; i < 2; i++) {
      const r = await post(sandbox, "/users/u/sendMail", mailBody);
      assert.equal(r.status, 429);
      assert.equal(r.headers.get("retry-after"), "7");
      assert.equal((await r.json()).error.code, "TooManyRequests");
    }
    assert.equal((await post(sandbox, "/users/u/sendMail", mailBody)).status, 202);

    sandbox.injectFaults({ status: 503, count: 1 });
    const down = await post(sandbox, "/users/u/teamwork/sendActivityNotification", activityBody);
    assert.equal(down.status, 503);
    assert.ok(down.headers.get("retry-after"));
    assert.equal((await post(sandbox, "/users/u/teamwork/sendActivityNotification", activityBody)).status, 204);
    assert.equal(sandbox.requests().length, 2);
  });

  it("persists to graph-sandbox.jsonl, reloads on start and marks a resent mail", async () => {
    sandbox = await startGraphSandbox({ dataDir });
    await post(sandbox, "/users/u/sendMail", mailBody);
    await sandbox.stop();
    const lines = (await readFile(join(dataDir, "graph-sandbox.jsonl"), "utf8")).trim().split("\n");
    assert.equal(lines.length, 1);

    sandbox = await startGraphSandbox({ dataDir });
    assert.equal(sandbox.requests().length, 1);
    await post(sandbox, "/users/u/sendMail", mailBody);
    const [first, second] = sandbox.requests();
    assert.ok(first.kind === "mail" && !first.duplicate);
    assert.ok(second.kind === "mail" && second.duplicate);
    assert.ok(second.seq > first.seq);
  });

  it("serves an HTML page listing recorded mail and notifications, escaped", async () => {
    sandbox = await startGraphSandbox();
    await post(sandbox, "/users/u/sendMail", {
      ...mailBody,
      message: { ...mailBody.message, subject: "<script>alert(1)</script>", body: { contentType: "Text", content: "a & b" } },
    });
    await post(sandbox, "/users/u/teamwork/sendActivityNotification", activityBody);
    const page = await fetch(sandbox.pageUrl);
    assert.equal(page.status, 200);
    assert.match(page.headers.get("content-type") ?? "", /text\/html/);
    const html = await page.text();
    assert.ok(!html.includes("<script>alert(1)</script>"));
    assert.ok(html.includes("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert.ok(html.includes("a &amp; b"));
    assert.ok(html.includes("Ms Ana Teacher raised a concern"));
  });
});
