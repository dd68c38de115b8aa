/**
 * Early warning's checks (src/adapters/cosmos/cosmos-early-warning-checks.ts, the due index's
 * `ew-due` kind) against the embedded Cosmos DB server: a concern's batch stores a check and its
 * due entry; stored with no in-process evaluation after it (the process died right after the
 * store), the check job evaluates the pupil once the check is a minute old, alerts the DSLs once
 * and removes both the check and its entry; two jobs at once: one looks, the other is leased out;
 * an entry naming no check (its batch never landed) alerts nobody and is removed once old.
 */
import assert from "node:assert/strict";
import https from "node:https";
import { CosmosClient, type Container } from "@azure/cosmos";
import { shardOf } from "../../src/adapters/cosmos/cosmos-outbox-due.js";
import { EarlyWarningCheckJob } from "../../src/app/early-warning-check-job.js";
import { buildEarlyWarningMessages, evaluateEarlyWarning } from "../../src/app/early-warning.js";
import { KeepsafeService } from "../../src/app/keepsafe-service.js";
import { DEMO_STAFF } from "../../src/local/demo-school.js";
import { startKeepsafeFixture, type KeepsafeFixture } from "../support/keepsafe-fixture.js";

describe("early warning checks (local Cosmos DB)", function () {
  this.timeout(120_000);
  const leads = DEMO_STAFF.filter((s) => s.role === "DSL" || s.role === "DDSL");
  let fx: KeepsafeFixture;
  // No onRecorded: each concern is stored and nothing evaluates it in this process, as after a crash.
  let service: KeepsafeService;
  let client: CosmosClient;
  let due: Container;
  let records: Container;
  let n = 0;

  before(async () => {
    fx = await startKeepsafeFixture("ew-checks", "2027-03-01T10:00:00.000Z");
    service = new KeepsafeService({ schools: fx.stores.schoolStore, records: fx.stores.recordStore, clock: fx.clock });
    const agent = new https.Agent({ ca: fx.cosmos.caPem });
    client = new CosmosClient({ endpoint: fx.cosmos.endpoint, key: fx.cosmos.key, agent, connectionPolicy: { enableEndpointDiscovery: false } });
    due = client.database(fx.cosmos.databaseId).container("outbox-due");
    records = client.database(fx.cosmos.databaseId).container("records");
  });
  after(async () => {
    client?.dispose();
    await fx?.close();
  });

  const job = () =>
    new EarlyWarningCheckJob({
      schools: fx.stores.schoolStore,
      records: fx.stores.recordStore,
      earlyWarnings: fx.stores.earlyWarnings,
      leases: fx.stores.roleDirectories,
      clock: fx.clock,
    });
  const pupilId = async (nth: number) => (await service.searchPupils(fx.actorFor("DSL"), "a"))[nth]!.id;
  const concern = async (pupil: string) => {
    const { incident } = await service.recordIncident(fx.actorFor("STAFF"), {
      submissionId: `ew-check-${++n}`,
      pupilId: pupil,
      occurredAt: new Date(fx.clock.now().getTime() - 3600_000).toISOString(),
      source: "tab",
      categoryIds: [n % 2 ? "behaviour" : "welfare"],
      account: `Account ${n} of something seen at break.`,
      alertStaffIds: [fx.actorFor("DSL").staffId],
    });
    return incident.id;
  };
  const entryOf = async (id: string) => (await due.item(id, shardOf(id, { shards: "ew-due" })).read()).resource;
  const checkDocOf = async (id: string, pupil: string) => (await records.item(`earlyWarningCheck:${id}`, pupil).read()).resource;
  const firings = async (pupil: string) => (await fx.stores.earlyWarnings.firingsForPupil(pupil)).firings;
  const alertsOf = async (pupil: string) => {
    const [firing] = await firings(pupil);
    return firing ? fx.stores.recordStore.outboxForIncident(firing.id, pupil) : [];
  };
  /** The alerts of one firing to each DSL and deputy (a Teams activity and an email each). */
  const alertedOnce = async (pupil: string) => {
    const [firing] = await firings(pupil);
    const sent = await alertsOf(pupil);
    assert.deepEqual([...new Set(sent.map((m) => m.recipientStaffId))].sort(), leads.map((s) => s.oid).sort(), "each DSL and deputy");
    const once = buildEarlyWarningMessages(
      firing!,
      leads.map((s) => s.oid),
    );
    assert.deepEqual(sent.map((m) => m.id).sort(), once.map((m) => m.id).sort(), "one firing's alerts, once");
  };

  it("ew check: a concern stored before a crash is evaluated by the job a minute later, alerting the DSLs once, and its check and entry go", async () => {
    fx.clock.set("2027-03-01T10:00:00.000Z");
    const pupil = await pupilId(0);
    const ids = [await concern(pupil), await concern(pupil), await concern(pupil)];
    for (const id of ids) {
      assert.equal((await entryOf(id))?.dueAt, "2027-03-01T10:01:00.000Z", "the due entry, a minute after the concern");
      assert.ok(await checkDocOf(id, pupil), "the check stored in the pupil's partition");
    }
    assert.equal((await firings(pupil)).length, 0, "nothing evaluated them");

    fx.clock.set("2027-03-01T10:00:30.000Z");
    assert.deepEqual(await job().runOnce(), { outcome: "checked", alerted: 0 }, "not yet a minute old: left for the in-process evaluation");
    assert.ok(await entryOf(ids[0]!));

    fx.clock.set("2027-03-01T10:01:05.000Z");
    assert.deepEqual(await job().runOnce(), { outcome: "checked", alerted: 1 });
    const [fired, ...more] = await firings(pupil);
    assert.equal(more.length, 0, "one firing");
    assert.equal(fired!.rule, "any-concerns");
    assert.deepEqual([...fired!.incidentIds].sort(), [...ids].sort());
    await alertedOnce(pupil);
    for (const id of ids) {
      assert.equal(await entryOf(id), undefined, "its due entry removed");
      assert.equal(await checkDocOf(id, pupil), undefined, "its check removed");
    }
    assert.deepEqual(await job().runOnce(), { outcome: "checked", alerted: 0 }, "nothing left to look at");
    await alertedOnce(pupil);
  });

  it("ew check: evaluating a pupil twice (a late in-process evaluation that never cleared, then the job) alerts once", async () => {
    fx.clock.set("2027-03-01T11:00:00.000Z");
    const pupil = await pupilId(1);
    const ids = [await concern(pupil), await concern(pupil), await concern(pupil)];
    // The in-process evaluation ran, but the process died before it cleared the checks.
    const deps = { schools: fx.stores.schoolStore, records: fx.stores.recordStore, earlyWarnings: fx.stores.earlyWarnings, clock: fx.clock };
    assert.equal((await evaluateEarlyWarning(deps, { schoolId: fx.actorFor("DSL").schoolId, pupilId: pupil })).length, 1);
    fx.clock.set("2027-03-01T11:02:00.000Z");
    assert.deepEqual(await job().runOnce(), { outcome: "checked", alerted: 0 }, "the job's evaluation writes no second firing");
    assert.equal((await firings(pupil)).length, 1);
    await alertedOnce(pupil);
    for (const id of ids) assert.equal(await entryOf(id), undefined, "cleared all the same");
  });

  it("ew check: two jobs at once: one looks, the other is leased out, and the pupil's DSLs are alerted once", async () => {
    fx.clock.set("2027-03-01T12:00:00.000Z");
    const pupil = await pupilId(2);
    for (let i = 0; i < 3; i++) await concern(pupil);
    fx.clock.set("2027-03-01T12:05:00.000Z");
    const runs = await Promise.all([job().runOnce(), job().runOnce()]);
    assert.deepEqual(runs.map((r) => r.outcome).sort(), ["checked", "leased-elsewhere"]);
    assert.deepEqual(runs.map((r) => r.alerted).sort(), [0, 1]);
    await alertedOnce(pupil);
    assert.deepEqual(await job().runOnce(), { outcome: "checked", alerted: 0 }, "the lease was given back");
  });

  it("ew check: an entry naming no check (its concern's batch never landed) alerts nobody and is removed once old", async () => {
    fx.clock.set("2027-03-01T13:00:00.000Z");
    const pupil = await pupilId(3);
    const young = "incident-never-landed-young";
    const old = "incident-never-landed-old";
    await due.items.upsert({
      id: young,
      shard: shardOf(young, { shards: "ew-due" }),
      pupilId: pupil,
      dueAt: "2027-03-01T12:00:00.000Z",
      writtenAt: Date.now(),
    });
    await due.items.upsert({
      id: old,
      shard: shardOf(old, { shards: "ew-due" }),
      pupilId: pupil,
      dueAt: "2027-03-01T12:00:00.000Z",
      writtenAt: Date.now() - 11 * 60_000,
    });
    assert.deepEqual(await job().runOnce(), { outcome: "checked", alerted: 0 });
    assert.ok(await entryOf(young), "a young one may still be in flight");
    assert.equal(await entryOf(old), undefined, "an old one names nothing and goes");
    assert.equal((await firings(pupil)).length, 0);
  });
});
