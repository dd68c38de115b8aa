/**
 * A concern's body map and files, end to end over real HTTP: the body map through the dialog's
 * task/submit, two files through the real POST /api/files into real Azurite, kept as the form's
 * draft in the real local Cosmos server, then the chat card's submit stores them with the
 * incident in its one write. Then GET /api/incidents/{id}/files/{fileId}: the bytes for those who
 * may read the incident, audited; 404 (as if missing) for a write-only colleague who was not involved.
 */
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import fs from "node:fs";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import restify from "restify";
import { BlobFileStore } from "../../src/adapters/blob/blob-file-store.js";
import { createCosmosStores, type CosmosStores } from "../../src/adapters/cosmos/create-cosmos-stores.js";
import { registerFileRoutes } from "../../src/api/file-routes.js";
import { KeepsafeService } from "../../src/app/keepsafe-service.js";
import type { DraftStore } from "../../src/domain/files.js";
import { LIMITS } from "../../src/domain/limits.js";
import { startAzurite, type LocalAzurite } from "../../src/local/azurite.js";
import { startLocalCosmos, type LocalCosmos } from "../../src/local/cosmos/local-cosmos.js";
import { DEMO_SCHOOL_ID, DEMO_STAFF, ensureDemoSchool } from "../../src/local/demo-school.js";
import { systemClock } from "../../src/ports/clock.js";
import type { ValidatedClaims } from "../../src/ports/token-validator.js";
import { wallClockNow } from "../../src/domain/wall-clock.js";
import { startBotHarness, type BotHarness } from "./support/bot-harness.js";
import type { Json } from "./support/card-helpers.js";

const teacher = DEMO_STAFF.find((s) => s.role === "STAFF")!;
const colleague = DEMO_STAFF.filter((s) => s.role === "STAFF")[1]!;
const dsl = DEMO_STAFF.find((s) => s.role === "DSL")!;
const PUBLIC_URL = "https://keepsafe.school.example";
const PNG_1X1 = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==", "base64");
const PDF = Buffer.from("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n");

describe("body map and files go with the concern, and files come back only to readers", function () {
  this.timeout(60_000);
  let dataDir: string;
  let cosmos: LocalCosmos;
  let azurite: LocalAzurite;
  let stores: CosmosStores;
  let drafts: DraftStore;
  let harness: BotHarness;
  let api: restify.Server;
  let apiBase: string;
  let pupilId: string;

  before(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "keepsafe-attach-"));
    [cosmos, azurite] = await Promise.all([
      startLocalCosmos({ dataDir: path.join(dataDir, "cosmos") }),
      startAzurite({ dataDir: path.join(dataDir, "blob") }),
    ]);
    stores = await createCosmosStores({ endpoint: cosmos.endpoint, key: cosmos.key, caPem: cosmos.caPem, databaseId: "keepsafe-attach" });
    await ensureDemoSchool(stores.schoolStore, systemClock);
    pupilId = (await stores.schoolStore.listPupils(DEMO_SCHOOL_ID))[0].id;
    drafts = stores.draftStore;
    const files = new BlobFileStore({ connectionString: azurite.connectionString, containerName: "evidence-attach" });
    // As src/compose.ts wires it: the service records with the drafts and keeps the files; the edges get the service only.
    const service = new KeepsafeService({ schools: stores.schoolStore, records: stores.recordStore, drafts, files, clock: systemClock });
    harness = await startBotHarness(service, { dialogs: { publicUrl: PUBLIC_URL, drafts: service } });

    api = restify.createServer({ name: "keepsafe-attach-test", handleUncaughtExceptions: false });
    api.use(restify.plugins.queryParser({ mapParams: false }));
    api.use(restify.plugins.bodyParser({ mapParams: false, maxBodySize: 1024 * 1024, rejectUnknown: false }));
    // Identity is a stand-in (token = "oid[:mfa]"); the staff list, policy and stores are real.
    registerFileRoutes(api, {
      service,
      tokens: {
        validate: async (token) => {
          const [oid, mfa] = token.split(":");
          return { oid, tid: "t", name: "", preferredUsername: "", scopes: [], amr: mfa ? ["mfa"] : [], acrs: [] } satisfies ValidatedClaims;
        },
      },
      mfaPassed: (claims) => claims.amr.includes("mfa"),
      mfaChallenge: () => 'Bearer realm=""',
    });
    await new Promise<void>((r) => api.listen(0, "127.0.0.1", () => r()));
    apiBase = `http://127.0.0.1:${(api.address() as AddressInfo).port}`;
  });
  after(async () => {
    if (api) {
      const closing = new Promise<void>((r) => api.close(() => r()));
      api.server.closeAllConnections();
      await closing;
    }
    await harness?.close();
    stores?.dispose();
    await Promise.all([cosmos?.stop(), azurite?.stop()]);
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const activity = (extra: Json, from: string): Json => harness.activity(extra, from, { id: `a:${from}`, conversationType: "personal" });
  const invoke = async (name: string, value: Json, from = teacher.oid) => {
    const res = await harness.post(activity({ type: "invoke", name, value }, from));
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return res.body as Json;
  };
  const upload = async (submissionId: string, content: Buffer, name: string, token: string = teacher.oid, writtenBy?: string) => {
    const res = await fetch(`${apiBase}/api/files?${new URLSearchParams({ submissionId, name, ...(writtenBy ? { writtenBy } : {}) })}`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}` },
      body: new Uint8Array(content),
    });
    return { status: res.status, body: (await res.json()) as Json };
  };
  const download = (incidentId: string, fileId: string, token?: string) =>
    fetch(`${apiBase}/api/incidents/${encodeURIComponent(incidentId)}/files/${encodeURIComponent(fileId)}`, {
      headers: token ? { authorization: `Bearer ${token}` } : {},
    });
  const formData = (submissionId: string): Json => {
    const anHourAgo = wallClockNow(new Date(Date.now() - 60 * 60 * 1000), "Europe/London");
    return {
      submissionId,
      verb: "submitConcern",
      pupilId,
      categoryIds: "welfare",
      occurredDate: anHourAgo.date,
      occurredTime: anHourAgo.time,
      account: "Bruising seen on the left forearm when sleeves were rolled up for painting.",
      alertStaffIds: dsl.oid,
    };
  };
  const submitCard = (data: Json, from = teacher.oid) =>
    invoke("adaptiveCard/action", { action: { type: "Action.Execute", verb: "submitConcern", data }, trigger: "manual" }, from);
  const owner = (oid: string) => ({ staffId: oid, schoolId: DEMO_SCHOOL_ID });

  let recorded: { incidentId: string; pngId: string; pdfId: string };

  it("stores the body map and both uploaded files' metadata with the incident, and not a file still uploading", async () => {
    const submissionId = randomUUID();
    const marks = [
      { side: "front", x: 0.3, y: 0.45, colour: "Purple", shape: "Bruise", size: "3 cm", note: "Left forearm" },
      { side: "back", x: 0.5, y: 0.2 },
    ];
    const saved = await invoke("task/submit", { data: { dialog: "body-map", submissionId, marks } });
    assert.match(saved.task.value, /saved with 2 marks/);
    const png = await upload(submissionId, PNG_1X1, "arm photo.png");
    const pdf = await upload(submissionId, PDF, "letter.pdf");
    assert.equal(png.status, 201, JSON.stringify(png.body));
    assert.equal(pdf.status, 201, JSON.stringify(pdf.body));
    // An upload that has begun but not finished holds a place; it is not part of the record.
    await drafts.reserveFile(owner(teacher.oid), submissionId, "still-uploading", LIMITS.filesPerRecord);

    const listed = await fetch(`${apiBase}/api/files?submissionId=${submissionId}`, { headers: { authorization: `Bearer ${teacher.oid}` } });
    assert.deepEqual(((await listed.json()) as Json).files.map((f: Json) => f.name).sort(), ["arm photo.png", "letter.pdf"]);

    const answer = await submitCard(formData(submissionId));
    assert.equal(answer.statusCode, 200, JSON.stringify(answer));
    const stored = await stores.recordStore.findBySubmission(submissionId);
    assert.ok(stored, "the incident is stored");
    assert.equal(stored.source, "bot");
    assert.deepEqual(stored.bodyMap?.marks, marks);
    assert.equal(stored.bodyMap?.recordedBy, teacher.oid);
    const byName = new Map((stored.files ?? []).map((f) => [f.name, f]));
    assert.deepEqual([...byName.keys()].sort(), ["arm photo.png", "letter.pdf"]);
    const storedPng = byName.get("arm photo.png")!;
    assert.deepEqual(
      { ...storedPng, uploadedAt: "" },
      {
        fileId: png.body.fileId,
        key: `${DEMO_SCHOOL_ID}/${png.body.fileId}`,
        name: "arm photo.png",
        contentType: "image/png",
        size: PNG_1X1.length,
        uploadedBy: { staffId: teacher.oid, name: teacher.displayName },
        uploadedAt: "",
      },
    );
    assert.ok(!Number.isNaN(Date.parse(storedPng.uploadedAt)));
    assert.equal(byName.get("letter.pdf")?.contentType, "application/pdf");
    assert.ok(!stored.files!.some((f) => f.fileId === "still-uploading"));
    const audit = (await stores.recordStore.auditForPupil(pupilId)).find((a) => a.incidentId === stored.id && a.type === "incident.recorded");
    assert.equal(audit?.detail?.files, 2);
    assert.equal(audit?.detail?.bodyMapMarks, 2);
    // The incident holds its own copy; the draft is gone.
    assert.equal(await drafts.get(owner(teacher.oid), submissionId), undefined);

    // A replayed submit, even after another upload to the same form id, changes nothing stored.
    assert.equal((await upload(submissionId, PDF, "late.pdf")).status, 201);
    const again = await submitCard(formData(submissionId));
    assert.match(JSON.stringify(again), /already recorded/);
    const after = await stores.recordStore.getIncident(stored.id);
    assert.deepEqual(after, stored);
    recorded = { incidentId: stored.id, pngId: png.body.fileId, pdfId: pdf.body.fileId };
  });

  it("never attaches a file from someone else's draft for the same form id", async () => {
    const submissionId = randomUUID();
    assert.equal((await upload(submissionId, PDF, "colleague's note.pdf", colleague.oid)).status, 201);
    const answer = await submitCard(formData(submissionId), teacher.oid);
    assert.equal(answer.statusCode, 200, JSON.stringify(answer));
    const stored = await stores.recordStore.findBySubmission(submissionId);
    assert.ok(stored);
    assert.equal(stored.raisedBy.staffId, teacher.oid);
    assert.equal(stored.files, undefined);
    assert.equal(stored.bodyMap, undefined);
    // The colleague's draft is theirs still, untouched, and not readable by the teacher.
    assert.equal((await drafts.get(owner(colleague.oid), submissionId))?.files.length, 1);
    const listed = await fetch(`${apiBase}/api/files?submissionId=${submissionId}`, { headers: { authorization: `Bearer ${teacher.oid}` } });
    // Answered exactly as an unknown form: the teacher learns nothing of the colleague's draft.
    assert.equal(listed.status, 200);
    assert.deepEqual(await listed.json(), { files: [], pending: 0 });
  });

  it("gives the DSL the file's bytes as a download and audits it", async () => {
    const res = await download(recorded.incidentId, recorded.pngId, `${dsl.oid}:mfa`);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get("content-type"), "image/png");
    assert.equal(res.headers.get("x-content-type-options"), "nosniff");
    assert.equal(res.headers.get("content-disposition"), `attachment; filename="arm photo.png"; filename*=UTF-8''arm%20photo.png`);
    assert.equal(res.headers.get("cache-control"), "no-store");
    assert.ok(Buffer.from(await res.arrayBuffer()).equals(PNG_1X1));
    const audit = (await stores.recordStore.auditForPupil(pupilId)).filter((a) => a.type === "file.downloaded");
    assert.equal(audit.length, 1);
    assert.equal(audit[0].actorStaffId, dsl.oid);
    assert.equal(audit[0].incidentId, recorded.incidentId);
    assert.deepEqual(audit[0].detail, { fileId: recorded.pngId, size: PNG_1X1.length, contentType: "image/png" });

    // The person who raised it may have it back too.
    const own = await download(recorded.incidentId, recorded.pdfId, teacher.oid);
    assert.equal(own.status, 200);
    assert.ok(Buffer.from(await own.arrayBuffer()).equals(PDF));
  });

  it("refuses a write-only colleague who was not involved (404, as missing), a DSL without MFA (401) and strangers, auditing no download", async () => {
    const auditBefore = (await stores.recordStore.auditForPupil(pupilId)).filter((a) => a.type === "file.downloaded").length;
    const colleagueRes = await download(recorded.incidentId, recorded.pngId, colleague.oid);
    assert.equal(colleagueRes.status, 404);
    assert.equal(((await colleagueRes.json()) as Json).error.code, "not_found");
    assert.equal((await download(recorded.incidentId, recorded.pngId, dsl.oid)).status, 401, "a DSL must have passed MFA");
    assert.equal((await download(recorded.incidentId, recorded.pngId)).status, 401);
    assert.equal((await download(recorded.incidentId, "no-such-file", `${dsl.oid}:mfa`)).status, 404);
    assert.equal((await download("no-such-incident", recorded.pngId, `${dsl.oid}:mfa`)).status, 404);
    const auditAfter = (await stores.recordStore.auditForPupil(pupilId)).filter((a) => a.type === "file.downloaded").length;
    assert.equal(auditAfter, auditBefore);
  });

  describe("the files dialog", () => {
    it("is a button beside Body map on the chat form", async () => {
      const before = harness.sent.length;
      await harness.post(activity({ type: "message", text: "hi" }, teacher.oid));
      const sent = await harness.waitForSent(before + 1);
      const card = sent[before].activity.attachments![0].content as Json;
      const titles = card.actions.map((a: Json) => a.title);
      assert.equal(titles.indexOf("Attach files"), titles.indexOf("Body map") + 1);
      assert.deepEqual(card.actions.find((a: Json) => a.title === "Attach files").data, {
        msteams: { type: "task/fetch" },
        dialog: "files",
        submissionId: card.actions[0].data.submissionId,
      });
    });

    it("opens the files page for the form, with the written-by box only for a DSL", async () => {
      const submissionId = randomUUID();
      const fetchFor = (oid: string) => invoke("task/fetch", { data: { msteams: { type: "task/fetch" }, dialog: "files", submissionId } }, oid);
      const forTeacher = (await fetchFor(teacher.oid)).task;
      assert.equal(forTeacher.type, "continue");
      assert.equal(forTeacher.value.title, "Attach files");
      assert.equal(forTeacher.value.url, `${PUBLIC_URL}/dialogs/files.html?submissionId=${submissionId}`);
      const forDsl = (await fetchFor(dsl.oid)).task;
      assert.equal(forDsl.value.url, `${PUBLIC_URL}/dialogs/files.html?submissionId=${submissionId}&scan=1`);
    });

    it("answers the page's submit with the names of the files the form holds", async () => {
      const submissionId = randomUUID();
      const none = await invoke("task/submit", { data: { dialog: "files", submissionId, files: [] } });
      assert.deepEqual(none.task, { type: "message", value: "No files are attached to this form." });
      const a = await upload(submissionId, PDF, "scan.pdf", `${dsl.oid}:mfa`, "Mrs Patel (lunchtime supervisor)");
      assert.equal(a.status, 201);
      await upload(submissionId, PNG_1X1, "photo.png", `${dsl.oid}:mfa`);
      const done = await invoke(
        "task/submit",
        { data: { dialog: "files", submissionId, files: [{ fileId: a.body.fileId, name: "scan.pdf" }] } },
        dsl.oid,
      );
      assert.equal(done.task.type, "message");
      assert.match(done.task.value, /^2 files attached: scan\.pdf, photo\.png\. They will be part of the record/);
      const reopened = await invoke("task/fetch", { data: { msteams: { type: "task/fetch" }, dialog: "files", submissionId } }, dsl.oid);
      assert.equal(reopened.task.value.title, "Attach files (2 attached)");
      // Someone else's submit for that form sees a form of their own: nothing of the DSL's files.
      const other = await invoke("task/submit", { data: { dialog: "files", submissionId, files: [] } }, teacher.oid);
      assert.deepEqual(other.task, { type: "message", value: "No files are attached to this form." });
    });
  });
});
