/**
 * The kill -9 soak with two instances. This process starts the local parts (embedded Cosmos DB,
 * identity provider, Graph sandbox) on a fresh data dir; two Keepsafe processes (what `npm start`
 * runs) join them on their own ports. Concern submits go through POST /api/messages to either
 * instance while one instance, chosen at random, is killed with SIGKILL at a random moment of the
 * load and started again. A submit that meets a dead instance or a plain "not saved" is sent again,
 * as Teams and the teacher would, to the other. Then it counts: acknowledged incidents lost (must
 * be 0) or stored twice (0); alerts delivered once, repeated (allowed only within the documented
 * crash window: a kill after Graph took an alert and before its "sent" was saved), and missing (0).
 * Used by `npm run soak:two` (scripts/soak-two.ts) and, small, by test/e2e/kill-soak.test.ts.
 *
 * The kills are placed by progress, not by the clock, so a slow machine still kills during load:
 * the submits are split into one slice per kill plus one, each kill lands after a seeded number of
 * its slice's submits have been answered (and a seeded few ms more, to land mid-request), and the
 * next slice starts once the killed instance is back, so the two are never down together.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createCosmosStores } from "../../src/adapters/cosmos/create-cosmos-stores.js";
import { DEFAULT_DISPATCH_CONCURRENCY } from "../../src/app/alert-dispatcher.js";
import { loadConfig } from "../../src/config.js";
import { pupilIdFor } from "../../src/domain/identifiers.js";
import type { OutboxMessage } from "../../src/domain/incident.js";
import { DEMO_SCHOOL_ID, demoSchoolCsv, ensureDemoSchool, seeded } from "../../src/local/demo-school.js";
import { startOrJoinLocalParts } from "../../src/local/local-parts.js";
import { alertDeliveries, tallyAlerts, type AlertTally } from "./alert-tally.js";
import { projectRoot, staffByRole } from "./keepsafe-instance.js";
import { spawnKeepsafe, type KeepsafeProcess } from "./keepsafe-process.js";
import { submitConcern } from "./plain-bot-calls.js";
import { storedIncidents } from "./stored-incidents.js";

export interface KillSoakOptions {
  submits: number;
  kills: number;
  concurrency: number;
  /** Submits go round this many pupils; three within 30 days set off an early warning, more alerts. */
  pupils: number;
  seed: number;
  /** The instances' outbox lease: how long an alert a killed instance had claimed waits. */
  leaseMs: number;
  /** Give up waiting for the alerts this long after the last submit. */
  alertsTimeoutMs: number;
  /** Stop submitting (and killing) after this long. */
  deadlineMs: number;
}

export interface KillSoakReport {
  seed: number;
  submits: number;
  kills: number;
  acknowledged: number;
  /** Submits not sent or not answered before the deadline (must be 0). */
  unanswered: number;
  /** Submits never acknowledged after 60 tries (must be 0). */
  gaveUp: number;
  unreachableTries: number;
  toldNotSaved: string;
  /** Acknowledged but missing, or stored under another reference than an answer named (must be 0). */
  lost: number;
  /** Incidents beyond one per submission (must be 0). */
  duplicated: number;
  alertsExpected: number;
  alertsDeliveredOnce: number;
  /** Alerts (listed or not) Graph received more than once: allowed within the crash window, and counted. */
  alertsRepeated: number;
  /** Repeats with no kill between their first and last delivery: outside the crash window (must be 0). */
  alertsRepeatedWithoutKill: number;
  /** The most repeats the kills can explain: each kill leaves at most a dispatcher's sends in flight. */
  repeatAllowance: number;
  alertsMissing: number;
  /** Alerts in the store not yet marked sent when the wait ended (must be 0). */
  alertsNotMarkedSent: number;
  otherAlertsOnce: number;
  unidentifiedRequests: number;
  /** The missing alerts with their outbox state; the repeated ones with when Graph received each copy. */
  alertDetail: Pick<AlertTally, "missing"> & { repeated: { id: string; at: string[] }[] };
  /** When each kill landed, to read beside the repeats' times. */
  killedAt: string[];
  /** Where the time went: both instances up, the submits (kills and restarts included), each restart, the alerts. */
  timings: { startMs: number; submitMs: number; restartMs: number[]; alertsMs: number };
}

type Outcome = { kind: "ack"; reference: string } | { kind: "error"; code: string } | { kind: "unreachable" };

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** Polls a condition (every 50 ms) until it holds or `until` passes; says which. */
async function until(holds: () => boolean | Promise<boolean>, deadline: number): Promise<boolean> {
  for (;;) {
    if (await holds()) return true;
    if (Date.now() > deadline) return false;
    await sleep(50);
  }
}

export async function runKillSoak(opts: KillSoakOptions): Promise<KillSoakReport> {
  const random = seeded(opts.seed);
  const teacher = staffByRole(/^Teacher \(Year 3\)/);
  const dsl = staffByRole(/^DSL/);
  const deadline = Date.now() + opts.deadlineMs;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "keepsafe-kill-soak-"));
  // The same settings the instances get from spawnKeepsafe, so the parts started here are theirs.
  const config = loadConfig({ PORT: "0", KEEPSAFE_DATA_DIR: dataDir, KEEPSAFE_ENV: "test-none" }, projectRoot);
  const parts = await startOrJoinLocalParts(config);
  const instances: (KeepsafeProcess | undefined)[] = [undefined, undefined];
  const stores = await createCosmosStores({ ...parts.cosmos!, databaseId: config.cosmos.databaseId });
  try {
    const graph = parts.owned.graph!;
    // The owner of the local parts seeds the demo school; here that is this process, not an instance.
    await ensureDemoSchool(stores.schoolStore);
    // One teacher sends every submit: the per-person rate limit would otherwise be what is measured.
    const env = {
      PORT: "0",
      KEEPSAFE_DATA_DIR: dataDir,
      OUTBOX_INTERVAL_MS: "100",
      OUTBOX_RETRY_BASE_MS: "200",
      OUTBOX_LEASE_MS: String(opts.leaseMs),
      RATE_LIMIT_USER_PER_MINUTE: "100000",
      RATE_LIMIT_BOT_PER_MINUTE: "100000",
      LOG_LEVEL: "warn",
    };
    const began = Date.now();
    instances[0] = await spawnKeepsafe(env);
    instances[1] = await spawnKeepsafe(env);
    const timings = { startMs: Date.now() - began, submitMs: 0, restartMs: [] as number[], alertsMs: 0 };
    const pupils = demoSchoolCsv()
      .pupilsCsv.split(/\r?\n/)
      .slice(1, 1 + opts.pupils)
      .map((line) => line.split(",")[0])
      .filter(Boolean)
      .map((upn) => pupilIdFor(DEMO_SCHOOL_ID, upn));

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

    // One slice per kill plus one; a slice with a kill is released once the instance killed before it is back.
    const sliceEnd = (k: number) => Math.round(((k + 1) * opts.submits) / (opts.kills + 1));
    let released = sliceEnd(0);
    let answered = 0;
    let submitting = true;
    const killTimes: number[] = [];
    const killer = (async () => {
      for (let k = 0; k < opts.kills; k++) {
        const start = k === 0 ? 0 : sliceEnd(k - 1);
        const at = start + 1 + Math.floor(random() * Math.max(1, sliceEnd(k) - start - 1));
        const jitterMs = Math.floor(random() * 300);
        const which = random() < 0.5 ? 0 : 1;
        if (!(await until(() => answered >= at || !submitting, deadline)) || !submitting) break;
        await sleep(jitterMs);
        const victim = instances[which]!;
        instances[which] = undefined;
        await victim.kill9();
        killTimes.push(Date.now());
        // The next slice waits for the restart only if it holds a kill: both must be up for it.
        if (k + 1 === opts.kills) released = opts.submits;
        instances[which] = await spawnKeepsafe(env);
        released = sliceEnd(k + 1);
        timings.restartMs.push(Date.now() - killTimes[killTimes.length - 1]);
      }
    })().finally(() => (released = opts.submits)); // a failed restart must not hold the submits back

    const firstAck = new Map<string, string>();
    const finalAck = new Map<string, string>();
    const codes = new Map<string, number>();
    let unreachable = 0;
    let gaveUp = 0;
    let next = 0;
    const work = Array.from({ length: opts.submits }, (_, i) => ({ i, submissionId: crypto.randomUUID(), pupilId: pupils[i % pupils.length] }));
    const submitter = async () => {
      while (next < work.length && Date.now() < deadline) {
        if (next >= released) {
          await until(() => next < released, deadline);
          continue;
        }
        const w = work[next++];
        let target = w.i % 2;
        for (let attempt = 0; ; attempt++) {
          const instance = instances[target] ?? instances[1 - target];
          const o: Outcome = instance ? await submitOnce(instance.url, w.submissionId, w.pupilId, w.i) : { kind: "unreachable" };
          if (o.kind === "ack") {
            if (!firstAck.has(w.submissionId)) firstAck.set(w.submissionId, o.reference);
            finalAck.set(w.submissionId, o.reference);
            break;
          }
          if (o.kind === "unreachable") unreachable++;
          else codes.set(o.code, (codes.get(o.code) ?? 0) + 1);
          if (attempt === 59) {
            gaveUp++;
            break;
          }
          target = 1 - target; // Teams retries; the load balancer picks the other instance
          await sleep(250);
        }
        answered++;
      }
    };
    const submitsBegan = Date.now();
    try {
      await Promise.all(Array.from({ length: opts.concurrency }, submitter));
    } finally {
      submitting = false;
      await killer;
    }
    timings.submitMs = Date.now() - submitsBegan;

    // Stored once each, and what was acknowledged (first and last answer alike) is what is stored.
    let lost = 0;
    for (const [submissionId, reference] of firstAck) {
      const stored = await stores.recordStore.findBySubmission(submissionId);
      if (stored?.reference !== reference || finalAck.get(submissionId) !== reference) lost++;
    }
    const { incidents, duplicated } = await storedIncidents(
      stores.recordStore,
      work.map((w) => w.pupilId),
      finalAck.size,
    );

    // A few reads at a time: hundreds at once time out on a busy 2-core machine.
    const outboxNow = async () => {
      const all: OutboxMessage[] = [];
      const list = [...incidents];
      for (let i = 0; i < list.length; i += 8)
        all.push(...(await Promise.all(list.slice(i, i + 8).map(([id, pupilId]) => stores.recordStore.outboxForIncident(id, pupilId)))).flat());
      return all;
    };
    // Done when Graph has every alert and the store has marked each sent: a message marked sent is
    // never claimed again, so no repeat can still be on its way (a killed claim is resent after its lease).
    const alertsBegan = Date.now();
    let outbox = await outboxNow();
    await until(async () => {
      outbox = await outboxNow();
      return outbox.every((m) => m.status === "sent") && tallyAlerts(outbox, graph.requests()).missing.length === 0;
    }, Date.now() + opts.alertsTimeoutMs);
    timings.alertsMs = Date.now() - alertsBegan;
    const requests = graph.requests();
    const tally = tallyAlerts(outbox, requests);
    const { at } = alertDeliveries(outbox, requests);
    const straddlesKill = (times: string[]) => killTimes.some((k) => Date.parse(times[0]) <= k && k <= Date.parse(times[times.length - 1]));
    return {
      seed: opts.seed,
      submits: opts.submits,
      kills: killTimes.length,
      acknowledged: finalAck.size,
      unanswered: opts.submits - answered,
      gaveUp,
      unreachableTries: unreachable,
      toldNotSaved: [...codes].map(([c, n]) => `${c} x${n}`).join(", ") || "none",
      lost,
      duplicated,
      alertsExpected: tally.expected,
      alertsDeliveredOnce: tally.deliveredOnce,
      alertsRepeated: tally.duplicated.length,
      alertsRepeatedWithoutKill: tally.duplicated.filter((d) => !straddlesKill(at.get(d.id) ?? [])).length,
      repeatAllowance: killTimes.length * DEFAULT_DISPATCH_CONCURRENCY,
      alertsMissing: tally.missing.length,
      alertsNotMarkedSent: outbox.filter((m) => m.status !== "sent").length,
      otherAlertsOnce: tally.others,
      unidentifiedRequests: tally.unidentified,
      alertDetail: { missing: tally.missing, repeated: tally.duplicated.map((d) => ({ id: d.id, at: at.get(d.id) ?? [] })) },
      killedAt: killTimes.map((t) => new Date(t).toISOString()),
      timings,
    };
  } finally {
    await Promise.all(instances.map((i) => i?.stop()));
    stores.dispose();
    await parts.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

/** The guarantees, as the script and the test hold them: repeats only within the crash window. */
export function killSoakHeld(r: KillSoakReport): boolean {
  return (
    r.lost === 0 &&
    r.duplicated === 0 &&
    r.gaveUp === 0 &&
    r.alertsMissing === 0 &&
    r.alertsNotMarkedSent === 0 &&
    r.unidentifiedRequests === 0 &&
    r.alertsRepeatedWithoutKill === 0 &&
    r.alertsRepeated <= r.repeatAllowance &&
    r.unanswered === 0
  );
}
