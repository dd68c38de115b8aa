/**
 * A short fault soak in `npm test` (the long one is `npm run soak`): a few concern submits through
 * POST /api/messages while the fault proxy in front of the embedded Cosmos DB server injects 429s,
 * 503s, delays and dropped connections, and the Graph sandbox is down for half the burst. Every
 * acknowledged incident is stored once, and every alert reaches Graph exactly once, well within one
 * outbox lease (an alert held for the lease after a lost claim answer is what this catches).
 * SOAK_SEED replays another run; a failure names the seed it ran with.
 */
import assert from "node:assert/strict";
import { runSoak } from "../support/fault-soak.js";

const SEED = Number(process.env.SOAK_SEED ?? 20_261_203);
const SUBMITS = 10;

describe("fault soak (short): every acknowledged incident stored once, every alert exactly once", function () {
  this.timeout(120_000);

  it(`holds the guarantees through store and Graph faults (seed ${SEED})`, async () => {
    // The lease is 60 s; waiting half of it means an alert held for a lease fails this test.
    const report = await runSoak({ submits: SUBMITS, faultShare: 0.2, concurrency: 4, seed: SEED, alertsTimeoutMs: 30_000 });
    const said = `seed ${SEED} (replay with SOAK_SEED=${SEED}): ${JSON.stringify({ ...report, plainMessages: undefined })}`;
    const faults =
      report.faults.throttle429 + report.faults.unavailable503 + report.faults.delay + report.faults.dropBefore + report.faults.dropAfter;
    assert.ok(faults > 0, `no store faults were injected; ${said}`);
    assert.equal(report.unclear, 0, `answers that were neither saved nor a plain error; ${said}`);
    assert.equal(report.falselyToldNotSaved, 0, `told "Nothing was saved" of a stored incident; ${said}`);
    assert.equal(report.lost, 0, `acknowledged incidents lost; ${said}`);
    assert.equal(report.duplicated, 0, `incidents stored twice; ${said}`);
    assert.equal(report.alertsExpected, 2 * SUBMITS, `every submit, saved at last, alerts the DSL twice; ${said}`);
    assert.deepEqual(report.alertDetail, { missing: [], duplicated: [] }, `alerts not delivered exactly once; ${said}`);
    assert.equal(report.unidentifiedRequests, 0, `Graph requests that name no alert; ${said}`);
    assert.equal(report.alertsDeliveredOnce, report.alertsExpected, said);
  });
});
