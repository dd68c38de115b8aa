/**
 * The kill -9 soak with two instances: `node --import tsx scripts/soak-two.ts`.
 *
 * This process starts the local parts (embedded Cosmos DB, identity provider, Graph sandbox) on a
 * fresh data dir; two Keepsafe processes (what `npm start` runs) join them on their own ports.
 * Concern submits go through POST /api/messages to either instance while one instance, chosen at
 * random, is killed with SIGKILL at random moments and started again. A submit that meets a dead
 * instance or a plain "not saved" is sent again, as Teams and the teacher would, to the other.
 * Then it counts: acknowledged incidents lost (must be 0) or stored twice (0); alerts delivered
 * once, repeated (allowed only within the documented crash window: a kill after Graph took an
 * alert and before its "sent" was saved), and missing (0).
 * SOAK_SUBMITS (default 120), SOAK_KILLS (10), SOAK_CONCURRENCY (4), SOAK_SEED. Bounded in time.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createCosmosStores } from "../src/adapters/cosmos/create-cosmos-stores.js";
import { loadConfig } from "../src/config.js";
import { pupilIdFor } from "../src/domain/identifiers.js";
import { DEMO_SCHOOL_ID, demoSchoolCsv, ensureDemoSchool, seeded } from "../src/local/demo-school.js";
import { startOrJoinLocalParts } from "../src/local/local-parts.js";
import { tallyAlerts } from "../test/support/alert-tally.js";
import { projectRoot, staffByRole } from "../test/support/keepsafe-instance.js";
import { spawnKeepsafe, type KeepsafeProcess } from "../test/support/keepsafe-process.js";
import { submitConcern } from "../test/support/plain-bot-calls.js";

const num = (name: string, fallback: number) => {
  const v = Number(process.env[name] ?? fallback);
  if (!Number.isFinite(v) || v < 0) throw new Error(`${name} must be a number`);
  return Math.floor(v);
};
const SUBMITS = Math.min(2000, num("SOAK_SUBMITS", 120));
const KILLS = Math.min(100, num("SOAK_KILLS", 10));
const CONCURRENCY = Math.max(1, Math.min(16, num("SOAK_CONCURRENCY", 4)));
const SEED = num("SOAK_SEED", Date.now() % 100000);
/** One 60 s outbox lease (a killed dispatcher's claim) plus the backoffs, with room. */
const ALERTS_TIMEOUT_MS = 150_000;
const DEADLINE = Date.now() + 15 * 60_000;

process.env.LOG_LEVEL ??= "silent";
const random = seeded(SEED);
const teacher = staffByRole(/^Teacher \(Year 3\)/);
const dsl = staffByRole(/^DSL/);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "keepsafe-soak-two-"));
// The same settings the instances get from spawnKeepsafe, so the parts started here are theirs.
const config = loadConfig({ PORT: "0", KEEPSAFE_DATA_DIR: dataDir, KEEPSAFE_ENV: "test-none" }, projectRoot);
const parts = await startOrJoinLocalParts(config);
const graph = parts.owned.graph!;
const stores = await createCosmosStores({ ...parts.cosmos!, databaseId: config.cosmos.databaseId });
// The owner of the local parts seeds the demo school; here that is this process, not an instance.
await ensureDemoSchool(stores.schoolStore);
// One teacher sends every submit: the per-person rate limit would otherwise be what is measured.
const env = {
  PORT: "0",
  KEEPSAFE_DATA_DIR: dataDir,
  OUTBOX_INTERVAL_MS: "100",
  OUTBOX_RETRY_BASE_MS: "200",
  RATE_LIMIT_USER_PER_MINUTE: "100000",
  RATE_LIMIT_BOT_PER_MINUTE: "100000",
  LOG_LEVEL: "warn",
};

const instances: (KeepsafeProcess | undefined)[] = [await spawnKeepsafe(env), await spawnKeepsafe(env)];
const pupils = demoSchoolCsv()
  .pupilsCsv.split(/\r?\n/)
  .slice(1, 21)
  .map((line) => line.split(",")[0])
  .filter(Boolean)
  .map((upn) => pupilIdFor(DEMO_SCHOOL_ID, upn));

type Outcome = { kind: "ack"; reference: string } | { kind: "error"; code: string } | { kind: "unreachable" };
async function submitOnce(url: string, submissionId: string, pupilId: string, i: number): Promise<Outcome> {
  try {
    const res = await submitConcern(url, { from: teacher, alert: dsl }, submissionId, pupilId, `Two-instance soak account ${i}.`);
    const text = await res.text();
    const reference = /KS-[A-Z0-9]{7}/.exec(text)?.[0];
    if (res.status === 200 && reference && /cannot be edited/.test(text)) return { kind: "ack", reference };
    return { kind: "error", code: /"code":"([a-z_]+)"/.exec(text)?.[1] ?? `http ${res.status}` };
  } catch {
    return { kind: "unreachable" };
  }
}

// The killer: at random moments, SIGKILL one instance (never both down), then start it again.
let kills = 0;
let submitting = true;
const killer = (async () => {
  while (submitting && kills < KILLS && Date.now() < DEADLINE) {
    await sleep(500 + Math.floor(random() * 2500));
    if (!submitting) break;
    const which = random() < 0.5 ? 0 : 1;
    const victim = instances[which];
    if (!victim) continue;
    instances[which] = undefined;
    await victim.kill9();
    kills++;
    instances[which] = await spawnKeepsafe(env);
  }
})();

const firstAck = new Map<string, string>();
const finalAck = new Map<string, string>();
const codes = new Map<string, number>();
let unreachable = 0;
let gaveUp = 0;
let next = 0;
const work = Array.from({ length: SUBMITS }, (_, i) => ({ i, submissionId: crypto.randomUUID(), pupilId: pupils[i % pupils.length] }));
await Promise.all(
  Array.from({ length: CONCURRENCY }, async () => {
    while (next < work.length && Date.now() < DEADLINE) {
      const w = work[next++];
      let target = w.i % 2;
      for (let attempt = 0; attempt < 60; attempt++) {
        const instance = instances[target] ?? instances[1 - target];
        if (!instance) {
          await sleep(200);
          continue;
        }
        const o = await submitOnce(instance.url, w.submissionId, w.pupilId, w.i);
        if (o.kind === "ack") {
          if (!firstAck.has(w.submissionId)) firstAck.set(w.submissionId, o.reference);
          finalAck.set(w.submissionId, o.reference);
          break;
        }
        if (o.kind === "unreachable") unreachable++;
        else codes.set(o.code, (codes.get(o.code) ?? 0) + 1);
        target = 1 - target; // Teams retries; the load balancer picks the other instance
        await sleep(250);
        if (attempt === 59) gaveUp++;
      }
    }
  }),
);
submitting = false;
await killer;

// Stored once each, and what was acknowledged is what is stored.
let lost = 0;
for (const [submissionId, reference] of firstAck) {
  const stored = await stores.recordStore.findBySubmission(submissionId);
  if (stored?.reference !== reference) lost++;
}
const incidents = new Map<string, string>();
let entries = 0;
const references = new Set<string>();
for (const pupilId of new Set(work.map((w) => w.pupilId))) {
  for (const e of await stores.recordStore.chronology(pupilId)) {
    if (e.kind !== "incident") continue;
    entries++;
    references.add(e.reference);
    incidents.set(e.incidentId, pupilId);
  }
}
const duplicated = entries - references.size + Math.max(0, references.size - finalAck.size);

// A few reads at a time: hundreds at once time out on a busy 2-core machine.
const outboxNow = async () => {
  const all = [];
  const list = [...incidents];
  for (let i = 0; i < list.length; i += 8)
    all.push(...(await Promise.all(list.slice(i, i + 8).map(([id, pupilId]) => stores.recordStore.outboxForIncident(id, pupilId)))).flat());
  return all;
};
const expected = await outboxNow();
const until = Date.now() + ALERTS_TIMEOUT_MS;
while (tallyAlerts(expected, graph.requests()).missing.length && Date.now() < until) await sleep(250);
await sleep(1500); // both dispatchers poll every 100 ms: a repeat shows here
const tally = tallyAlerts(await outboxNow(), graph.requests());

const report = {
  seed: SEED,
  submits: SUBMITS,
  kills,
  acknowledged: finalAck.size,
  gaveUp,
  unreachableTries: unreachable,
  toldNotSaved: [...codes].map(([c, n]) => `${c} x${n}`).join(", ") || "none",
  lost,
  duplicated,
  alertsExpected: tally.expected,
  alertsDeliveredOnce: tally.deliveredOnce,
  alertsRepeated: tally.duplicated.length,
  alertsMissing: tally.missing.length,
  otherAlertsOnce: tally.others,
};
console.table(report);
if (tally.missing.length || tally.duplicated.length)
  console.log("alert detail:", JSON.stringify({ missing: tally.missing, repeated: tally.duplicated }, null, 2));

await Promise.all(instances.map((i) => i?.stop()));
stores.dispose();
await parts.stop();
fs.rmSync(dataDir, { recursive: true, force: true });
// Repeats are counted, not failed: a kill between Graph's answer and the saved "sent" repeats one.
const ok = lost === 0 && duplicated === 0 && gaveUp === 0 && tally.missing.length === 0;
console.log(ok ? "soak-two: every guarantee held" : "soak-two: A GUARANTEE FAILED");
process.exit(ok ? 0 : 1);
