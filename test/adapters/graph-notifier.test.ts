import assert from "node:assert/strict";
import { createServer } from "node:net";
import { chainIdOf } from "../../src/adapters/graph/chain-id.js";
import { GraphNotifier, GraphRequestRejectedError, parseRetryAfter } from "../../src/adapters/graph/graph-notifier.js";
import { startGraphSandbox, type GraphSandbox } from "../../src/local/graph-sandbox/index.js";
import { TransientNotifyError, type ActivityNotification, type AlertEmail } from "../../src/ports/notifier.js";

const notification: ActivityNotification = {
  recipientStaffId: "staff-oid-1",
  activityType: "urgentConcernRaised",
  previewText: "URGENT: Ms Ana Teacher raised a concern (Safeguarding).",
  webUrl: "https://teams.microsoft.com/l/entity/app-id/keepsafe?context=%7B%22subEntityId%22%3A%22incident%3Ai1%22%7D",
  templateParameters: [{ name: "category", value: "Safeguarding" }],
  idempotencyKey: "outbox:i1:staff-oid-1:activity-feed",
};
const email: AlertEmail = {
  fromMailbox: "alerts@school.example",
  toAddress: "dsl@school.example",
  subject: "Keepsafe: concern raised by Ms Ana Teacher — Safeguarding",
  bodyHtml: "<p>Open Keepsafe</p>",
  idempotencyKey: "outbox:i1:staff-oid-1:email",
};

/** A port nothing listens on: bind one, note it, close it. */
async function deadPort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, "127.0.0.1", () => r()));
  const port = (srv.address() as { port: number }).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

describe("GraphNotifier through the Graph client against the sandbox", () => {
  let sandbox: GraphSandbox;
  let tokensSeen: string[];
  let notifier: GraphNotifier;

  beforeEach(async () => {
    tokensSeen = [];
    sandbox = await startGraphSandbox({
      validateToken: async (t) => {
        tokensSeen.push(t);
        return t === "app-token";
      },
    });
    notifier = new GraphNotifier({ baseUrl: sandbox.baseUrl, getToken: async () => "app-token" });
  });
  afterEach(() => sandbox.stop());

  it("sends an activity notification in Graph's documented shape with the bearer token", async () => {
    await notifier.sendActivityNotification(notification);
    assert.deepEqual(tokensSeen, ["app-token"]);
    const [r] = sandbox.requests();
    assert.equal(r.kind, "activity-notification");
    assert.equal(r.userId, "staff-oid-1");
    assert.deepEqual(r.body, {
      topic: { source: "text", value: "Keepsafe", webUrl: notification.webUrl },
      activityType: "urgentConcernRaised",
      previewText: { content: notification.previewText },
      templateParameters: notification.templateParameters,
      chainId: chainIdOf(notification.idempotencyKey),
    });
  });

  it("sends a resend of the same alert with the same chainId, which the sandbox marks as a duplicate", async () => {
    await notifier.sendActivityNotification(notification);
    await notifier.sendActivityNotification(notification);
    await notifier.sendActivityNotification({ ...notification, idempotencyKey: "outbox:i2:staff-oid-1:activity-feed" });
    const rs = sandbox.requests();
    assert.ok(rs.every((r) => r.kind === "activity-notification"));
    assert.deepEqual(
      rs.map((r) => r.duplicate),
      [false, true, false],
    );
    assert.ok(Number.isSafeInteger(chainIdOf(notification.idempotencyKey)));
  });

  it("sends mail from the alerts mailbox with the alert id header", async () => {
    await notifier.sendMail(email);
    const [r] = sandbox.requests();
    assert.ok(r.kind === "mail");
    assert.equal(r.userId, "alerts@school.example");
    assert.equal(r.body.message.subject, email.subject);
    assert.deepEqual(r.body.message.toRecipients, [{ emailAddress: { address: "dsl@school.example" } }]);
    assert.deepEqual(r.body.message.body, { contentType: "HTML", content: "<p>Open Keepsafe</p>" });
    assert.deepEqual(r.body.message.internetMessageHeaders, [{ name: "X-Keepsafe-Alert-Id", value: email.idempotencyKey }]);
    assert.equal(r.body.saveToSentItems, false);
  });

  it("turns a 429 into TransientNotifyError carrying Retry-After, at once (no hidden in-client retry)", async () => {
    sandbox.injectFaults({ status: 429, count: 1, retryAfterSeconds: 120 });
    const started = Date.now();
    await assert.rejects(notifier.sendMail(email), (e: unknown) => {
      assert.ok(e instanceof TransientNotifyError);
      assert.equal(e.retryAfterSeconds, 120);
      return true;
    });
    assert.ok(Date.now() - started < 5_000, "the client must not sleep through a 429");
    assert.equal(sandbox.requests().length, 0);
    await notifier.sendMail(email);
    assert.equal(sandbox.requests().length, 1);
  });

  it("turns a 503 outage into TransientNotifyError", async () => {
    sandbox.injectFaults({ status: 503, count: 3, retryAfterSeconds: 2 });
    for (let i = 0; i < 3; i++) {
      await assert.rejects(notifier.sendActivityNotification(notification), (e: unknown) => {
        assert.ok(e instanceof TransientNotifyError);
        assert.equal(e.retryAfterSeconds, 2);
        return true;
      });
    }
    await notifier.sendActivityNotification(notification);
    assert.equal(sandbox.requests().length, 1);
  });

  it("turns a refused connection (Graph unreachable) into TransientNotifyError", async () => {
    const offline = new GraphNotifier({ baseUrl: `http://127.0.0.1:${await deadPort()}/v1.0`, getToken: async () => "t" });
    await assert.rejects(offline.sendMail(email), TransientNotifyError);
  });

  it("treats a malformed request and a refused token as permanent, not transient", async () => {
    await assert.rejects(
      notifier.sendActivityNotification({ ...notification, webUrl: "https://not-teams.example/x" }),
      (e: unknown) => e instanceof GraphRequestRejectedError && e.statusCode === 400 && !(e instanceof TransientNotifyError),
    );
    const badToken = new GraphNotifier({ baseUrl: sandbox.baseUrl, getToken: async () => "wrong" });
    await assert.rejects(badToken.sendMail(email), (e: unknown) => e instanceof GraphRequestRejectedError && e.statusCode === 401);
    assert.equal(sandbox.requests().length, 0);
  });

  it("parses Retry-After as seconds or as an HTTP date", () => {
    assert.equal(parseRetryAfter("30"), 30);
    const now = Date.parse("2025-01-01T00:00:00Z");
    assert.equal(parseRetryAfter("Wed, 01 Jan 2025 00:01:00 GMT", now), 60);
    assert.equal(parseRetryAfter("soon"), undefined);
    assert.equal(parseRetryAfter(null), undefined);
  });
});
