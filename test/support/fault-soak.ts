/**
 * The fault soak: N concern submits through POST /api/messages while a proxy in front of the
 * embedded Cosmos DB server injects 429s, 503s, delays and dropped connections on a share of
 * requests, and the Graph sandbox is down for the first part of the burst. Then it checks what a
 * school relies on: every submit the user was told was saved is stored, none is stored twice, a
 * submit that was not saved told the user so in plain words (and saves when sent again), and every
 * alert is delivered once when Graph is back. Used by `npm run soak` (scripts/soak.ts) and, small,
 * by test/e2e/fault-soak.test.ts.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { loadOrCreateTls } from "../../src/local/cosmos/tls-material.js";
import { DEMO_SCHOOL_ID, demoSchoolCsv } from "../../src/local/demo-school.js";
import { pupilIdFor } from "../../src/domain/identifiers.js";
import { tallyAlerts, type AlertTally } from "./alert-tally.js";
import { startFaultProxy, type FaultProxy } from "./fault-proxy.js";
import { staffByRole, startTestKeepsafe } from "./keepsafe-instance.js";
import { submitConcern } from "./plain-bot-calls.js";
import { storedIncidents } from "./stored-incidents.js";

export interface SoakOptions {
  submits: number;
  /** Share of store requests that get a fault during the burst. */
  faultShare: number;
  concurrency: number;
  seed: number;
  /** Give up waiting for the alerts after this long. */
  alertsTimeoutMs: number;
}

export interface SoakReport {
  submits: number;
  acknowledged: number;
  toldNotSaved: number;
  /** Answers that were neither a confirmation nor a plain error (must be 0). */
  unclear: number;
  /** Not saved the first time, saved when sent again after the faults. */
  savedOnRetry: number;
  /** Told "Nothing was saved" although the incident was stored (a lost batch answer; must be 0). */
  falselyToldNotSaved: number;
  /** Acknowledged but missing, or stored under another reference (must be 0). */
  lost: number;
  /** Incidents beyond one per submission (must be 0). */
  duplicated: number;
  alertsExpected: number;
  /** Alerts Graph received exactly once (must equal alertsExpected). */
  alertsDeliveredOnce: number;
  /** Every Graph request, repeats included. */
  graphRequests: number;
  alertsMissing: number;
  alertsDuplicated: number;
  /** Alerts besides the incidents' own (early warnings set off by the burst), none repeated. */
  otherAlertsOnce: number;
  /** Graph requests with no alert id or chainId (must be 0). */
  unidentifiedRequests: number;
  /** Per alert id: the missing ones with their outbox state, and the repeated ones with their count. */
  alertDetail: Pick<AlertTally, "missing" | "duplicated">;
  seed: number;
  faults: ReturnType<FaultProxy["counts"]>;
  graphFaults: number;
  plainMessages: string[];
  ms: number;
}

type Outcome = { kind: "ack"; reference: string } | { kind: "error"; message: string } | { kind: "unclear"; detail: string };

const teacher = staffByRole(/^Teacher \(Year 3\)/);
const dsl = staffByRole(/^DSL/);

async function submitOnce(url: string, submissionId: string, pupilId: string, i: number): Promise<Outcome> {
  try {
    const res = await submitConcern(url, { from: teacher, alert: dsl }, submissionId, pupilId, `Soak account number ${i}, given at break.`);
    const text = await res.text();
    const reference = /KS-[A-Z0-9]{7}/.exec(text)?.[0];
    if (res.status === 200 && reference && /cannot be edited/.test(text)) return { kind: "ack", reference };
    const error = /"type":"application\/vnd\.microsoft\.error","value":\{"code":"([a-z_]+)","message":"([^"]+)"/.exec(text);
    if (error) return { kind: "error", message: `${error[1]}: ${error[2]}` };
    return { kind: "unclear", detail: `${res.status} ${text.slice(0, 200)}` };
  } catch (e) {
    return { kind: "unclear", detail: String(e) };
  }
}

async function waitFor(probe: () => boolean, timeoutMs: number): Promise<boolean> {
  const until = Date.now() + timeoutMs;
  while (!probe()) {
    if (Date.now() > until) return false;
    await new Promise((r) => setTimeout(r, 100));
  }
  return true;
}

export async function runSoak(opts: SoakOptions): Promise<SoakReport> {
  const started = Date.now();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "keepsafe-soak-"));
  let proxy: FaultProxy | undefined;
  const keepsafe = await startTestKeepsafe({ OUTBOX_INTERVAL_MS: "100", OUTBOX_RETRY_BASE_MS: "200" }, dataDir, {
    interposeCosmos: async (local) => {
      const tls = await loadOrCreateTls(dataDir);
      // Start-up (containers, the demo school) runs clean; the faults begin with the burst.
      proxy = await startFaultProxy({
        upstream: local.endpoint,
        caPem: local.caPem,
        certPem: tls.certPem,
        keyPem: tls.keyPem,
        seed: opts.seed,
        share: 0,
      });
      return proxy;
    },
  });
  try {
    const graph = keepsafe.local.graph!;
    const upns = demoSchoolCsv()
      .pupilsCsv.split(/\r?\n/)
      .slice(1, 21)
      .map((line) => line.split(",")[0])
      .filter(Boolean);
    const pupils = upns.map((upn) => pupilIdFor(DEMO_SCHOOL_ID, upn));
    const work = Array.from({ length: opts.submits }, (_, i) => ({ i, submissionId: crypto.randomUUID(), pupilId: pupils[i % pupils.length] }));
    const outcomes = new Map<string, Outcome>();

    // The burst: store faults throughout, Graph down for its first part.
    const graphFaults = Math.max(1, Math.ceil(opts.submits / 2));
    graph.injectFaults({ status: 503, count: graphFaults, retryAfterSeconds: 1 });
    proxy!.setShare(opts.faultShare);
    let next = 0;
    await Promise.all(
      Array.from({ length: opts.concurrency }, async () => {
        while (next < work.length) {
          const w = work[next++];
          outcomes.set(w.submissionId, await submitOnce(keepsafe.url, w.submissionId, w.pupilId, w.i));
        }
      }),
    );
    proxy!.setShare(0);

    // "Nothing was saved" must be true: read before anyone sends the form again.
    let falselyToldNotSaved = 0;
    for (const w of work) {
      const o = outcomes.get(w.submissionId);
      if (o?.kind === "error" && o.message.includes("Nothing was saved") && (await keepsafe.records.findBySubmission(w.submissionId)))
        falselyToldNotSaved++;
    }

    // A user told the save did not happen sends the same form again.
    let savedOnRetry = 0;
    const first = new Map(outcomes);
    for (const w of work) {
      if (first.get(w.submissionId)?.kind === "ack") continue;
      const again = await submitOnce(keepsafe.url, w.submissionId, w.pupilId, w.i);
      if (again.kind === "ack") savedOnRetry++;
      outcomes.set(w.submissionId, again);
    }

    // Stored once each, and what was acknowledged is what is stored.
    let lost = 0;
    for (const w of work) {
      const o = first.get(w.submissionId);
      const stored = await keepsafe.records.findBySubmission(w.submissionId);
      if (o?.kind === "ack" && stored?.reference !== o.reference) lost++;
    }
    const finalAcks = [...outcomes.values()].filter((o) => o.kind === "ack").length;
    const { incidents, duplicated } = await storedIncidents(
      keepsafe.records,
      work.map((w) => w.pupilId),
      finalAcks,
    );

    // Each incident alerts the DSL by activity feed and mail, once each, after Graph is back.
    const outboxNow = async () => (await Promise.all([...incidents].map(([id, pupilId]) => keepsafe.records.outboxForIncident(id, pupilId)))).flat();
    const expected = await outboxNow();
    await waitFor(() => tallyAlerts(expected, graph.requests()).missing.length === 0, opts.alertsTimeoutMs);
    await new Promise((r) => setTimeout(r, 1000)); // both kinds poll every 100 ms: a repeat shows here
    // Read the outbox again so a missing alert is reported with the state it is stuck in.
    const tally = tallyAlerts(await outboxNow(), graph.requests());
    const firstOutcomes = [...first.values()];
    return {
      submits: opts.submits,
      acknowledged: firstOutcomes.filter((o) => o.kind === "ack").length,
      toldNotSaved: firstOutcomes.filter((o) => o.kind === "error").length,
      unclear: [...outcomes.values()].filter((o) => o.kind === "unclear").length,
      savedOnRetry,
      falselyToldNotSaved,
      lost,
      duplicated,
      alertsExpected: tally.expected,
      alertsDeliveredOnce: tally.deliveredOnce,
      graphRequests: graph.requests().length,
      alertsMissing: tally.missing.length,
      alertsDuplicated: tally.duplicated.length,
      otherAlertsOnce: tally.others,
      unidentifiedRequests: tally.unidentified,
      alertDetail: { missing: tally.missing, duplicated: tally.duplicated },
      seed: opts.seed,
      faults: proxy!.counts(),
      graphFaults,
      plainMessages: [...new Set(firstOutcomes.flatMap((o) => (o.kind === "error" ? [o.message] : [])))],
      ms: Date.now() - started,
    };
  } finally {
    await keepsafe.cleanup();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}
