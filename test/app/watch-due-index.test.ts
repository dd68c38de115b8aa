/**
 * The watch jobs' due index (src/adapters/cosmos/cosmos-outbox-due.ts, kinds referral-due and
 * sar-due) against the embedded Cosmos DB server through the fault proxy: the jobs find due
 * watches with no query across pupils; a referral whose batch lands with its answer lost is still
 * chased; a crash after a claim's batch and before its entry moves loses no later alert; watches
 * opened before the index existed are found once the stores start again.
 */
import assert from "node:assert/strict";
import type http from "node:http";
import { CosmosClient, type Container } from "@azure/cosmos";
import https from "node:https";
import { createCosmosStores } from "../../src/adapters/cosmos/create-cosmos-stores.js";
import { shardOf } from "../../src/adapters/cosmos/cosmos-outbox-due.js";
import { KeepsafeService } from "../../src/app/keepsafe-service.js";
import { ReferralOverdueJob } from "../../src/app/referral-overdue-job.js";
import { SubjectAccessDeadlineJob } from "../../src/app/subject-access-deadline-job.js";
import type { CaseEntryStore } from "../../src/ports/case-entry-store.js";
import type { SchoolStore } from "../../src/ports/school-store.js";
import type { SubjectAccessStore } from "../../src/ports/subject-access-store.js";
import { startKeepsafeFixture, type KeepsafeFixture } from "../support/keepsafe-fixture.js";

type Seen = { method: string; url: string; headers: http.IncomingHttpHeaders };
const isQuery = (r: Seen) => String(r.headers["x-ms-documentdb-isquery"]).toLowerCase() === "true";
const isBatch = (r: Seen) => String(r.headers["x-ms-cosmos-is-batch-request"]).toLowerCase() === "true";
const partitionOf = (r: Seen) => r.headers["x-ms-documentdb-partitionkey"];

describe("watch due index (fault proxy, local Cosmos DB)", function () {
  this.timeout(120_000);
  let fx: KeepsafeFixture;
  let service: KeepsafeService;
  let due: Container;
  let client: CosmosClient;
  let seq = 0;
  // Every request the proxy forwards, for the tests that look at what the jobs asked.
  let seen: Seen[] = [];

  before(async () => {
    fx = await startKeepsafeFixture("watch-due", "2027-01-06T10:00:00.000Z", { proxy: true });
    service = new KeepsafeService({
      schools: fx.stores.schoolStore,
      records: fx.stores.recordStore,
      caseEntries: fx.stores.caseEntries,
      subjectAccess: fx.stores.subjectAccessStore,
      clock: fx.clock,
    });
    // A fault that never fires: the proxy shows this matcher every request, which it records.
    const record = (req: Seen) => {
      seen.push(req);
      return false;
    };
    fx.proxy!.aim("delay", record, Number.POSITIVE_INFINITY);
    const agent = new https.Agent({ ca: fx.cosmos.caPem });
    client = new CosmosClient({ endpoint: fx.cosmos.endpoint, key: fx.cosmos.key, agent, connectionPolicy: { enableEndpointDiscovery: false } });
    due = client.database(fx.cosmos.databaseId).container("outbox-due");
  });
  after(async () => {
    client?.dispose();
    await fx?.close();
  });

  const referralJob = (caseEntries: CaseEntryStore = fx.stores.caseEntries, schools: SchoolStore = fx.stores.schoolStore) =>
    new ReferralOverdueJob({ caseEntries, schools, clock: fx.clock });
  const sarJob = (subjectAccess: SubjectAccessStore = fx.stores.subjectAccessStore) =>
    new SubjectAccessDeadlineJob({ subjectAccess, schools: fx.stores.schoolStore, clock: fx.clock });
  const pupilId = async (nth: number) => (await service.searchPupils(fx.actorFor("DSL"), "a"))[nth]!.id;

  /** A referral to the police (one school day) on Wednesday 6 January 2027: due Thursday, chased from Friday 08:00. */
  const refer = async (pupil: string) => {
    fx.clock.set("2027-01-06T10:00:00.000Z");
    const { entry } = await service.addCaseEntry(fx.actorFor("DSL"), pupil, {
      kind: "referral",
      requestId: `watch-due-${++seq}`,
      occurredAt: "2027-01-06T09:30:00Z",
      agencyId: "police",
      contact: "PC Walker, 101",
    });
    return entry.id;
  };
  const runReferralsAt = async (iso: string, job = referralJob()) => {
    fx.clock.set(iso);
    return (await job.runOnce()).alerted;
  };
  const entryOf = async (id: string, shards: string) => (await due.item(id, shardOf(id, { shards })).read()).resource;

  it("the watch jobs find due watches with no query across pupils: only their due shards and point reads", async () => {
    const referralId = await refer(await pupilId(0));
    fx.clock.set("2027-01-20T10:00:00.000Z");
    const { request } = await service.subjectAccess.open(fx.actorFor("DSL"), {
      pupilId: await pupilId(1),
      requester: "Mrs Index Parent",
      relationship: "parent",
      receivedOn: "2027-01-18",
    });

    seen = [];
    assert.equal(await runReferralsAt("2027-01-08T08:30:00.000Z"), 1, "the overdue referral is chased");
    const referralQueries = seen.filter(isQuery);
    assert.ok(referralQueries.length > 0, "the job asked the store");
    assert.deepEqual(
      referralQueries.filter((r) => partitionOf(r) === undefined).map((r) => r.url),
      [],
      "every query of the referral job names its partition",
    );
    assert.ok(
      referralQueries.some((r) => r.url.includes("/colls/outbox-due/") && String(partitionOf(r)).includes("referral-due-")),
      "it read the referral shards of the due index",
    );
    assert.equal(await entryOf(referralId, "referral-due").then((e) => e?.dueAt), "2027-01-11T08:00:00.000Z", "moved to Monday");

    // Friday 5 February: five school days before the last school day by its deadline.
    fx.clock.set("2027-02-05T08:30:00.000Z");
    seen = [];
    const found = await fx.stores.subjectAccessStore.dueWatches(fx.clock.now().toISOString(), 50);
    assert.deepEqual(
      found.map((w) => w.id),
      [request.id],
    );
    assert.deepEqual(
      seen.filter((r) => isQuery(r) && partitionOf(r) === undefined).map((r) => r.url),
      [],
      "the deadline job's read names its partitions",
    );
    assert.ok(
      seen.filter(isQuery).every((r) => String(partitionOf(r)).includes("sar-due-")),
      "only the subject access shards",
    );
    assert.equal((await sarJob().runOnce()).alerted, 1, "and the deadline is chased from it");
    assert.equal(await entryOf(request.id, "sar-due").then((e) => e?.dueAt), "2027-02-12T08:00:00.000Z", "moved to the day itself");
  });

  it("the subject access deadline job reads the request it chases in the pupil's partition, with no query across pupils", async () => {
    const pupil = await pupilId(5);
    fx.clock.set("2027-01-20T10:00:00.000Z");
    const { request } = await service.subjectAccess.open(fx.actorFor("DSL"), {
      pupilId: pupil,
      requester: "Mrs Partition Parent",
      relationship: "parent",
      receivedOn: "2027-01-18",
    });
    const job = sarJob();
    // The first run gives older requests their watch (a look across pupils, once); nothing is due yet.
    assert.equal((await job.runOnce()).alerted, 0);
    // Friday 5 February: five school days before the last school day by its deadline.
    fx.clock.set("2027-02-05T08:30:00.000Z");
    seen = [];
    assert.ok((await job.runOnce()).alerted >= 1, "the deadline is chased");
    const queries = seen.filter(isQuery);
    assert.deepEqual(
      queries.filter((r) => partitionOf(r) === undefined).map((r) => r.url),
      [],
      "every query of the chase names its partition",
    );
    assert.ok(
      queries.some((r) => r.url.includes("/colls/records/") && String(partitionOf(r)).includes(pupil)),
      "the request was read in its pupil's partition",
    );
    const alerted = (await fx.stores.recordStore.auditForPupil(pupil)).filter((e) => e.type === "subject-access.deadline-alerted");
    assert.deepEqual(
      alerted.map((e) => e.detail?.requestId),
      [request.id],
    );
  });

  it("a referral whose batch lands but whose answer is lost (a crash after its due entry and watch) is still chased once", async () => {
    const pupil = await pupilId(2);
    fx.proxy!.aim("dropAfter", (r) => isBatch(r) && String(partitionOf(r)).includes(pupil), 1);
    const referralId = await refer(pupil).catch(() => undefined);
    const stored = (await fx.stores.caseEntries.caseEntriesForPupil(pupil)).filter((e) => e.kind === "referral");
    assert.equal(stored.length, 1, "the batch landed");
    assert.ok(referralId === undefined || referralId === stored[0]!.id);
    assert.ok(await entryOf(stored[0]!.id, "referral-due"), "its due entry was written first");
    const alerted = await runReferralsAt("2027-01-08T08:30:00.000Z");
    assert.ok(alerted >= 1, "chased on the first school day past due");
    const days = (await fx.stores.recordStore.auditForPupil(pupil)).filter((e) => e.type === "referral.overdue-alerted");
    assert.deepEqual(
      days.map((e) => e.detail?.day),
      ["2027-01-08"],
    );
  });

  it("a crash after a claim's batch and before its due entry moves loses no alert: the entry is mended and Monday's alert goes", async () => {
    const pupil = await pupilId(3);
    const referralId = await refer(pupil);
    // Every try of the entry's move after Friday's batch is dropped, as if the instance died there.
    let crashed = true;
    const settles = (r: Seen) => crashed && !isQuery(r) && r.url.includes("/colls/outbox-due/") && String(partitionOf(r)).includes("referral-due-");
    fx.proxy!.aim("dropBefore", settles, 20);
    const friday = await runReferralsAt("2027-01-08T08:30:00.000Z");
    crashed = false;
    assert.ok(friday >= 1);
    assert.equal((await entryOf(referralId, "referral-due"))?.dueAt, "2027-01-08T08:00:00.000Z", "the index still says Friday");
    // The next look mends it (the watch says Monday) and alerts nobody twice.
    await runReferralsAt("2027-01-08T09:30:00.000Z");
    assert.equal((await entryOf(referralId, "referral-due"))?.dueAt, "2027-01-11T08:00:00.000Z", "mended to the watch's time");
    await runReferralsAt("2027-01-11T08:30:00.000Z");
    const days = (await fx.stores.recordStore.auditForPupil(pupil)).filter((e) => e.type === "referral.overdue-alerted").map((e) => e.detail?.day);
    assert.deepEqual(days.sort(), ["2027-01-08", "2027-01-11"], "Friday once and Monday once");
  });

  it("watches opened before the index existed are found once the stores start again; an outcome removes the entry", async () => {
    const pupil = await pupilId(4);
    const referralId = await refer(pupil);
    // As an older Keepsafe left it: the watch with no due entry, and no backfill yet.
    await due.item(referralId, shardOf(referralId, { shards: "referral-due" })).delete();
    await due.item("backfilled:referral-due", "meta").delete();
    const restarted = await createCosmosStores({
      endpoint: fx.cosmos.endpoint,
      key: fx.cosmos.key,
      caPem: fx.cosmos.caPem,
      databaseId: fx.cosmos.databaseId,
    });
    try {
      assert.ok(await entryOf(referralId, "referral-due"), "the backfill wrote its entry");
      assert.ok((await runReferralsAt("2027-01-08T08:30:00.000Z", referralJob(restarted.caseEntries, restarted.schoolStore))) >= 1);
    } finally {
      restarted.dispose();
    }
    fx.clock.set("2027-01-08T12:00:00.000Z");
    await service.recordReferralOutcome(fx.actorFor("DSL"), pupil, referralId, {
      occurredAt: "2027-01-08T11:00:00Z",
      outcome: "Strategy meeting held.",
    });
    assert.equal(await entryOf(referralId, "referral-due"), undefined, "a closed watch leaves the index");
  });
});
