/**
 * `node --import tsx test/bench/reads-during-burst.ts`: how long chronology reads take while a
 * burst of submits is being written to other pupils, through the real service over the embedded
 * Cosmos DB server. Reported for the store's chronology page (the partition reads alone) and the
 * whole view (which also writes its audit event, so it always waits for one sync), quiet and
 * during a burst of BURST_SUBMITS submits at concurrency 16. Percentiles in milliseconds.
 */
import { randomUUID } from "node:crypto";
import { DEMO_SCHOOL_ID, DEMO_STAFF } from "../../src/local/demo-school.js";
import { startKeepsafeFixture } from "../support/keepsafe-fixture.js";
import { seedChronology } from "../app/support/counted-reads.js";

const SUBMITS = Number(process.env.BURST_SUBMITS ?? 800);
const READERS = 8;
const pct = (xs: number[], p: number) =>
  Math.round([...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))] * 10) / 10;
const ddsl = DEMO_STAFF.find((s) => s.role === "DDSL")!;

const fx = await startKeepsafeFixture("reads-during-burst", "2025-07-01T10:00:00.000Z");
try {
  const pupils = await fx.stores.schoolStore.listPupils(DEMO_SCHOOL_ID);
  const dsl = fx.actorFor("DSL");
  const readers = pupils.slice(0, READERS);
  const writers = pupils.slice(READERS);
  for (const p of readers) await seedChronology(fx.service, dsl, p.id, 10);

  const timed = async (op: () => Promise<unknown>) => {
    const t = process.hrtime.bigint();
    await op();
    return Number(process.hrtime.bigint() - t) / 1e6;
  };
  const reads = {
    "chronology page (store)": (i: number) => fx.stores.recordStore.chronologyPage(readers[i % READERS].id, { pageSize: 50 }),
    "chronology view (service)": (i: number) => fx.service.getChronology(dsl, readers[i % READERS].id),
  };
  /** Reads in a loop, one at a time, until `done()`; the latencies. */
  const readLoop = async (read: (i: number) => Promise<unknown>, done: () => boolean, min = 0) => {
    const times: number[] = [];
    for (let i = 0; !done() || times.length < min; i++) times.push(await timed(() => read(i)));
    return times;
  };
  const burst = async () => {
    let next = 0;
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        while (next < SUBMITS) {
          const i = next++;
          await fx.service.recordIncident(dsl, {
            submissionId: randomUUID(),
            pupilId: writers[i % writers.length].id,
            categoryIds: ["welfare"],
            occurredAt: new Date(Date.UTC(2025, 5, 30, 8, 0) - i * 60_000).toISOString(),
            account: `Burst concern ${i}.`,
            alertStaffIds: [ddsl.oid],
            source: "tab",
          });
        }
      }),
    );
  };

  const rows: object[] = [];
  for (const [name, read] of Object.entries(reads)) {
    const quiet = await readLoop(read, () => true, 100);
    let over = false;
    const started = Date.now();
    const writing = burst().finally(() => (over = true));
    const [during] = await Promise.all([readLoop(read, () => over), writing]);
    const seconds = (Date.now() - started) / 1000;
    const row = {
      read: name,
      "quiet p50": pct(quiet, 50),
      "quiet p95": pct(quiet, 95),
      "burst p50": pct(during, 50),
      "burst p95": pct(during, 95),
      "reads in burst": during.length,
      "submits/s": Math.round(SUBMITS / seconds),
    };
    console.log(JSON.stringify(row));
    rows.push(row);
  }
  console.table(rows);
} finally {
  await fx.close();
}
