/**
 * A restart, or a kill -9 of the server, loses no incident that the user was told was saved, and
 * sends each alert once: alerts already sent are not sent again, and alerts that could not be sent
 * before the kill (Graph was down) are sent after the restart.
 */
import assert from "node:assert/strict";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { spawnKeepsafe, type KeepsafeProcess } from "../support/keepsafe-process.js";
import { startGraphSandbox, type GraphSandbox } from "../../src/local/graph-sandbox/index.js";
import { staffByRole } from "../support/keepsafe-instance.js";
import { DEMO_SCHOOL_ID } from "../../src/local/demo-school.js";
import { demoSchoolCsv } from "../../src/local/demo-school.js";
import { pupilIdFor } from "../../src/domain/identifiers.js";
import { ssoTokenFor, submitConcern as submitAs } from "../support/plain-bot-calls.js";

const teacher = staffByRole(/^Teacher \(Year 3\)/);
const dsl = staffByRole(/^DSL/);
const submitConcern = (url: string, submissionId: string, pupilId: string, account: string) =>
  submitAs(url, { from: teacher, alert: dsl }, submissionId, pupilId, account);

async function waitFor(probe: () => boolean | Promise<boolean>, what: string, timeoutMs = 20_000) {
  const until = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 150));
  }
}

/** Alerts the dispatcher saved as sent, from its "outbox batch dispatched" lines (ids and counts only). */
function alertsSavedAsSent(output: string): number {
  let sent = 0;
  for (const line of output.split("\n")) {
    if (!line.includes('"outbox batch dispatched"')) continue;
    try {
      sent += (JSON.parse(line) as { sent?: number }).sent ?? 0;
    } catch {
      // the last line may still be arriving; it is read again on the next poll
    }
  }
  return sent;
}

describe("restart durability (kill -9)", function () {
  this.timeout(180_000);
  let dataDir: string;
  let graph: GraphSandbox | undefined;
  let keepsafe: KeepsafeProcess | undefined;

  const firstUpn = demoSchoolCsv().pupilsCsv.split(/\r?\n/)[1].split(",")[0];
  const pupilId = pupilIdFor(DEMO_SCHOOL_ID, firstUpn);

  before(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "keepsafe-restart-"));
  });
  after(async () => {
    await keepsafe?.stop();
    await graph?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it("keeps every confirmed incident and sends each alert exactly once across kill -9", async () => {
    graph = await startGraphSandbox({ dataDir: path.join(dataDir, "graph-outside") });
    const graphPort = new URL(graph.baseUrl).port;
    const env = {
      PORT: "0",
      KEEPSAFE_DATA_DIR: dataDir,
      GRAPH_BASE_URL: graph.baseUrl,
      GRAPH_ALERTS_MAILBOX: "alerts@oakfield.example",
      OUTBOX_INTERVAL_MS: "200",
      OUTBOX_RETRY_BASE_MS: "300",
      // JSON lines at info, so the test can read when the dispatcher has saved an alert as sent.
      LOG_LEVEL: "info",
      LOG_FORMAT: "json",
    };
    const sentFor = (incidentRef: string) => graph!.requests().filter((r) => JSON.stringify(r.body).includes(incidentRef));

    keepsafe = await spawnKeepsafe(env);

    // First concern: confirmed and its alerts delivered before the kill.
    const first = await submitConcern(keepsafe.url, crypto.randomUUID(), pupilId, "First account of the morning, written at length.");
    assert.equal(first.status, 200);
    const firstCard = JSON.stringify(await first.json());
    assert.match(firstCard, /cannot be edited/);
    // Delivered means Keepsafe has saved them as sent, not only that the sandbox recorded them: the
    // sandbox records a request before it answers, so stopping it then cuts the answer, the
    // dispatcher retries, and the restart sends both again (the 6 alerts seen once instead of 4).
    await waitFor(() => graph!.requests().length === 2, "the first incident's two alerts");
    await waitFor(() => alertsSavedAsSent(keepsafe!.output()) === 2, "Keepsafe saving the first incident's two alerts as sent");

    // Graph goes down; a second concern is confirmed; then the server is killed outright.
    await graph.stop();
    const second = await submitConcern(keepsafe.url, crypto.randomUUID(), pupilId, "Second account, confirmed while Graph is down.");
    assert.equal(second.status, 200);
    const secondBody = await second.json();
    assert.match(JSON.stringify(secondBody), /cannot be edited/);
    const secondRef = /KS-[A-Z0-9]{7}/.exec(JSON.stringify(secondBody))![0];
    await keepsafe.kill9();

    // Graph comes back on the same address with its record; Keepsafe restarts on the same data dir.
    graph = await startGraphSandbox({ dataDir: path.join(dataDir, "graph-outside"), port: Number(graphPort) });
    assert.equal(graph.requests().length, 2, "the sandbox kept its record of the first alerts");
    keepsafe = await spawnKeepsafe(env);

    // A message the dispatcher had claimed when the process died waits out its lease (60 s) before it is
    // sent again: the kill can land between the claim and the retry being saved, more often under load.
    await waitFor(() => graph!.requests().length >= 4, "the second incident's alerts after the restart", 75_000).catch((e) => {
      throw new Error(`${e.message}; sandbox has ${graph!.requests().length}; Keepsafe said:\n${keepsafe!.output().slice(-3000)}`);
    });
    await new Promise((r) => setTimeout(r, 1500)); // a resend would show up here
    const requests = graph.requests();
    assert.equal(requests.length, 4, "each alert sent exactly once");
    assert.equal(requests.filter((r) => r.kind === "mail").length, 2);
    assert.equal(requests.filter((r) => r.kind === "activity-notification").length, 2);
    assert.equal(requests.filter((r) => (r as { duplicate?: boolean }).duplicate).length, 0);
    assert.equal(sentFor(secondRef).length, 0, "alerts say only who raised it and the category");

    // Both incidents are in the pupil's chronology, read through the API as the DSL.
    const health = await fetch(`${keepsafe.url}/healthz`);
    assert.equal(health.status, 200);
    const token = await ssoTokenFor(keepsafe.url, dsl);
    const chronology = await fetch(`${keepsafe.url}/api/pupils/${pupilId}/chronology`, { headers: { authorization: `Bearer ${token}` } });
    assert.equal(chronology.status, 200);
    const body = (await chronology.json()) as { entries: { reference: string }[] };
    assert.equal(body.entries.length, 2);
    assert.ok(body.entries.some((e) => e.reference === secondRef));
  });
});
