/**
 * The orphan clean-up (orphan-upload-job.ts) against the running stack: uploads go up POST
 * /api/files into the local Azurite, records are stored through the tab API into the embedded
 * Cosmos DB server (behind the fault proxy, which records what Keepsafe asks of it and refuses
 * when aimed), and the job is run with an injected clock moved past the age. Never a stored
 * record's file, also when the record is stored between the job's listing and its delete; and
 * never a query across pupils per candidate: the claim on the upload names the record to read.
 */
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import fs from "node:fs";
import type http from "node:http";
import os from "node:os";
import path from "node:path";
import { BlobServiceClient } from "@azure/storage-blob";
import { CLAIM_SETTLE_MS } from "../../src/app/orphan-upload-job.js";
import { incidentIdFor } from "../../src/domain/identifiers.js";
import { startAzurite, type LocalAzurite } from "../../src/local/azurite.js";
import { loadOrCreateTls } from "../../src/local/cosmos/tls-material.js";
import type { Clock } from "../../src/ports/clock.js";
import { startFaultProxy, type FaultProxy } from "../support/fault-proxy.js";
import { startTestKeepsafe, staffByRole, type TestKeepsafe } from "../support/keepsafe-instance.js";

const HOUR = 3_600_000;
const NOTE = Buffer.from("A note written on paper at break time.\n");

type Seen = { method: string; url: string; headers: http.IncomingHttpHeaders };
const header = (r: Seen, name: string) => r.headers[name];
const isQuery = (r: Seen) => String(header(r, "x-ms-documentdb-isquery")).toLowerCase() === "true";
const isBatch = (r: Seen) => String(header(r, "x-ms-cosmos-is-batch-request")).toLowerCase() === "true";
const toRecords = (r: Seen) => r.url.includes("/colls/records/");
/** A point read of one document in `records`, by its id. */
const pointReadOf = (r: Seen) =>
  r.method === "GET" && /\/colls\/records\/docs\/[^/]+$/.test(r.url.split("?")[0]!)
    ? decodeURIComponent(r.url.split("?")[0]!.split("/").at(-1)!)
    : undefined;

describe("orphaned uploads are deleted (orphan clean-up job)", function () {
  this.timeout(180_000);
  let keepsafe: TestKeepsafe;
  let dataDir: string;
  let proxy: FaultProxy;
  // This test's own Azurite, so it can store a blob as a Keepsafe from before claims did.
  let azurite: LocalAzurite;
  // What Keepsafe asks of the store while `recording` is on (the job's run in the cost test).
  let recording = false;
  const seen: Seen[] = [];
  let offsetMs = 0;
  const clock: Clock = { now: () => new Date(Date.now() + offsetMs) };
  const teacher = staffByRole(/^Teacher \(Year 3\)/);
  const dsl = staffByRole(/^DSL/);
  let pupilId: string;
  let schoolId: string;
  type Staff = typeof dsl;

  const post = async (staff: Staff, path: string, body: object) => {
    const res = await keepsafe.api(path, await keepsafe.tokenFor(staff), {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as any };
  };
  /** An upload for the form `submissionId`: its blob key. */
  const upload = async (staff: Staff, submissionId: string) => {
    const res = await keepsafe.api(`/api/files?${new URLSearchParams({ submissionId, name: "note.txt" })}`, await keepsafe.tokenFor(staff), {
      method: "POST",
      headers: { "content-type": "application/octet-stream" },
      body: new Uint8Array(NOTE),
    });
    const body = (await res.json()) as any;
    assert.equal(res.status, 201, JSON.stringify(body));
    return { fileId: body.fileId as string, key: `${schoolId}/${body.fileId}` };
  };
  const recordConcern = async (submissionId: string, expected = 201) => {
    const res = await post(teacher, "/api/incidents", {
      submissionId,
      source: "tab",
      pupilId,
      occurredAt: new Date(clock.now().getTime() - HOUR).toISOString(),
      account: "Came in upset and said they had not eaten since yesterday.",
      categoryIds: ["safeguarding"],
      toldDslInPerson: "yes",
      alertStaffIds: [],
    });
    assert.equal(res.status, expected, JSON.stringify(res.body));
    return res.body;
  };
  const storeDocument = async (requestId: string, fileId: string) => {
    const res = await post(dsl, `/api/pupils/${pupilId}/case-entries`, {
      kind: "document",
      requestId,
      occurredAt: new Date(clock.now().getTime() - HOUR).toISOString(),
      title: "Letter from the school nurse",
      documentType: "Letter from social care",
      fileId,
    });
    assert.equal(res.status, 201, JSON.stringify(res.body));
  };
  const stored = async (key: string) => (await keepsafe.files.get(key)) !== undefined;
  const run = async (opts: Parameters<TestKeepsafe["orphanUploads"]["runOnce"]>[0] = {}) => {
    const outcome = await keepsafe.orphanUploads.runOnce(opts);
    assert.equal(outcome.outcome, "cleaned");
    return outcome.outcome === "cleaned" ? outcome.schools.find((s) => s.schoolId === schoolId) : undefined;
  };

  before(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "keepsafe-orphans-"));
    azurite = await startAzurite({ dataDir });
    keepsafe = await startTestKeepsafe({ BLOB_CONNECTION_STRING: azurite.connectionString }, dataDir, {
      clock,
      interposeCosmos: async (local) => {
        const tls = await loadOrCreateTls(dataDir);
        proxy = await startFaultProxy({ upstream: local.endpoint, caPem: local.caPem, certPem: tls.certPem, keyPem: tls.keyPem, seed: 5, share: 0 });
        // A fault that never fires: the proxy shows this matcher every request, which it records.
        proxy.aim(
          "delay",
          (req) => {
            if (recording) seen.push(req);
            return false;
          },
          Number.POSITIVE_INFINITY,
        );
        return proxy;
      },
    });
    const actor = await keepsafe.service.resolveActor(teacher.oid, { mfa: true });
    schoolId = actor.schoolId;
    pupilId = (await keepsafe.service.searchPupils(actor, "a"))[0].id;
  });
  after(async () => {
    await keepsafe?.cleanup();
    await azurite?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });
  // Each test starts on the real time again, so its uploads are young until it moves the clock.
  beforeEach(() => (offsetMs = 0));

  it("orphan clean-up: an upload of a form never completed is kept before the age and deleted after it, the run audited with counts only", async () => {
    const orphan = await upload(teacher, `form-${randomUUID()}`);
    offsetMs = 191 * HOUR;
    await run();
    assert.ok(await stored(orphan.key), "191 hours old: not yet");

    offsetMs = 193 * HOUR;
    const counts = await run();
    assert.equal(await stored(orphan.key), false, "193 hours old and held by nothing: deleted");
    assert.ok(counts && counts.deleted >= 1, JSON.stringify(counts));

    const audit = (await keepsafe.records.auditForPupil(`school:${schoolId}`)).filter((e) => e.type === "files.orphans-cleaned");
    assert.ok(audit.length >= 1, "each run is audited");
    const last = audit.at(-1)!;
    assert.equal(last.actorStaffId, "keepsafe");
    assert.equal(last.via, "job");
    assert.deepEqual(Object.keys(last.detail ?? {}).sort(), ["checked", "deleted", "failed", "kept"]);
    assert.ok(!JSON.stringify(last).includes(orphan.fileId), "counts only: not even the file's id");
  });

  it("orphan clean-up: the files of a stored incident and of a stored case entry are kept past the age, and marked so they are not checked again", async () => {
    const concernForm = `form-${randomUUID()}`;
    const ofIncident = await upload(teacher, concernForm);
    await recordConcern(concernForm);
    const documentForm = `doc-${randomUUID()}`;
    const ofDocument = await upload(dsl, documentForm);
    await storeDocument(documentForm, ofDocument.fileId);

    offsetMs = 200 * HOUR;
    const first = await run();
    assert.ok(await stored(ofIncident.key), "the incident's file is kept");
    assert.ok(await stored(ofDocument.key), "the document's file is kept");
    assert.ok(first && first.kept >= 2, JSON.stringify(first));

    const mine = new Set([ofIncident.key, ofDocument.key]);
    for await (const f of keepsafe.files.list()) if (mine.has(f.key)) assert.equal(f.referenced, true, "marked as held");
    const second = await run();
    assert.equal(second?.kept ?? 0, 0, "a file found held is never a candidate again");
    assert.ok(await stored(ofIncident.key));
  });

  it("orphan clean-up race: a record stored after the listing and before the delete keeps its file", async () => {
    const form = `form-${randomUUID()}`;
    const racing = await upload(teacher, form);
    offsetMs = 196 * HOUR;
    let listed = false;
    const counts = await run({
      afterListing: async () => {
        listed = true;
        // The form is sent at last, while the job holds its list of candidates.
        await recordConcern(form);
      },
    });
    assert.ok(listed, "the job listed before the record was stored");
    assert.ok(await stored(racing.key), "re-checked right before its delete: kept");
    assert.ok(counts && counts.kept >= 1, JSON.stringify(counts));
  });
  it("orphan clean-up cost: a run over 8 unclaimed and 3 claimed uploads makes no query across pupils, one point read per claimed record, none per unclaimed upload", async () => {
    const orphans = await Promise.all(Array.from({ length: 8 }, () => upload(teacher, `form-${randomUUID()}`)));
    const held: { key: string; docId: string }[] = [];
    for (let i = 0; i < 2; i++) {
      const form = `form-${randomUUID()}`;
      const up = await upload(teacher, form);
      await recordConcern(form);
      held.push({ key: up.key, docId: incidentIdFor(schoolId, form) });
    }
    const documentForm = `doc-${randomUUID()}`;
    const ofDocument = await upload(dsl, documentForm);
    await storeDocument(documentForm, ofDocument.fileId);
    held.push({ key: ofDocument.key, docId: `caseEntry:document-${documentForm}` });

    offsetMs = 200 * HOUR;
    // Other tests' uploads may be candidates too: the records any candidate's claim names.
    const cutoff = clock.now().getTime() - keepsafe.config.orphanUploadMaxAgeMs;
    const claimedDocs: string[] = [];
    for await (const f of keepsafe.files.list())
      if (!f.referenced && f.claim && f.uploadedAt.getTime() <= cutoff)
        claimedDocs.push(f.claim.record === "incident" ? f.claim.recordId : `caseEntry:${f.claim.recordId}`);
    seen.length = 0;
    recording = true;
    const counts = await run().finally(() => (recording = false));
    const toRecordsInRun = seen.filter(toRecords);
    assert.deepEqual(
      toRecordsInRun.filter((r) => isQuery(r) && header(r, "x-ms-documentdb-partitionkey") === undefined).map((r) => r.url),
      [],
      "no query across pupils",
    );
    const reads = toRecordsInRun.map(pointReadOf).filter((id) => id !== undefined);
    for (const h of held) assert.equal(reads.filter((id) => id === h.docId).length, 1, `the claimed record read once: ${h.docId}`);
    assert.deepEqual(reads.sort(), claimedDocs.sort(), "one point read per claimed candidate, none for an unclaimed upload");
    for (const o of orphans) assert.equal(await stored(o.key), false, "unclaimed past the age: deleted");
    for (const h of held) assert.ok(await stored(h.key), "claimed by a stored record: kept");
    assert.ok(counts && counts.deleted >= orphans.length && counts.kept >= held.length, JSON.stringify(counts));
  });

  it("orphan clean-up claims: a claim whose batch never landed keeps its upload while it settles and not after; a form sent after its upload was removed is refused and stores nothing", async () => {
    const form = `form-${randomUUID()}`;
    const claimedOnly = await upload(teacher, form);
    offsetMs = 200 * HOUR;
    // The store refuses the incident's batch after the claim was written: as a crash between the two.
    let refusing = true;
    proxy.aim("unavailable503", (r) => refusing && isBatch(r), Number.POSITIVE_INFINITY);
    const refused = await recordConcern(form, 503).finally(() => (refusing = false));
    assert.equal(refused.error.code, "store_unavailable");
    assert.equal(await keepsafe.records.findBySubmission(form), undefined, "nothing stored");
    const listed = async () => {
      for await (const f of keepsafe.files.list()) if (f.key === claimedOnly.key) return f;
    };
    assert.equal((await listed())?.claim?.recordId, incidentIdFor(schoolId, form), "the claim was written before the batch");

    await run();
    assert.ok(await stored(claimedOnly.key), "claimed a moment ago: its batch may still land, so kept");
    assert.equal((await listed())?.referenced, false, "not marked: no record holds it yet");
    offsetMs += CLAIM_SETTLE_MS + HOUR;
    await run();
    assert.equal(await stored(claimedOnly.key), false, "the claim settled with no record: deleted as an orphan");

    offsetMs = 0;
    const late = `form-${randomUUID()}`;
    const removed = await upload(teacher, late);
    await keepsafe.files.delete(removed.key);
    const answer = await recordConcern(late, 400);
    assert.equal(answer.error.code, "validation_failed");
    assert.match(JSON.stringify(answer.error), /no longer kept.*Choose the file again/);
    assert.ok(!JSON.stringify(answer).includes(removed.fileId), "the answer names no file id");
    assert.equal(await keepsafe.records.findBySubmission(late), undefined, "no record naming a file that is gone");
  });
  it("orphan clean-up of files from before claims: one a stored record holds is found by the search and kept, one nothing holds is deleted", async () => {
    const evidence = BlobServiceClient.fromConnectionString(azurite.connectionString).getContainerClient("evidence");
    /** As an older Keepsafe left the blob: its upload time, no claim, no sign that claims are kept. */
    const asBeforeClaims = (key: string) => evidence.getBlobClient(key).setMetadata({ keepsafeuploadedat: clock.now().toISOString() });
    const form = `form-${randomUUID()}`;
    const ofIncident = await upload(teacher, form);
    await recordConcern(form);
    await asBeforeClaims(ofIncident.key);
    const unheld = await upload(teacher, `form-${randomUUID()}`);
    await asBeforeClaims(unheld.key);

    offsetMs = 200 * HOUR;
    await run();
    assert.ok(await stored(ofIncident.key), "held by a stored incident: kept");
    assert.equal(await stored(unheld.key), false, "held by nothing: deleted");
    for await (const f of keepsafe.files.list()) if (f.key === ofIncident.key) assert.equal(f.referenced, true, "marked, never searched for again");
  });
});
