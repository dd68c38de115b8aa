/**
 * The governors' summary's store requests: its five sections and the previous period share one
 * read of the school, the roll and the reader's tags, and one count by the store for both periods. The real
 * service over the real Cosmos adapters and the embedded Cosmos DB server; a counting proxy of the
 * ports counts the requests.
 */
import assert from "node:assert/strict";
import { DEMO_SCHOOL_ID } from "../../src/local/demo-school.js";
import { startKeepsafeFixture, type KeepsafeFixture } from "../support/keepsafe-fixture.js";
import { countedService, seedChronology } from "./support/counted-reads.js";

describe("governors' summary reads: store requests", function () {
  this.timeout(240_000);
  let fx: KeepsafeFixture;

  before(async function () {
    fx = await startKeepsafeFixture("summary-reads", "2025-07-01T10:00:00.000Z");
    const pupils = await fx.stores.schoolStore.listPupils(DEMO_SCHOOL_ID);
    await seedChronology(fx.service, fx.actorFor("DSL"), pupils[0].id, 4);
    await seedChronology(fx.service, fx.actorFor("DSL"), pupils[1].id, 3);
  });
  after(async () => {
    await fx?.close();
  });

  it("the governors' summary reads the school, roll and tags once for all its sections, as one incident report does", async () => {
    const { service, counter } = countedService(fx);
    const dsl = fx.actorFor("DSL");
    await service.incidentReport(dsl, { from: "2025-04-01", to: "2025-08-31", groupBy: "month" });
    const forOneReport = counter.byMethod();
    counter.reset();

    const summary = await service.governorsSummary(dsl, { period: "term", date: "2025-06-30" });
    assert.equal(summary.total.count, 7, "the seeded concerns are counted");
    assert.equal(summary.sections.length, 5);
    const forSummary = counter.byMethod();
    const calls = [...forSummary].join(" ");
    for (const read of ["schools.getSchool", "schools.listPupils", "records.incidentsTagging"])
      assert.equal(forSummary.get(read), forOneReport.get(read), `${read} as often as for one report: ${calls}`);
    assert.equal(forSummary.get("records.reportCounts"), 1, `one count by the store for the term and the term before: ${calls}`);
    assert.equal(forSummary.get("records.reportLinkedFacts"), 1, `one read of the linked records: ${calls}`);
    // The school, the roll and the tags once each, a facts query per period, and the view's audit event.
    assert.equal(counter.total(), 3 + 2 + 1, `nothing more: ${calls}`);
  });
});
