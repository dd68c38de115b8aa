/**
 * The outbox's due index (src/adapters/cosmos/cosmos-outbox-due.ts) against the embedded Cosmos DB
 * server through the fault proxy: a submit that dies between its due entry and its batch loses no
 * alert and sends none twice; an entry naming nothing is removed only once it is old; messages
 * written before the index existed are found after a restart. Graph is the sandbox.
 */
import assert from "node:assert/strict";
import type { Container } from "@azure/cosmos";
import type { CosmosStores } from "../../src/adapters/cosmos/create-cosmos-stores.js";
import { ORPHAN_AFTER_MS, shardOf } from "../../src/adapters/cosmos/cosmos-outbox-due.js";
import { outboxDoc } from "../../src/adapters/cosmos/record-docs.js";
import { GraphNotifier } from "../../src/adapters/graph/graph-notifier.js";
import { AlertDispatcher } from "../../src/app/alert-dispatcher.js";
import { isStoreUnavailable } from "../../src/app/store-retry.js";
import type { GraphSandbox } from "../../src/local/graph-sandbox/index.js";
import type { FaultProxy } from "../support/fault-proxy.js";
import { startProxiedCosmos, type ProxiedCosmos } from "./support/proxied-cosmos.js";
import { clientFor } from "../local/support/school-records.js";
import { incidentWrite, MAILBOX, sentFor, SteppingClock, TEAMS_APP_ID } from "./support/dispatch-fixtures.js";

const DATABASE = "keepsafe-due-index";

describe("outbox due index (fault proxy, local Cosmos DB)", function () {
  this.timeout(60_000);
  let env: ProxiedCosmos;
  let proxy: FaultProxy;
  let stores: CosmosStores;
  let sandbox: GraphSandbox;
  let clock: SteppingClock;
  let due: Container;
  let records: Container;
  let seq = 0;

  before(async () => {
    // No SDK retries of a throttled write: the fault aimed at a batch is the one the store sees.
    env = await startProxiedCosmos("outbox-due-index", DATABASE, 7, { maxRetryAttempts: 0 });
    ({ proxy, stores, sandbox } = env);
    const database = clientFor(env.cosmos).database(DATABASE);
    due = database.container("outbox-due");
    records = database.container("records");
  });
  after(async () => {
    await env?.stop();
  });
  beforeEach(() => {
    clock = new SteppingClock(Date.parse("2025-03-03T10:00:00.000Z"));
  });

  const dispatcher = (s = stores) =>
    new AlertDispatcher({
      records: s.recordStore,
      schools: s.schoolStore,
      notifier: new GraphNotifier({ baseUrl: sandbox.baseUrl, getToken: async () => "app-token" }),
      clock,
      teamsAppId: TEAMS_APP_ID,
      alertsMailbox: MAILBOX,
      concurrency: 2,
    });
  const newWrite = () => incidentWrite(`due${++seq}`, clock.now().toISOString(), ["staff-dsl"]);
  const isBatch = (req: { headers: Record<string, unknown> }) => String(req.headers["x-ms-cosmos-is-batch-request"]).toLowerCase() === "true";
  const entriesFor = async (incidentId: string) =>
    (
      await due.items
        .query({ query: "SELECT * FROM c WHERE STARTSWITH(c.id, @prefix)", parameters: [{ name: "@prefix", value: `outbox:${incidentId}:` }] })
        .fetchAll()
    ).resources;

  it("a submit that dies after its due entries and before its batch stores nothing; sent again, each alert goes once", async () => {
    const write = newWrite();
    proxy.aim("dropBefore", isBatch);
    await assert.rejects(stores.recordStore.createIncident(write), isStoreUnavailable);
    assert.equal((await stores.recordStore.outboxForIncident(write.incident.id, write.incident.pupilId)).length, 0, "nothing stored");
    assert.equal((await entriesFor(write.incident.id)).length, 2, "the write-ahead entries are there, naming nothing yet");
    const d = dispatcher();
    await d.runOnce();
    assert.equal(sentFor(sandbox, write.incident).length, 0, "nothing to send");
    assert.equal((await entriesFor(write.incident.id)).length, 2, "a young entry naming nothing is kept: its batch may still land");

    // The teacher is told nothing was saved and sends the form again.
    assert.equal((await stores.recordStore.createIncident(write)).created, true);
    await d.runOnce();
    await d.runOnce();
    assert.equal(sentFor(sandbox, write.incident).length, 2, "both alerts, once each");
    assert.deepEqual(await entriesFor(write.incident.id), [], "sent messages leave the index");
  });

  it("a submit whose batch lands but whose answer is lost (a crash after the incident's write) answers as stored and still has both alerts sent once", async () => {
    const write = newWrite();
    proxy.aim("dropAfter", isBatch);
    // Read back after the lost answer (cosmos-lost-answer.ts): the incident is there, so it says so.
    assert.equal((await stores.recordStore.createIncident(write)).incident.id, write.incident.id);
    const d = dispatcher();
    await d.runOnce();
    await d.runOnce();
    assert.equal(sentFor(sandbox, write.incident).length, 2, "the alerts of a stored incident are never lost");
    // Sent again after the lost answer: answered from what was stored, no alert repeated.
    assert.equal((await stores.recordStore.createIncident(write)).created, false);
    clock.advance(120_000);
    await d.runOnce();
    assert.equal(sentFor(sandbox, write.incident).length, 2, "nothing sent twice");
    assert.deepEqual(await entriesFor(write.incident.id), []);
  });

  it("moves the entry of a message deferred by a Graph outage to its next attempt, and sends it then", async () => {
    const write = newWrite();
    await stores.recordStore.createIncident(write);
    sandbox.injectFaults({ status: 503, count: 2 });
    const d = dispatcher();
    assert.deepEqual(await d.runOnce(), { sent: 0, retried: 2, failed: 0 });
    const entries = await entriesFor(write.incident.id);
    const messages = await stores.recordStore.outboxForIncident(write.incident.id, write.incident.pupilId);
    assert.deepEqual(entries.map((e) => e.dueAt).sort(), messages.map((m) => m.nextAttemptAt).sort(), "each entry is due when its message is");
    clock.advance(60_000);
    await d.runOnce();
    assert.equal(sentFor(sandbox, write.incident).length, 2);
  });

  it("removes an entry naming no message only once it is older than the orphan window", async () => {
    const young = { id: "outbox:none-young:staff-dsl:email", pupilId: "pupil-none", dueAt: "2025-03-03T09:00:00.000Z", writtenAt: Date.now() };
    const old = { ...young, id: "outbox:none-old:staff-dsl:email", writtenAt: Date.now() - ORPHAN_AFTER_MS - 1 };
    for (const e of [young, old]) await due.items.upsert({ ...e, shard: shardOf(e.id) });
    await dispatcher().runOnce();
    const left = (await due.items.query("SELECT c.id FROM c WHERE STARTSWITH(c.id, 'outbox:none-')").fetchAll()).resources.map((r) => r.id);
    assert.deepEqual(left, [young.id]);
  });

  it("finds messages written before the index existed once the stores start again", async () => {
    const write = newWrite();
    // As an older Keepsafe stored it: the message alone, with no due entry.
    for (const m of write.outbox) await records.items.create(outboxDoc(m));
    await due.item("backfilled", "meta").delete();
    const restarted = await env.openStores();
    try {
      await dispatcher(restarted).runOnce();
      assert.equal(sentFor(sandbox, write.incident).length, 2);
    } finally {
      restarted.dispose();
    }
  });
});
