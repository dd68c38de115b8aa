/**
 * The outbox's exactly-once guarantee when the store's answers are lost: the dispatcher talks to the
 * embedded Cosmos DB server through the soak's fault proxy, which here aims one fault at one write
 * (the claim, or the save after sending). Graph is the sandbox. Only time is controlled.
 */
import assert from "node:assert/strict";
import type { CosmosStores } from "../../src/adapters/cosmos/create-cosmos-stores.js";
import { GraphNotifier } from "../../src/adapters/graph/graph-notifier.js";
import { AlertDispatcher } from "../../src/app/alert-dispatcher.js";
import type { GraphSandbox } from "../../src/local/graph-sandbox/index.js";
import type { FaultProxy } from "../support/fault-proxy.js";
import { startProxiedCosmos, type ProxiedCosmos } from "./support/proxied-cosmos.js";
import { MAILBOX, recordIncident, sentFor, SteppingClock, TEAMS_APP_ID } from "./support/dispatch-fixtures.js";

const LEASE_MS = 60_000;

describe("AlertDispatcher when the store's answers are lost (fault proxy)", function () {
  this.timeout(60_000);
  let env: ProxiedCosmos;
  let proxy: FaultProxy;
  let stores: CosmosStores;
  let sandbox: GraphSandbox;
  let clock: SteppingClock;
  let seq = 0;

  before(async () => {
    env = await startProxiedCosmos("alert-dispatcher-faults", "keepsafe-dispatch-faults", 1);
    ({ proxy, stores, sandbox } = env);
  });
  after(async () => {
    await env?.stop();
  });
  beforeEach(() => {
    clock = new SteppingClock(Date.parse("2025-03-03T10:00:00.000Z"));
  });

  const dispatcher = () =>
    new AlertDispatcher({
      records: stores.recordStore,
      schools: stores.schoolStore,
      notifier: new GraphNotifier({ baseUrl: sandbox.baseUrl, getToken: async () => "app-token" }),
      clock,
      teamsAppId: TEAMS_APP_ID,
      alertsMailbox: MAILBOX,
      leaseMs: LEASE_MS,
      concurrency: 1,
    });
  const newIncident = () => {
    seq += 1;
    return recordIncident(stores.recordStore, `f${seq}`, clock.now().toISOString(), ["staff-dsl"]);
  };
  /** The claim is a replace (PUT) of the outbox document; the save after sending is an upsert (POST). */
  const outboxDocPath = (incidentId: string) => (req: { url: string }) => decodeURIComponent(req.url).includes(`/docs/outbox:outbox:${incidentId}:`);
  const isUpsert = (req: { method: string; headers: Record<string, unknown> }) =>
    req.method === "POST" && String(req.headers["x-ms-documentdb-is-upsert"]).toLowerCase() === "true";

  for (const kind of ["dropAfter", "unavailable503"] as const) {
    it(`sends without waiting for the lease when the claim's answer is lost (${kind}), and never again when the lease ends`, async () => {
      const incident = await newIncident();
      const matches = outboxDocPath(incident.id);
      proxy.aim(kind, (req) => req.method === "PUT" && matches(req));
      const d = dispatcher();
      // The next run comes a dispatcher interval later; the clock does not move, so no lease ends.
      await d.runOnce();
      await d.runOnce();
      assert.equal(sentFor(sandbox, incident).length, 2, "both alerts without waiting for a lease");
      clock.advance(LEASE_MS + 1);
      await d.runOnce();
      assert.equal(sentFor(sandbox, incident).length, 2, "nothing sent twice");
      assert.deepEqual(
        (await stores.recordStore.outboxForIncident(incident.id, incident.pupilId)).map((m) => m.status),
        ["sent", "sent"],
      );
    });
  }

  for (const kind of ["dropBefore", "dropAfter", "unavailable503"] as const) {
    it(`does not send again when the save after sending loses its answer (${kind})`, async () => {
      const incident = await newIncident();
      const faultsBefore = proxy.counts()[kind];
      proxy.aim(kind, isUpsert);
      const d = dispatcher();
      await d.runOnce();
      assert.equal(sentFor(sandbox, incident).length, 2);
      assert.equal(proxy.counts()[kind], faultsBefore + 1, "the fault was served");
      clock.advance(LEASE_MS + 1);
      await d.runOnce();
      assert.equal(sentFor(sandbox, incident).length, 2, "an alert was sent twice after its lease ended");
      assert.deepEqual(
        (await stores.recordStore.outboxForIncident(incident.id, incident.pupilId)).map((m) => m.status),
        ["sent", "sent"],
      );
    });
  }

  it("puts an alert back, not failed, when the store is unavailable while it is being sent", async () => {
    const incident = await newIncident();
    // The reads of the recipient for both messages fail (the SDK does not retry a 503 on a read).
    proxy.aim("unavailable503", (req) => req.method === "GET" && decodeURIComponent(req.url).includes("/colls/staff/docs/staff-dsl"), 2);
    const d = dispatcher();
    await d.runOnce();
    const after = await stores.recordStore.outboxForIncident(incident.id, incident.pupilId);
    assert.deepEqual(
      after.map((m) => [m.status, m.attempts]),
      [
        ["pending", 1],
        ["pending", 1],
      ],
      "a store outage is not a reason to give up on an alert",
    );
    clock.advance(60_000); // past the first backoff (30 s)
    await d.runOnce();
    assert.equal(sentFor(sandbox, incident).length, 2);
  });
});
