/**
 * Two Keepsafe processes (the real start script) on one data dir: the second joins the first's
 * local parts instead of failing on the data dir's lock, and the two behave as one Keepsafe. A
 * submit retried on the other instance (as Teams does when an answer is slow) is stored once, and
 * with both dispatchers polling one outbox, every alert is sent once.
 */
import assert from "node:assert/strict";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { spawnKeepsafe, type KeepsafeProcess } from "../support/keepsafe-process.js";
import { startGraphSandbox, type GraphSandbox } from "../../src/local/graph-sandbox/index.js";
import { staffByRole, waitFor } from "../support/keepsafe-instance.js";
import { DEMO_SCHOOL_ID, demoSchoolCsv } from "../../src/local/demo-school.js";
import { pupilIdFor } from "../../src/domain/identifiers.js";
import { ssoTokenFor, submitConcern as submitAs } from "../support/plain-bot-calls.js";

const teacher = staffByRole(/^Teacher \(Year 3\)/);
const dsl = staffByRole(/^DSL/);
const submitConcern = (url: string, submissionId: string, pupilId: string, account: string) =>
  submitAs(url, { from: teacher, alert: dsl }, submissionId, pupilId, account);

describe("two Keepsafe instances on one local store", function () {
  this.timeout(240_000);
  let dataDir: string;
  let graph: GraphSandbox | undefined;
  let first: KeepsafeProcess | undefined;
  let second: KeepsafeProcess | undefined;
  const pupilId = pupilIdFor(DEMO_SCHOOL_ID, demoSchoolCsv().pupilsCsv.split(/\r?\n/)[1].split(",")[0]);

  before(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "keepsafe-two-"));
  });
  after(async () => {
    await second?.stop();
    await first?.stop();
    await graph?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it("joins the running local parts, stores a submit retried on the other instance once and sends each alert once", async () => {
    graph = await startGraphSandbox();
    const env = {
      PORT: "0",
      KEEPSAFE_DATA_DIR: dataDir,
      GRAPH_BASE_URL: graph.baseUrl,
      GRAPH_ALERTS_MAILBOX: "alerts@oakfield.example",
      OUTBOX_INTERVAL_MS: "100",
      LOG_LEVEL: "info",
    };
    first = await spawnKeepsafe(env);
    second = await spawnKeepsafe(env);
    assert.notEqual(first.url, second.url);
    assert.match(second.output(), /joined the running local parts/);

    // One concern, submitted on the first instance and retried on the second with the same form id.
    const submissionId = crypto.randomUUID();
    const [a, b] = await Promise.all([
      submitConcern(first.url, submissionId, pupilId, "Account given at break, retried by Teams."),
      submitConcern(second.url, submissionId, pupilId, "Account given at break, retried by Teams."),
    ]);
    assert.equal(a.status, 200);
    assert.equal(b.status, 200);
    const refs = [JSON.stringify(await a.json()), JSON.stringify(await b.json())].map((t) => /KS-[A-Z0-9]{7}/.exec(t)?.[0]);
    assert.ok(refs[0], "the first instance confirmed the save");
    assert.equal(refs[1], refs[0], "the retry is told of the same incident");
    // A second concern on the second instance alone.
    const other = await submitConcern(second.url, crypto.randomUUID(), pupilId, "A second account, at lunch.");
    assert.equal(other.status, 200);

    // Two incidents, each with an activity notification and a mail, while both dispatchers poll.
    await waitFor(() => graph!.requests().length >= 4 || undefined, "the four alerts", 30_000);
    // Both dispatchers poll every 100 ms; a repeat would show up within these 15 polls (as in restart-durability).
    await new Promise((r) => setTimeout(r, 1500));
    const requests = graph.requests();
    assert.equal(requests.length, 4, "each alert sent once by the two instances together");
    assert.equal(requests.filter((r) => r.kind === "mail").length, 2);

    // Both instances read the same chronology, each signing in through the one identity provider.
    for (const instance of [first, second]) {
      const token = await ssoTokenFor(instance.url, dsl);
      const res = await fetch(`${instance.url}/api/pupils/${pupilId}/chronology`, { headers: { authorization: `Bearer ${token}` } });
      assert.equal(res.status, 200);
      const body = (await res.json()) as { entries: { reference: string }[] };
      assert.equal(body.entries.length, 2, `${instance.url} sees both incidents, stored once each`);
    }
  });
});
