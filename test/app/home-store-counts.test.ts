/**
 * SLT's home counts and the unread count are counted in the store: SLT's by the policy said as a
 * store filter (home-store-visibility.ts), the safeguarding team's unread alerts as a COUNT over
 * their alerts. Counted at the Cosmos DB protocol through the fault proxy (no faults), which counts
 * requests and the documents each answer carries; each count must still be its list's length.
 */
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { DEMO_SCHOOL_ID, DEMO_STAFF } from "../../src/local/demo-school.js";
import type { Actor } from "../../src/domain/actor.js";
import type { Pupil } from "../../src/domain/school.js";
import type { HomeListId } from "../../src/contract/requests.js";
import { startKeepsafeFixture, type KeepsafeFixture } from "../support/keepsafe-fixture.js";

const NOW = "2025-06-30T10:00:00.000Z";
const dsl = DEMO_STAFF.find((s) => s.role === "DSL")!;
const slt = DEMO_STAFF.find((s) => s.label === "SLT (deputy head)")!;
const OPEN_TO_SLT = 60;
const HIDDEN_FROM_SLT = 40;

describe("SLT's home counts and the unread count in the store", function () {
  this.timeout(600_000);
  let fx: KeepsafeFixture;
  let pupils: Pupil[];

  before(async () => {
    fx = await startKeepsafeFixture("home-store-counts", NOW, { proxy: true });
    pupils = await fx.stores.schoolStore.listPupils(DEMO_SCHOOL_ID);
  });
  after(async () => {
    await fx?.close();
  });

  const concern = (actor: Actor, i: number, categoryIds: string[], alertStaffIds: string[], extra: object = {}) =>
    fx.service
      .recordIncident(actor, {
        submissionId: randomUUID(),
        pupilId: pupils[i % pupils.length].id,
        categoryIds,
        occurredAt: new Date(fx.clock.now().getTime() - 60_000).toISOString(),
        account: `Seeded concern ${i}.`,
        alertStaffIds,
        source: "tab",
        // A safeguarding category asks whether a DSL was told in person.
        ...(categoryIds.some((c) => c !== "behaviour") ? { toldDslInPerson: "yes" as const } : {}),
        ...extra,
      })
      .catch((e: { fields?: unknown; message: string }) => {
        throw new Error(JSON.stringify(e.fields ?? e.message));
      });

  /** One home load: its counts by list, and what it cost at the store. */
  const load = async (actor: Actor) => {
    const before = fx.proxy!.counts();
    const home = await fx.service.home(actor);
    const after = fx.proxy!.counts();
    return { counts: new Map(home.counts.map((c) => [c.list, c.count] as const)), documents: after.documents - before.documents };
  };

  it("home store counts: SLT's counts and a DSL's unread count read no records, and each is still its list's length", async () => {
    const staff = fx.actorFor("STAFF");
    const senior = fx.actorFor("SLT");
    const seed = async (n: number, make: (i: number) => Promise<unknown>) => {
      for (let i = 0; i < n; i += 5) await Promise.all(Array.from({ length: Math.min(5, n - i) }, (_, j) => make(i + j)));
    };
    // Open to SLT: standard records; records raised by SLT or alerted to SLT whatever their categories.
    await seed(OPEN_TO_SLT, (i) => concern(staff, i, ["behaviour"], [dsl.oid]));
    await concern(senior, 1, ["safeguarding"], [dsl.oid]);
    await concern(fx.actorFor("DSL"), 2, ["safeguarding"], [fx.actorFor("DDSL").staffId, slt.oid]);
    // Not open to SLT: protected categories (alone or with another), and an allegation about a colleague.
    await seed(HIDDEN_FROM_SLT, (i) => concern(staff, i, i % 2 ? ["safeguarding"] : ["behaviour", "safeguarding"], [dsl.oid]));
    await concern(fx.actorFor("STAFF2"), 3, ["behaviour"], [dsl.oid], { allegationAgainstStaff: { staffIds: [fx.actorFor("STAFF3").staffId] } });

    const sltHome = await load(senior);
    assert.equal(sltHome.counts.get("new-today"), OPEN_TO_SLT + 2, "SLT: new today");
    assert.equal(sltHome.counts.get("unread"), 1, "SLT: their one unread alert");
    // Read and checked, the four lists of cases alone were 4 × 103 records; a COUNT answers one
    // number per partition range (which the proxy counts as a document), a few per count.
    assert.ok(sltHome.documents < 50, `SLT's counts read ${sltHome.documents} documents`);

    const lead = fx.actorFor("DSL");
    const dslHome = await load(lead);
    assert.ok(dslHome.counts.get("unread")! > OPEN_TO_SLT + HIDDEN_FROM_SLT, "DSL: every alert to them unread (the list below must agree)");
    // The unread count alone read the DSL's 100 and more unread alerts.
    assert.ok(dslHome.documents < 50, `the DSL's counts read ${dslHome.documents} documents`);

    for (const [who, actor, home] of [
      ["SLT", senior, sltHome],
      ["DSL", lead, dslHome],
    ] as const) {
      for (const [list, count] of home.counts) {
        const shown = await fx.service.homeList(actor, list as HomeListId);
        const length = list === "tasks-due" ? (shown.actions ?? []).length : shown.records.length;
        assert.equal(count, length, `${who}: ${list} counts ${count}, its list holds ${length}`);
      }
    }
  });
});
