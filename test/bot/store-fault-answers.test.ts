/**
 * What a teacher is told when the store fails during a submit. The whole Keepsafe runs with the
 * fault proxy in front of its embedded Cosmos DB server; one fault at a time is aimed at the
 * incident's transactional batch, and the form is submitted through POST /api/messages as Teams
 * does. Each kind must answer `store_unavailable` with the plain "Nothing was saved; please try
 * again." (the soak found batch failures answered with the generic internal_error: the SDK
 * rewraps a failed batch as a plain Error and drops its status), and the same form sent again saves.
 */
import assert from "node:assert/strict";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { loadOrCreateTls } from "../../src/local/cosmos/tls-material.js";
import { DEMO_SCHOOL_ID, demoSchoolCsv } from "../../src/local/demo-school.js";
import { pupilIdFor } from "../../src/domain/identifiers.js";
import { startFaultProxy, type FaultKind, type FaultProxy } from "../support/fault-proxy.js";
import { staffByRole, startTestKeepsafe, type TestKeepsafe } from "../support/keepsafe-instance.js";
import { submitConcern } from "../support/plain-bot-calls.js";

const teacher = staffByRole(/^Teacher \(Year 3\)/);
const dsl = staffByRole(/^DSL/);
const PLAIN = "Nothing was saved; please try again.";

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
    return error ? { code: error[1], message: error[2] } : { saved: /KS-[A-Z0-9]{7}/.test(text) };
  };

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
      assert.deepEqual(await answerOf(submissionId), { saved: true });
    });
  }
});
