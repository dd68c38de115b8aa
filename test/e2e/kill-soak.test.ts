/**
 * A short kill -9 soak in `npm test` (the long one is `npm run soak:two`): two Keepsafe processes
 * on one store take 60 concern submits through POST /api/messages while one of them, chosen at
 * random, is killed with SIGKILL at a seeded moment of the load, twice, and started again. Every
 * acknowledged incident is stored once under the reference its answer named, and every alert
 * reaches Graph, repeated only across a kill (Graph took it, the "sent" was never saved) and no
 * more often than the kills can explain. The instances' outbox lease is the shortest allowed
 * (20 s), so an alert a killed instance had claimed is sent well within the test.
 * SOAK_SEED replays another run; a failure names the seed it ran with.
 */
import assert from "node:assert/strict";
import { runKillSoak } from "../support/kill-soak.js";

const SEED = Number(process.env.SOAK_SEED ?? 20_261_248);
const SUBMITS = 60;
const KILLS = 2;

describe("kill soak (short): two instances, kill -9 during load", function () {
  this.timeout(240_000);

  it(`kill soak: every acknowledged incident stored once and every alert delivered, repeated only across a kill (seed ${SEED})`, async () => {
    // One pupil per submit, so no early warning adds alerts of its own to the count.
    const report = await runKillSoak({
      submits: SUBMITS,
      kills: KILLS,
      concurrency: 4,
      pupils: SUBMITS,
      seed: SEED,
      leaseMs: 20_000,
      alertsTimeoutMs: 60_000,
      deadlineMs: 150_000,
    });
    // The counts `npm run soak:two` prints, on one line, so a green run still shows what it checked.
    console.log(`      kill soak: ${JSON.stringify({ ...report, alertDetail: undefined })}`);
    if (report.alertsRepeated) console.log(`      repeated across a kill: ${JSON.stringify(report.alertDetail.repeated)}`);
    const said = `seed ${SEED} (replay with SOAK_SEED=${SEED}): ${JSON.stringify(report)}`;
    assert.equal(report.kills, KILLS, `the instances were killed ${KILLS} times during the load; ${said}`);
    assert.equal(report.unanswered, 0, `every submit was sent and answered before the deadline; ${said}`);
    assert.equal(report.gaveUp, 0, `no submit went unacknowledged after its retries; ${said}`);
    assert.equal(report.acknowledged, SUBMITS, `each submit was acknowledged at last; ${said}`);
    assert.equal(report.lost, 0, `acknowledged incidents missing or stored under another reference; ${said}`);
    assert.equal(report.duplicated, 0, `incidents stored twice; ${said}`);
    assert.equal(report.alertsExpected, 2 * SUBMITS, `every stored concern alerts the DSL twice (activity and mail); ${said}`);
    assert.equal(report.alertsMissing, 0, `alerts Graph never received; ${said}`);
    assert.equal(report.alertsNotMarkedSent, 0, `alerts the store has not marked sent; ${said}`);
    assert.equal(report.unidentifiedRequests, 0, `Graph requests that name no alert; ${said}`);
    assert.equal(report.otherAlertsOnce, 0, `no alert beyond the concerns' own; ${said}`);
    // The crash window: a kill after Graph took an alert and before its "sent" was saved repeats it.
    assert.equal(report.alertsRepeatedWithoutKill, 0, `alerts repeated with no kill between the two deliveries; ${said}`);
    assert.ok(report.alertsRepeated <= report.repeatAllowance, `more repeats than the kills allow; ${said}`);
    assert.equal(report.alertsDeliveredOnce + report.alertsRepeated, report.alertsExpected, said);
  });
});
