/**
 * What a teacher is told when the store fails during a submit. The whole Keepsafe runs with the
 * fault proxy in front of its embedded Cosmos DB server; one fault at a time is aimed at the
 * incident's transactional batch, and the form is submitted through POST /api/messages as Teams
 * does (and through the tab's POST /api/incidents). A refusal the store made (503, exhausted 429)
 * or a connection dropped before the store acted must answer `store_unavailable` with the plain
 * "Nothing was saved; please try again." (the soak found batch failures answered with the generic
 * internal_error: the SDK rewraps a failed batch as a plain Error and drops its status), and the
 * same form sent again saves. A batch that landed with its answer lost must answer as saved (it
 * was), and when Keepsafe cannot read it back either, say so, never "Nothing was saved".
 */
import assert from "node:assert/strict";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { loadOrCreateTls } from "../../src/local/cosmos/tls-material.js";
import { DEMO_SCHOOL_ID, demoSchoolCsv } from "../../src/local/demo-school.js";
import { incidentIdFor, pupilIdFor, referenceFor } from "../../src/domain/identifiers.js";
import { startFaultProxy, type FaultKind, type FaultProxy } from "../support/fault-proxy.js";
import { staffByRole, startTestKeepsafe, type TestKeepsafe } from "../support/keepsafe-instance.js";
import { submitConcern } from "../support/plain-bot-calls.js";

const teacher = staffByRole(/^Teacher \(Year 3\)/);
const dsl = staffByRole(/^DSL/);
const PLAIN = "Nothing was saved; please try again.";
const CANNOT_TELL = "Keepsafe cannot tell yet whether this concern was saved";

describe("store faults during a submit answer store_unavailable plainly (fault proxy, /api/messages)", function () {
  this.timeout(120_000);
  let dataDir: string;
  let keepsafe: TestKeepsafe;
  let proxy: FaultProxy | undefined;
  const pupilId = pupilIdFor(DEMO_SCHOOL_ID, demoSchoolCsv().pupilsCsv.split(/\r?\n/)[1].split(",")[0]);

  before(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "keepsafe-store-fault-answers-"));
    keepsafe = await startTestKeepsafe({}, dataDir, {
      interposeCosmos: async (local) => {
        const tls = await loadOrCreateTls(dataDir);
        proxy = await startFaultProxy({ upstream: local.endpoint, caPem: local.caPem, certPem: tls.certPem, keyPem: tls.keyPem, seed: 11, share: 0 });
        return proxy;
      },
    });
  });
  after(async () => {
    await keepsafe?.cleanup();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const isBatch = (req: { headers: Record<string, unknown> }) => String(req.headers["x-ms-cosmos-is-batch-request"]).toLowerCase() === "true";
  const answerOf = async (submissionId: string) => {
    const text = await (await submitConcern(keepsafe.url, { from: teacher, alert: dsl }, submissionId, pupilId, "Said at lunch, fault test.")).text();
    const error = /"type":"application\/vnd\.microsoft\.error","value":\{"code":"([a-z_]+)","message":"([^"]+)"/.exec(text);
    return error ? { code: error[1], message: error[2] } : { saved: /KS-[A-Z0-9]{7}/.test(text), reference: /KS-[A-Z0-9]{7}/.exec(text)?.[0] };
  };
  const referenceOf = (submissionId: string) => referenceFor(incidentIdFor(DEMO_SCHOOL_ID, submissionId));
  /**
   * Every batch's answer is lost until the returned stop is called: the SDK sometimes sends a
   * batch again itself after a dropped connection (its retry then meets 409 and finds the
   * record), so dropping only the first would let the test pass without the read-back.
   */
  const loseBatchAnswers = () => {
    let on = true;
    proxy!.aim("dropAfter", (req) => on && isBatch(req), Number.POSITIVE_INFINITY);
    return () => void (on = false);
  };
  // A point read of one document in the records container (the read-back after a lost answer).
  const isRecordRead = (req: { method: string; url: string; headers: Record<string, unknown> }) =>
    req.method === "GET" && /\/colls\/records\/docs\/[^/]+$/.test(req.url.split("?")[0]!);

  // A 429 is retried by the SDK itself (up to 9 times), so it is aimed at every try.
  const cases: [FaultKind, number][] = [
    ["unavailable503", 1],
    ["throttle429", 10],
    ["dropBefore", 1],
  ];
  for (const [kind, times] of cases) {
    it(`a ${kind} on the incident's batch answers store_unavailable with the plain message, and the form sent again saves`, async () => {
      const submissionId = crypto.randomUUID();
      const served = proxy!.counts()[kind];
      proxy!.aim(kind, isBatch, times);
      const first = await answerOf(submissionId);
      assert.ok(proxy!.counts()[kind] > served, "the fault was served");
      assert.equal((first as { code?: string }).code, "store_unavailable", JSON.stringify(first));
      assert.ok((first as { message: string }).message.includes(PLAIN), (first as { message: string }).message);
      assert.deepEqual(await answerOf(submissionId), { saved: true, reference: referenceOf(submissionId) });
    });
  }

  it("a batch that lands but whose answer is lost (dropAfter) answers with the confirmation card, and sending again finds the same record", async () => {
    const submissionId = crypto.randomUUID();
    const served = proxy!.counts().dropAfter;
    const stop = loseBatchAnswers();
    const first = await answerOf(submissionId);
    stop();
    assert.ok(proxy!.counts().dropAfter > served, "the answer was dropped");
    assert.deepEqual(first, { saved: true, reference: referenceOf(submissionId) }, JSON.stringify(first));
    assert.deepEqual(await answerOf(submissionId), first, "the second send answers with the record the first stored");
  });

  it("a lost batch answer whose read-back fails too says Keepsafe cannot tell yet, never 'Nothing was saved', and sending again saves once", async () => {
    const submissionId = crypto.randomUUID();
    const served = proxy!.counts().dropAfter;
    let readsFail = true;
    const stop = loseBatchAnswers();
    // Only the reads after the lost batch answer fail, for as long as this first send lasts.
    proxy!.aim("dropBefore", (req) => readsFail && proxy!.counts().dropAfter > served && isRecordRead(req), Number.POSITIVE_INFINITY);
    const first = (await answerOf(submissionId)) as { code?: string; message?: string };
    readsFail = false;
    stop();
    assert.equal(first.code, "store_unavailable", JSON.stringify(first));
    assert.ok(first.message!.includes(CANNOT_TELL), first.message);
    assert.ok(first.message!.includes("will not be recorded twice"), first.message);
    assert.ok(!first.message!.includes("Nothing was saved"), first.message);
    assert.deepEqual(await answerOf(submissionId), { saved: true, reference: referenceOf(submissionId) });
  });

  it("the tab's submit whose batch lands with its answer lost answers 201 with the reference, and again 200 with the same one", async () => {
    const submissionId = crypto.randomUUID();
    const token = await keepsafe.tokenFor(teacher);
    const post = () =>
      keepsafe.api("/api/incidents", token, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          submissionId,
          source: "tab",
          pupilId,
          categoryIds: ["welfare"],
          occurredAt: new Date(Date.now() - 30 * 60_000).toISOString(),
          account: "Said at lunch, tab fault test.",
          status: "active",
          alertStaffIds: [dsl.oid],
        }),
      });
    const served = proxy!.counts().dropAfter;
    const stop = loseBatchAnswers();
    const first = await post();
    stop();
    assert.ok(proxy!.counts().dropAfter > served, "the answer was dropped");
    const body = await first.json();
    assert.equal(first.status, 201, JSON.stringify(body));
    assert.equal(body.incident.reference, referenceOf(submissionId));
    const again = await post();
    assert.equal(again.status, 200);
    assert.equal((await again.json()).incident.reference, referenceOf(submissionId));
  });

  it("a chronology read the store cannot answer says to try again in a moment, never 'Nothing was saved', and reads once the store is back", async () => {
    let on = true;
    // Every query to the records container while on: the SDK retries a 503 itself before giving up.
    const isRecordsQuery = (req: { method: string; url: string; headers: Record<string, unknown> }) =>
      on &&
      req.method === "POST" &&
      /\/colls\/records\/docs$/.test(req.url.split("?")[0]!) &&
      String(req.headers["x-ms-documentdb-isquery"]) === "true";
    const served = proxy!.counts().unavailable503;
    proxy!.aim("unavailable503", isRecordsQuery, Number.POSITIVE_INFINITY);
    const token = await keepsafe.tokenFor(dsl);
    const refused = await keepsafe.api(`/api/pupils/${pupilId}/chronology`, token);
    on = false;
    assert.ok(proxy!.counts().unavailable503 > served, "the fault was served");
    assert.equal(refused.status, 503);
    const body = (await refused.json()) as { error: { code: string; message: string } };
    assert.equal(body.error.code, "store_unavailable");
    assert.match(body.error.message, /could not be shown\. Please try again in a moment\./);
    assert.ok(!body.error.message.includes("Nothing was saved"), body.error.message);
    assert.equal((await keepsafe.api(`/api/pupils/${pupilId}/chronology`, token)).status, 200, "read again once the store answers");
  });
});
