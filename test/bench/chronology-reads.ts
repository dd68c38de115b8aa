/**
 * `node --import tsx test/bench/chronology-reads.ts`: store requests and time of a pupil's
 * chronology and of an incident view with 10, 100 and 500 incidents (an action on every other),
 * through the real service over the embedded Cosmos DB server. Medians of CHRONO_ROUNDS reads.
 */
import { DEMO_SCHOOL_ID } from "../../src/local/demo-school.js";
import { startKeepsafeFixture } from "../support/keepsafe-fixture.js";
import { countedService, seedChronology } from "../app/support/counted-reads.js";

const SIZES = (process.env.CHRONO_SIZES ?? "10,100,500").split(",").map(Number);
const ROUNDS = Number(process.env.CHRONO_ROUNDS ?? 5);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const fx = await startKeepsafeFixture("chronology-bench", "2025-07-01T10:00:00.000Z");
try {
  const pupils = await fx.stores.schoolStore.listPupils(DEMO_SCHOOL_ID);
  const { service, counter } = countedService(fx);
  const dsl = fx.actorFor("DSL");
  const rows: object[] = [];
  let seeded = 0;
  for (const [n, size] of SIZES.entries()) {
    const pupil = pupils[n];
    const ids = await seedChronology(fx.service, dsl, pupil.id, size, pupils[SIZES.length + n].id);
    seeded += size;
    const times: number[] = [];
    let entries = 0;
    counter.reset();
    let failed = "";
    for (let r = 0; r < ROUNDS && !failed; r++) {
      const t = process.hrtime.bigint();
      try {
        entries = (await service.getChronology(dsl, pupil.id)).entries.length;
      } catch (e) {
        failed = (e as { code?: string }).code ?? "error";
      }
      times.push(Number(process.hrtime.bigint() - t) / 1e6);
    }
    const chronologyRequests = counter.total() / ROUNDS;
    counter.reset();
    await service.getIncidentView(dsl, ids[0]);
    const row = {
      incidents: size,
      entries,
      "chronology ms (median)": failed ? `failed (${failed}) after ${Math.round(times[0])}` : Math.round(median(times)),
      "chronology store requests": chronologyRequests,
      "incident view store requests": counter.total(),
    };
    console.log(JSON.stringify(row));
    rows.push(row);
  }
  console.table(rows);
  console.log(`seeded ${seeded} incidents`);
} finally {
  await fx.close();
}
