/**
 * The alert dispatcher against the real local components: the embedded Cosmos DB server (through
 * the Cosmos adapters) and the Graph sandbox (through the Graph client). Only time is controlled,
 * through the Clock port, so backoff and Retry-After can be checked without waiting for them.
 */
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createCosmosStores, type CosmosStores } from "../../src/adapters/cosmos/create-cosmos-stores.js";
import { GraphNotifier } from "../../src/adapters/graph/graph-notifier.js";
import { AlertDispatcher, type AlertDispatcherDeps } from "../../src/app/alert-dispatcher.js";
import type { Incident, OutboxMessage } from "../../src/domain/incident.js";
import { startGraphSandbox, type GraphSandbox } from "../../src/local/graph-sandbox/index.js";
import { startLocalCosmos, type LocalCosmos } from "../../src/local/cosmos/local-cosmos.js";
import type { Notifier } from "../../src/ports/notifier.js";
import type { RecordStore } from "../../src/ports/record-store.js";
import { counted } from "./support/counted-reads.js";
import {
  MAILBOX,
  SCHOOL,
  recordIncident as recordIncidentIn,
  sentFor as sentForIn,
  staff,
  SteppingClock,
  TEAMS_APP_ID,
} from "./support/dispatch-fixtures.js";

describe("AlertDispatcher with Cosmos (local server) and the Graph sandbox", function () {
  this.timeout(60_000);
  let dataDir: string;
  let cosmos: LocalCosmos;
  let stores: CosmosStores;
  let sandbox: GraphSandbox;
  let notifier: GraphNotifier;
  let clock: SteppingClock;
  let seq = 0;

  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), "alert-dispatcher-"));
    cosmos = await startLocalCosmos({ dataDir });
    stores = await createCosmosStores({ endpoint: cosmos.endpoint, key: cosmos.key, caPem: cosmos.caPem, databaseId: "keepsafe-dispatch" });
    await stores.schoolStore.upsertStaff(SCHOOL, staff);
    sandbox = await startGraphSandbox({ validateToken: async (t) => t === "app-token" });
    notifier = new GraphNotifier({ baseUrl: sandbox.baseUrl, getToken: async () => "app-token" });
  });
  after(async () => {
    await sandbox?.stop();
    stores?.dispose();
    await cosmos?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });
  beforeEach(() => {
    clock = new SteppingClock(Date.parse("2025-03-03T10:00:00.000Z"));
  });

  const dispatcher = (over: Partial<AlertDispatcherDeps> = {}) =>
    new AlertDispatcher({
      records: stores.recordStore,
      schools: stores.schoolStore,
      notifier,
      clock,
      teamsAppId: TEAMS_APP_ID,
      alertsMailbox: MAILBOX,
      baseBackoffMs: 10_000,
      ...over,
    });

  const recordIncident = (recipients: string[], urgent = false) => {
    seq += 1;
    return recordIncidentIn(stores.recordStore, `d${seq}`, clock.now().toISOString(), recipients, urgent);
  };

  const outboxOf = (i: Incident) => stores.recordStore.outboxForIncident(i.id, i.pupilId);
  const sentFor = (i: Incident) => sentForIn(sandbox, i);

  it("sends each alert once, by activity feed and email, with a deep link to the incident", async () => {
    const incident = await recordIncident(["staff-dsl"], true);
    const result = await dispatcher().runOnce();
    assert.deepEqual(result, { sent: 2, retried: 0, failed: 0 });

    const sent = sentFor(incident);
    const note = sent.find((r) => r.kind === "activity-notification");
    const mail = sent.find((r) => r.kind === "mail");
    assert.ok(note && note.kind === "activity-notification");
    assert.equal(note.userId, "staff-dsl");
    assert.equal(note.body.activityType, "urgentConcernRaised");
    assert.deepEqual(note.body.templateParameters, [{ name: "category", value: "Safeguarding" }]);
    const link = new URL(note.body.topic.webUrl!);
    assert.equal(link.origin + link.pathname, `https://teams.microsoft.com/l/entity/${TEAMS_APP_ID}/keepsafe`);
    assert.deepEqual(JSON.parse(link.searchParams.get("context")!), { subEntityId: `incident:${incident.id}` });
    assert.ok(mail && mail.kind === "mail");
    assert.equal(mail.userId, MAILBOX);
    assert.deepEqual(mail.body.message.toRecipients, [{ emailAddress: { address: "dee.lead@school.example" } }]);
    assert.equal(mail.body.message.subject, "URGENT: Keepsafe: concern raised by Ms Ana Teacher — Safeguarding");

    const stored = await outboxOf(incident);
    assert.deepEqual(
      stored.map((m) => [m.status, m.attempts]),
      [
        ["sent", 1],
        ["sent", 1],
      ],
    );
    assert.ok(stored.every((m) => m.sentAt === clock.now().toISOString()));
  });

  it("never puts the pupil's name or words of the account into what Graph receives", async () => {
    const incident = await recordIncident(["staff-dsl", "staff-ddsl"]);
    await dispatcher().runOnce();
    const sent = sentFor(incident);
    assert.equal(sent.length, 4);
    const text = JSON.stringify(sent).toLowerCase();
    for (const word of ["jamie", "brookes", incident.pupilId, "stepfather", "locked", "outside", "overnight", "shoes", "breaktime"]) {
      assert.ok(!text.includes(word.toLowerCase()), `"${word}" reached Graph`);
    }
  });

  it("delays but never loses an alert through a Graph outage", async () => {
    const incident = await recordIncident(["staff-dsl"]);
    sandbox.injectFaults({ status: 503, count: 4, retryAfterSeconds: 1 });
    const d = dispatcher();

    assert.deepEqual(await d.runOnce(), { sent: 0, retried: 2, failed: 0 });
    let stored = await outboxOf(incident);
    assert.ok(stored.every((m) => m.status === "pending" && m.attempts === 1 && /503/.test(m.lastError ?? "")));
    // Backoff (10 s) beats Retry-After (1 s): nothing is due a moment later.
    clock.advance(5_000);
    assert.deepEqual(await d.runOnce(), { sent: 0, retried: 0, failed: 0 });
    clock.advance(5_000);
    assert.deepEqual(await d.runOnce(), { sent: 0, retried: 2, failed: 0 });
    stored = await outboxOf(incident);
    assert.ok(stored.every((m) => m.attempts === 2 && m.nextAttemptAt === new Date(clock.now().getTime() + 20_000).toISOString()));
    clock.advance(20_000);
    assert.deepEqual(await d.runOnce(), { sent: 2, retried: 0, failed: 0 });

    assert.equal(sentFor(incident).length, 2);
    stored = await outboxOf(incident);
    assert.deepEqual(
      stored.map((m) => [m.status, m.attempts]),
      [
        ["sent", 3],
        ["sent", 3],
      ],
    );
  });

  it("honours Retry-After on a 429 when it is longer than the backoff", async () => {
    const incident = await recordIncident(["staff-dsl"]);
    sandbox.injectFaults({ status: 429, count: 2, retryAfterSeconds: 120 });
    const d = dispatcher();
    assert.deepEqual(await d.runOnce(), { sent: 0, retried: 2, failed: 0 });
    const stored = await outboxOf(incident);
    const expected = new Date(clock.now().getTime() + 120_000).toISOString();
    assert.ok(
      stored.every((m) => m.nextAttemptAt === expected),
      "next attempt follows Retry-After",
    );
    clock.advance(119_000);
    assert.deepEqual(await d.runOnce(), { sent: 0, retried: 0, failed: 0 });
    assert.equal(sentFor(incident).length, 0);
    clock.advance(1_000);
    assert.deepEqual(await d.runOnce(), { sent: 2, retried: 0, failed: 0 });
    assert.equal(sentFor(incident).length, 2);
  });

  it("backs off as a whole when Graph throttles: no further sends or due queries until Retry-After has passed", async () => {
    const incidents = [];
    for (let i = 0; i < 5; i++) incidents.push(await recordIncident(["staff-dsl"]));
    // Throttled: the two sends in flight are refused with Retry-After 30 s.
    sandbox.injectFaults({ status: 429, count: 2, retryAfterSeconds: 30 });
    const calls = new Map<string, number>();
    const d = dispatcher({
      concurrency: 2,
      notifier: counted<Notifier>(notifier, calls, "graph"),
      records: counted<RecordStore>(stores.recordStore, calls, "records"),
    });
    const sends = () => (calls.get("graph.sendActivityNotification") ?? 0) + (calls.get("graph.sendMail") ?? 0);

    // Without the pause the other eight would be sent into the throttling in the same run.
    assert.deepEqual(await d.runOnce(), { sent: 0, retried: 2, failed: 0 });
    assert.equal(sends(), 2, "only the sends already in flight reached Graph");
    assert.equal(calls.get("records.claimOutbox"), 2, "nothing more was claimed");

    // A kick during the pause (a new submit) costs neither Graph nor the store.
    clock.advance(29_000);
    calls.clear();
    assert.deepEqual(await d.runOnce(), { sent: 0, retried: 0, failed: 0 });
    assert.equal(sends(), 0);
    assert.equal(calls.get("records.dueOutbox") ?? 0, 0, "no due query while Graph asked to wait");

    // Once Retry-After has passed every alert goes, once.
    clock.advance(1_000);
    const after = await d.runOnce();
    assert.ok(after.sent >= 8, `sent ${after.sent}`);
    clock.advance(30_000); // the two refused ones, due again after their own Retry-After
    await d.runOnce();
    for (const incident of incidents) assert.equal(sentFor(incident).length, 2, `${incident.id} alerted by feed and mail, once each`);
  });

  it("never sends a message twice: not on a second run, not with two dispatchers at once", async () => {
    const first = await recordIncident(["staff-dsl"]);
    const d = dispatcher();
    assert.equal((await d.runOnce()).sent, 2);
    assert.deepEqual(await d.runOnce(), { sent: 0, retried: 0, failed: 0 });
    assert.equal(sentFor(first).length, 2);

    const second = await recordIncident(["staff-dsl", "staff-ddsl"]);
    const results = await Promise.all([dispatcher().runOnce(), dispatcher().runOnce(), dispatcher().runOnce()]);
    assert.equal(
      results.reduce((n, r) => n + r.sent, 0),
      4,
    );
    const sent = sentFor(second);
    assert.equal(sent.length, 4);
    assert.ok(
      sent.every((r) => r.kind !== "mail" || !r.duplicate),
      "the sandbox saw a resent email",
    );
    assert.equal(new Set(sent.map((r) => `${r.kind}:${r.kind === "mail" ? r.body.message.toRecipients[0].emailAddress.address : r.userId}`)).size, 4);
  });

  it("lets a crashed dispatcher's claim expire, then sends", async () => {
    const incident = await recordIncident(["staff-dsl"]);
    const [pending] = await stores.recordStore
      .dueOutbox(clock.now().toISOString(), 100)
      .then((due) => due.filter((m) => m.incidentId === incident.id));
    // A dispatcher claims it and dies before sending.
    const claimed = await stores.recordStore.claimOutbox(pending, new Date(clock.now().getTime() + 60_000).toISOString(), "crashed-dispatcher");
    assert.ok(claimed);
    const d = dispatcher();
    assert.equal((await d.runOnce()).sent, 1, "only the unclaimed message goes");
    clock.advance(60_000);
    assert.equal((await d.runOnce()).sent, 1);
    assert.equal(sentFor(incident).length, 2);
  });

  it("marks a message failed after maxAttempts, and at once for a recipient who has left", async () => {
    const incident = await recordIncident(["staff-dsl", "staff-gone"]);
    // Two messages reach Graph, twice each; the departed recipient's never do.
    sandbox.injectFaults({ status: 503, count: 4 });
    const d = dispatcher({ maxAttempts: 2 });
    const firstRun = await d.runOnce();
    assert.deepEqual(firstRun, { sent: 0, retried: 2, failed: 2 });
    clock.advance(10_000);
    assert.deepEqual(await d.runOnce(), { sent: 0, retried: 0, failed: 2 });
    const stored: OutboxMessage[] = await outboxOf(incident);
    assert.ok(stored.every((m) => m.status === "failed"));
    assert.deepEqual(
      stored.filter((m) => m.recipientStaffId === "staff-gone").map((m) => m.lastError),
      ["RecipientUnavailableError: recipient inactive", "RecipientUnavailableError: recipient inactive"],
    );
    assert.equal(sentFor(incident).length, 0);
  });

  it("drains on its own once started, and stops cleanly", async () => {
    const incident = await recordIncident(["staff-ddsl"]);
    const d = dispatcher();
    d.start(50);
    const deadline = Date.now() + 10_000;
    while (sentFor(incident).length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
    d.kick();
    await d.stop();
    assert.equal(sentFor(incident).length, 2);
    assert.ok((await outboxOf(incident)).every((m) => m.status === "sent"));
  });
});
