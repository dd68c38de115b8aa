/**
 * The DSL home at a school's size: a home load costs the same store requests, and reads the same
 * documents, with 200 records as with 20, when the 180 more are what a school mostly holds (closed,
 * their alerts read). Counted at the Cosmos DB protocol: the stores talk to the embedded server
 * through the fault proxy (no faults), which counts requests and the documents each answer carries.
 * Also: the job that puts back a record's current-state document when it is missing or drifted.
 */
import assert from "node:assert/strict";
import https from "node:https";
import { randomUUID } from "node:crypto";
import { CosmosClient, type Container } from "@azure/cosmos";
import { DEMO_SCHOOL_ID, DEMO_STAFF } from "../../src/local/demo-school.js";
import type { Actor } from "../../src/domain/actor.js";
import type { Pupil } from "../../src/domain/school.js";
import type { HomeView } from "../../src/contract/task-views.js";
import { startKeepsafeFixture, type KeepsafeFixture } from "../support/keepsafe-fixture.js";

const NOW = "2025-06-30T10:00:00.000Z";
const daysBefore = (days: number) => new Date(Date.parse(NOW) - days * 86_400_000).toISOString();
const dsl = DEMO_STAFF.find((s) => s.role === "DSL")!;

describe("the DSL home's store reads at a school's size", function () {
  this.timeout(300_000);
  let fx: KeepsafeFixture;
  let pupils: Pupil[];

  before(async () => {
    fx = await startKeepsafeFixture("home-reads", NOW, { proxy: true });
    pupils = await fx.stores.schoolStore.listPupils(DEMO_SCHOOL_ID);
  });
  after(async () => {
    await fx?.close();
  });

  /** A concern by `actor` at the clock's time, alerting the DSL; urgent: a safeguarding one, a DSL "not yet" told in person. */
  const concern = async (actor: Actor, i: number, urgent: boolean) =>
    (
      await fx.service.recordIncident(actor, {
        submissionId: randomUUID(),
        pupilId: pupils[i % pupils.length].id,
        // "Not yet" is asked only on a safeguarding concern (and SLT never count those).
        categoryIds: urgent ? ["safeguarding"] : ["welfare"],
        occurredAt: new Date(fx.clock.now().getTime() - 60_000).toISOString(),
        account: `Seeded concern ${i}.`,
        alertStaffIds: [dsl.oid],
        source: "tab",
        ...(urgent ? { toldDslInPerson: "not-yet" as const } : {}),
      })
    ).incident.id;

  /** The records container through a client of its own, behind the adapters (as a restore or an older version leaves it). */
  const behindTheAdapters = async (fn: (records: Container) => Promise<void>) => {
    const agent = new https.Agent({ ca: fx.cosmos.caPem });
    const client = new CosmosClient({
      endpoint: fx.cosmos.endpoint,
      key: fx.cosmos.key,
      agent,
      connectionPolicy: { enableEndpointDiscovery: false },
    });
    try {
      await fn(client.database(fx.cosmos.databaseId).container("records"));
    } finally {
      client.dispose();
      agent.destroy();
    }
  };

  /** One home load as `actor`: the counts, and what it cost at the store. */
  const load = async (actor: Actor) => {
    const before = fx.proxy!.counts();
    const home: HomeView = await fx.service.home(actor);
    const after = fx.proxy!.counts();
    return {
      counts: home.counts.map((c) => `${c.list}=${c.count}`),
      requests: after.forwarded - before.forwarded,
      documents: after.documents - before.documents,
    };
  };

  it("home load: as many store requests and documents read with 200 records as with 20", async () => {
    const staff = fx.actorFor("STAFF");
    const head = fx.actorFor("DSL");
    const slt = fx.actorFor("SLT");
    // 20 that need the DSL: 10 urgent and past the review age, 10 new today (SLT may see these); every alert unread.
    fx.clock.set(daysBefore(40));
    for (let i = 0; i < 10; i++) await concern(staff, i, true);
    fx.clock.set(NOW);
    for (let i = 10; i < 20; i++) await concern(staff, i, false);
    const small = { dsl: await load(head), slt: await load(slt) };
    assert.ok(small.dsl.counts.includes("urgent=10") && small.dsl.counts.includes("past-review=10"), small.dsl.counts.join(" "));
    assert.ok(small.dsl.counts.includes("new-today=10") && small.dsl.counts.includes("unread=20"), small.dsl.counts.join(" "));

    // 180 more from last term, as most of a school's records are: closed, their alerts read.
    fx.clock.set(daysBefore(90));
    for (let i = 0; i < 180; i++) {
      const id = await concern(staff, i, i % 3 === 0);
      await fx.service.acknowledgeAlert(head, id);
      await fx.service.changeIncident(head, id, { kind: "close", reason: "Dealt with at the time.", version: 0 });
    }
    fx.clock.set(NOW);
    const large = { dsl: await load(head), slt: await load(slt) };

    for (const who of ["dsl", "slt"] as const) {
      assert.deepEqual(large[who].counts, small[who].counts, `${who}: closed, read records count nowhere`);
      assert.equal(
        large[who].requests,
        small[who].requests,
        `${who}: store requests grew with records (${small[who].requests} → ${large[who].requests})`,
      );
      assert.equal(
        large[who].documents,
        small[who].documents,
        `${who}: documents read grew with records (${small[who].documents} → ${large[who].documents})`,
      );
    }
  });

  it("home current-state job: puts back a record's missing or drifted state, and the home counts it again", async () => {
    const head = fx.actorFor("DSL");
    const urgent = await concern(fx.actorFor("STAFF"), 7, true);
    const other = await concern(fx.actorFor("STAFF"), 8, true);
    const before = (await fx.service.homeList(head, "urgent")).records.map((r) => r.incidentId);
    assert.ok(before.includes(urgent) && before.includes(other));

    // Behind the adapters, as a restore from an old backup would leave it: one missing, one wrong.
    await behindTheAdapters(async (records) => {
      const pupilId = pupils[7 % pupils.length].id;
      await records.item(`case:${urgent}`, pupilId).delete();
      assert.ok(!(await fx.service.homeList(head, "urgent")).records.some((r) => r.incidentId === urgent), "gone while missing");
      const { resources } = await records.items
        .query({ query: "SELECT * FROM c WHERE c.id = @id", parameters: [{ name: "@id", value: `case:${other}` }] })
        .fetchAll();
      await records.item(resources[0].id, resources[0].pupilId).replace({ ...resources[0], status: "closed" });

      const { rebuilt } = await fx.stores.recordStore.rebuildCaseFacts(DEMO_SCHOOL_ID);
      assert.equal(rebuilt, 2, "the missing one and the drifted one");
      assert.deepEqual((await fx.service.homeList(head, "urgent")).records.map((r) => r.incidentId).sort(), [...before].sort());
      assert.equal((await fx.stores.recordStore.rebuildCaseFacts(DEMO_SCHOOL_ID)).rebuilt, 0, "nothing to do the second time");
    });
  });

  it("report fields on older current-state documents: a case stored without its session is put back, and the report by session counts it there", async () => {
    const head = fx.actorFor("DSL");
    const pupil = pupils[9 % pupils.length];
    const { incident } = await fx.service.recordIncident(fx.actorFor("STAFF"), {
      submissionId: randomUUID(),
      pupilId: pupil.id,
      categoryIds: ["welfare"],
      occurredAt: new Date(fx.clock.now().getTime() - 60_000).toISOString(),
      session: "lunch",
      account: "Seeded concern with a session.",
      alertStaffIds: [dsl.oid],
      source: "tab",
    });
    const today = fx.clock.now().toISOString().slice(0, 10);
    const lunchCount = async () =>
      (await fx.service.incidentReport(head, { from: today, to: today, groupBy: "session" })).rows.find((r) => r.key === "lunch")?.count ?? 0;
    const withSession = await lunchCount();
    assert.ok(withSession >= 1, "counted at lunchtime from its case document");

    // As a Keepsafe from before reports counted cases wrote it: no report fields.
    await behindTheAdapters(async (records) => {
      const { resource } = await records.item(`case:${incident.id}`, pupil.id).read();
      const { session: _session, location: _location, dayOfWeek: _day, subCategoryIds: _subs, ...older } = resource as Record<string, unknown>;
      await records.item(`case:${incident.id}`, pupil.id).replace(older);
      assert.equal(await lunchCount(), withSession - 1, "an older case counts as not recorded");

      assert.ok((await fx.stores.recordStore.rebuildCaseFacts(DEMO_SCHOOL_ID)).rebuilt >= 1);
      assert.equal(await lunchCount(), withSession, "counted at lunchtime again once put back");
    });
  });
});
