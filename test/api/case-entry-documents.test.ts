/**
 * Documents on a pupil's file, and a meeting's papers, through the tab API against the running
 * stack: real tokens, the embedded Cosmos DB server behind a proxy that can answer 429, and a real
 * Azurite this test can stop. The file goes up the one upload path (POST /api/files, the form's
 * requestId as its submissionId); the entry names it. Downloads are the safeguarding team's alone,
 * audited each time; anyone else is answered exactly as for a missing file, the refusal audited.
 */
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BlobServiceClient } from "@azure/storage-blob";
import { PDFParse } from "pdf-parse";
import { startAzurite, type LocalAzurite } from "../../src/local/azurite.js";
import { loadOrCreateTls } from "../../src/local/cosmos/tls-material.js";
import { LIMITS } from "../../src/domain/limits.js";
import { DEFAULT_DOCUMENT_TYPES } from "../../src/domain/case-entries.js";
import { DEMO_SCHOOL_ID } from "../../src/local/demo-school.js";
import { main as cli } from "../../src/cli/keepsafe.js";
import type { PupilSummary } from "../../src/app/pupil-index.js";
import { startTestKeepsafe, staffByRole, type TestKeepsafe } from "../support/keepsafe-instance.js";
import { startThrottlingProxy, type ThrottlingProxy } from "../support/throttling-proxy.js";
import { EXE, TINY_PDF as PDF } from "../support/sample-files.js";

const LETTER = Buffer.from("Letter from children's social care. CONTENT-NEVER-IN-THE-PDF: the assessment outcome.\n");

describe("documents on a pupil's file and a meeting's papers (API)", function () {
  this.timeout(180_000);
  let keepsafe: TestKeepsafe;
  let azurite: LocalAzurite;
  let blobDir: string;
  let dataDir: string;
  let proxy: ThrottlingProxy;
  const dsl = staffByRole(/^DSL/);
  const deputy = staffByRole(/^Deputy DSL/);
  const slt = staffByRole(/^SLT/);
  const headOfYear = staffByRole(/^Head of year \(Year 5\)/);
  const teacher = staffByRole(/Year 3/);
  let pupil: PupilSummary;
  const daysAgo = (d: number) => new Date(Date.now() - d * 86_400_000).toISOString();

  type Staff = typeof dsl;
  const upload = async (staff: Staff, submissionId: string, content: Buffer, name: string) => {
    const res = await keepsafe.api(`/api/files?${new URLSearchParams({ submissionId, name })}`, await keepsafe.tokenFor(staff), {
      method: "POST",
      headers: { "content-type": "application/octet-stream" },
      body: new Uint8Array(content),
    });
    return { status: res.status, body: (await res.json()) as any };
  };
  const add = async (staff: Staff, body: object | string, pupilId = pupil.id) => {
    const res = await keepsafe.api(`/api/pupils/${pupilId}/case-entries`, await keepsafe.tokenFor(staff), {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: typeof body === "string" ? body : JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as any };
  };
  const download = async (staff: Staff, caseEntryId: string, opts: { mfa?: boolean; pupilId?: string } = {}) =>
    keepsafe.api(
      `/api/pupils/${opts.pupilId ?? pupil.id}/case-entries/${encodeURIComponent(caseEntryId)}/file`,
      await keepsafe.tokenFor(staff, opts.mfa === undefined ? {} : { mfa: opts.mfa }),
    );
  const rows = async (staff: Staff) =>
    ((await (await keepsafe.api(`/api/pupils/${pupil.id}/chronology`, await keepsafe.tokenFor(staff))).json()) as { entries: any[] }).entries;
  const letterBody = (requestId: string, fileId: string, extra: object = {}) => ({
    kind: "document",
    requestId,
    occurredAt: daysAgo(3),
    title: "Outcome of the strategy discussion",
    documentType: "Letter from social care",
    note: "Filed on receipt.",
    fileId,
    ...extra,
  });
  /** A document uploaded and stored by the DSL: its entry id and the bytes. */
  const storedLetter = async (requestId = `doc-${randomUUID()}`) => {
    const up = await upload(dsl, requestId, LETTER, "letter from social care.txt");
    assert.equal(up.status, 201, JSON.stringify(up.body));
    const res = await add(dsl, letterBody(requestId, up.body.fileId));
    assert.equal(res.status, 201, JSON.stringify(res.body));
    return { id: res.body.entry.id as string, fileId: up.body.fileId as string, requestId };
  };
  const auditOf = async () => keepsafe.records.auditForPupil(pupil.id);
  const blobs = async () => {
    const names: string[] = [];
    for await (const b of BlobServiceClient.fromConnectionString(azurite.connectionString).getContainerClient("evidence").listBlobsFlat())
      names.push(b.name);
    return names;
  };

  before(async () => {
    blobDir = await mkdtemp(join(tmpdir(), "keepsafe-doc-blob-"));
    azurite = await startAzurite({ dataDir: blobDir });
    dataDir = await mkdtemp(join(tmpdir(), "keepsafe-doc-"));
    keepsafe = await startTestKeepsafe({ BLOB_CONNECTION_STRING: azurite.connectionString }, dataDir, {
      interposeCosmos: async (local) => {
        // The proxy answers with the local server's own certificate, which Keepsafe trusts.
        const tls = await loadOrCreateTls(dataDir);
        proxy = await startThrottlingProxy({ upstream: local.endpoint, caPem: local.caPem, certPem: tls.certPem, keyPem: tls.keyPem });
        return proxy;
      },
    });
    const actor = await keepsafe.service.resolveActor(headOfYear.oid, { mfa: true });
    // A Year 5 pupil: inside the head of year's scope, so their refusal is the document's, not the pupil's.
    pupil = (await keepsafe.service.searchPupils(actor, "a")).find((p) => p.yearGroup === "Year 5")!;
    assert.ok(pupil, "a Year 5 pupil");
  });
  after(async () => {
    await keepsafe?.cleanup();
    await azurite?.stop();
    await rm(blobDir, { recursive: true, force: true });
    await rm(dataDir, { recursive: true, force: true });
  });

  it("a DSL puts a letter from social care on the pupil's file: in time order with who uploaded it and when, downloaded byte for byte, audited every time", async () => {
    const requestId = `doc-${randomUUID()}`;
    const { id, fileId } = await storedLetter(requestId);
    assert.match(id, /^document-/);

    const again = await add(dsl, letterBody(requestId, fileId));
    assert.equal(again.status, 200, `the same form again adds nothing: ${JSON.stringify(again.body)}`);
    assert.equal(again.body.entry.id, id);
    const draft = await (await keepsafe.api(`/api/files?submissionId=${requestId}`, await keepsafe.tokenFor(dsl))).json();
    assert.deepEqual((draft as any).files, [], "the entry holds the file now; the form's draft is forgotten");

    const row = (await rows(dsl)).find((r) => r.caseEntryId === id);
    assert.ok(row, "on the chronology");
    assert.equal(row.caseEntryKind, "document");
    assert.equal(row.reference, "Document");
    assert.equal(row.documentType, "Letter from social care");
    assert.ok(Math.abs(Date.parse(row.occurredAt) - Date.parse(daysAgo(3))) < 120_000, "dated as the document is, not as uploaded");
    assert.match(row.summary, /Letter from social care: Outcome of the strategy discussion/);
    assert.equal(row.file.name, "letter from social care.txt");
    assert.equal(row.file.typeLabel, "plain text");
    assert.equal(row.file.size, LETTER.length);
    assert.deepEqual(row.file.uploadedBy, { staffId: dsl.oid, name: dsl.displayName });
    assert.ok(Date.parse(row.file.uploadedAt) > Date.now() - 120_000, "uploaded just now");
    assert.equal(row.file.downloadUrl, `/api/pupils/${pupil.id}/case-entries/${id}/file`);
    assert.ok(!("key" in row.file), "the blob key stays on the server");

    const before = (await auditOf()).filter((e) => e.type === "file.downloaded" && e.detail?.caseEntryId === id).length;
    for (const who of [dsl, deputy]) {
      const res = await download(who, id);
      assert.equal(res.status, 200);
      assert.equal(res.headers.get("content-type"), "text/plain; charset=utf-8");
      assert.match(res.headers.get("content-disposition") ?? "", /^attachment; filename="letter_from_social_care.txt"/);
      assert.equal(res.headers.get("x-content-type-options"), "nosniff");
      assert.ok(Buffer.from(await res.arrayBuffer()).equals(LETTER), "byte for byte");
    }
    const audit = await auditOf();
    const downloads = audit.filter((e) => e.type === "file.downloaded" && e.detail?.caseEntryId === id);
    assert.equal(downloads.length - before, 2, "each download audited");
    assert.deepEqual(downloads.map((e) => e.actorStaffId).sort(), [dsl.oid, deputy.oid].sort());
    const recorded = audit.filter((e) => e.type === "case-entry.recorded" && e.detail?.caseEntryId === id);
    assert.equal(recorded.length, 1, "one audit event for the entry, none for the repeat");
    assert.equal(recorded[0].detail?.fileId, fileId);
    assert.ok(
      !JSON.stringify(audit).includes("strategy discussion") && !JSON.stringify(audit).includes("letter from social care.txt"),
      "no words in the audit",
    );
  });

  it("a meeting's papers go up the same way and are downloaded from the meeting's row; a meeting without papers has none", async () => {
    const requestId = `meet-${randomUUID()}`;
    const up = await upload(deputy, requestId, PDF, "core group minutes.pdf");
    assert.equal(up.status, 201, JSON.stringify(up.body));
    const meeting = {
      kind: "meeting",
      requestId,
      occurredAt: daysAgo(2),
      meetingType: "Core group",
      attendees: "DSL, social worker",
      notes: "Plan reviewed",
    };
    const res = await add(deputy, { ...meeting, fileId: up.body.fileId });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    const plain = await add(deputy, { ...meeting, requestId: `meet-${randomUUID()}` });
    assert.equal(plain.status, 201, JSON.stringify(plain.body));

    const all = await rows(dsl);
    const row = all.find((r) => r.caseEntryId === res.body.entry.id);
    assert.equal(row.file.name, "core group minutes.pdf");
    assert.equal(row.file.typeLabel, "PDF");
    assert.deepEqual(row.file.uploadedBy, { staffId: deputy.oid, name: deputy.displayName });
    assert.equal(row.documentType, undefined);
    assert.equal(all.find((r) => r.caseEntryId === plain.body.entry.id).file, undefined);

    const got = await download(dsl, res.body.entry.id);
    assert.equal(got.status, 200);
    assert.equal(got.headers.get("content-type"), "application/pdf");
    assert.ok(Buffer.from(await got.arrayBuffer()).equals(PDF));
    assert.equal((await download(dsl, plain.body.entry.id)).status, 404, "a meeting with no papers has no file");
  });

  it("anyone but the safeguarding team is answered exactly as for a missing file, and each refusal is audited; MFA is asked for first", async () => {
    const { id } = await storedLetter();
    const missing = await download(dsl, "document-no-such-entry");
    assert.equal(missing.status, 404);
    const missingBody = await missing.json();
    for (const who of [slt, headOfYear, teacher]) {
      const res = await download(who, id);
      assert.equal(res.status, 404, who.label);
      assert.deepEqual(await res.json(), missingBody, `${who.label}: the same answer as a missing file`);
    }
    for (const who of [slt, headOfYear])
      assert.ok(!(await rows(who)).some((r) => r.caseEntryId === id || r.file), `${who.label}'s chronology does not list the document`);
    const audit = await auditOf();
    for (const who of [slt, headOfYear, teacher])
      assert.ok(
        audit.some((e) => e.type === "access.refused" && e.actorStaffId === who.oid && e.detail?.request === "case-entry.file"),
        `${who.label}'s refusal audited`,
      );
    assert.ok(!audit.some((e) => e.type === "file.downloaded" && e.detail?.caseEntryId === id), "nobody downloaded it");

    const noMfa = await download(dsl, id, { mfa: false });
    assert.equal(noMfa.status, 401, "the DSL without the second factor is asked for it");
    assert.match(noMfa.headers.get("www-authenticate") ?? "", /insufficient_claims/);
    assert.equal((await download(dsl, id, { pupilId: "pupil-that-does-not-exist" })).status, 404, "another pupil's path finds nothing");
    assert.equal((await download(dsl, "referral-__proto__")).status, 404);
    const protoQuery = await keepsafe.api(`/api/pupils/${pupil.id}/case-entries/${id}/file?__proto__=x`, await keepsafe.tokenFor(dsl));
    assert.equal(protoQuery.status, 400, "a prototype key in the query is refused before anything reads it");
  });

  it("refuses bad documents and bad bodies with the problem named, storing no entry", async () => {
    const requestId = `bad-${randomUUID()}`;
    const countDocs = async () => (await rows(dsl)).filter((r) => r.caseEntryKind === "document").length;
    const docsBefore = await countDocs();

    const big = await upload(dsl, requestId, Buffer.alloc(LIMITS.fileMaxBytes + 1, 0x41), "huge.txt");
    assert.equal(big.status, 413, "over the existing limit");
    assert.equal(big.body.error.code, "payload_too_large");
    const exe = await upload(dsl, requestId, EXE, "minutes.pdf");
    assert.equal(exe.status, 415, "a program named .pdf");
    assert.equal(exe.body.error.code, "unsupported_file_type");
    const empty = await upload(dsl, requestId, Buffer.alloc(0), "empty.pdf");
    assert.equal(empty.status, 400, "an empty file");
    assert.match(JSON.stringify(empty.body.error), /empty/);

    const good = await upload(dsl, requestId, PDF, "report.pdf");
    assert.equal(good.status, 201);
    const fileId = good.body.fileId as string;
    const otherForm = `bad-${randomUUID()}`;
    const deputysUpload = await upload(deputy, otherForm, PDF, "theirs.pdf");
    const cases: [object | string, string, number?][] = [
      [{ ...letterBody(requestId, fileId), title: "" }, "title"],
      [(({ title: _t, ...rest }) => rest)(letterBody(requestId, fileId)), "title"],
      [(({ fileId: _f, ...rest }) => rest)(letterBody(requestId, fileId)), "fileId"],
      [{ ...letterBody(requestId, fileId), documentType: "Shopping list" }, "documentType"],
      [{ ...letterBody(requestId, fileId), occurredAt: new Date(Date.now() + 3 * 86_400_000).toISOString() }, "occurredAt"],
      [{ ...letterBody(requestId, fileId), fileId: "../../etc/passwd" }, "fileId"],
      [letterBody(requestId, randomUUID()), "fileId"],
      // A file on someone else's form (or another form of one's own) is not this form's.
      [letterBody(otherForm, deputysUpload.body.fileId), "fileId"],
      [letterBody(`bad-${randomUUID()}`, fileId), "fileId"],
      [{ ...letterBody(requestId, fileId), extra: 1 }, "extra"],
      [
        `{"kind":"document","requestId":"${requestId}","occurredAt":"${daysAgo(1)}","title":"t","documentType":"Report","fileId":"${fileId}","__proto__":{"x":1}}`,
        "",
      ],
      [
        `{"kind":"document","requestId":"${requestId}","occurredAt":"${daysAgo(1)}","title":"t","documentType":"Report","fileId":"${fileId}","constructor":{"x":1}}`,
        "",
      ],
    ];
    for (const [body, field] of cases) {
      const res = await add(dsl, body);
      assert.equal(res.status, 400, `${JSON.stringify(body)} -> ${JSON.stringify(res.body)}`);
      if (field) assert.ok(JSON.stringify(res.body.error).includes(field), `names ${field}: ${JSON.stringify(res.body.error)}`);
    }
    const meetingOnNobody = await add(
      dsl,
      { kind: "meeting", requestId, occurredAt: daysAgo(1), meetingType: "Core group", attendees: "DSL", notes: "n", fileId },
      "pupil-that-does-not-exist",
    );
    assert.equal(meetingOnNobody.status, 404, "a meeting document on a pupil who is not on the roll");
    assert.match(meetingOnNobody.body.error.message, /The pupil was not found/);
    assert.equal((await add(slt, letterBody(requestId, fileId))).status, 403, "SLT do not add documents");
    assert.equal(await countDocs(), docsBefore, "nothing stored");
    assert.ok(!(await auditOf()).some((e) => e.type === "case-entry.recorded" && String(e.detail?.caseEntryId).includes(requestId)));
  });

  it("the chronology PDF lists the document (name, type, uploader, date), never its content", async () => {
    await storedLetter();
    const today = new Date().toISOString().slice(0, 10);
    const from = daysAgo(10).slice(0, 10);
    const res = await keepsafe.api(`/api/pupils/${pupil.id}/chronology.pdf?from=${from}&to=${today}`, await keepsafe.tokenFor(dsl));
    assert.equal(res.status, 200);
    const parser = new PDFParse({ data: new Uint8Array(await res.arrayBuffer()) });
    const text = (await parser.getText()).text.replace(/\s+/g, " ");
    await parser.destroy();
    assert.ok(text.includes("Letter from social care: Outcome of the strategy discussion."), text.slice(0, 400));
    assert.ok(text.includes(`File: letter from social care.txt (plain text), uploaded by ${dsl.displayName}`), "name, type and uploader");
    assert.ok(!text.includes("CONTENT-NEVER-IN-THE-PDF"), "the document's content is not in the export");
  });

  it("the school sets its own document types with `keepsafe setup`: the form offers them, a document of a new type is stored, a removed type is refused but its old entries still read", async () => {
    /** `keepsafe setup` against the running Keepsafe's data, as a school's admin runs it: exit code and what it wrote to stderr. */
    const setup = async (json: string) => {
      const file = join(dataDir, `document-types-${randomUUID()}.json`);
      await writeFile(file, json);
      const err: string[] = [];
      const io = { out: () => {}, err: (l: string) => err.push(l), env: { KEEPSAFE_DATA_DIR: dataDir }, cwd: dataDir };
      return { code: await cli(["setup", "--file", file, "--school", DEMO_SCHOOL_ID], io), err: err.join("\n") };
    };
    const options = async () =>
      (await (await keepsafe.api("/api/case-entry-options", await keepsafe.tokenFor(dsl))).json()) as {
        documentTypes: string[];
        agencies: { id: string }[];
      };
    const offered = async () => (await options()).documentTypes;
    const documentOf = async (documentType: string) => {
      const requestId = `type-${randomUUID()}`;
      const up = await upload(dsl, requestId, LETTER, "notes.txt");
      assert.equal(up.status, 201, JSON.stringify(up.body));
      return { requestId, res: await add(dsl, letterBody(requestId, up.body.fileId, { documentType })) };
    };
    assert.deepEqual(await offered(), [...DEFAULT_DOCUMENT_TYPES], "a school that has set none is offered the defaults");
    const report = await documentOf("Report");
    assert.equal(report.res.status, 201, JSON.stringify(report.res.body));

    const PROTOTYPE_NAMES = ["__proto__", "constructor", "prototype"];
    const theirs = ["Letter from social care", "Strategy discussion notes", "Early help assessment", "Other"];
    try {
      const done = await setup(JSON.stringify({ documentTypes: theirs }));
      assert.equal(done.code, 0, done.err);
      assert.deepEqual(await offered(), theirs, "the form offers the school's list, in its order");

      const notes = await documentOf("Strategy discussion notes");
      assert.equal(notes.res.status, 201, JSON.stringify(notes.res.body));
      const all = await rows(dsl);
      assert.equal(all.find((r) => r.caseEntryId === notes.res.body.entry.id)?.documentType, "Strategy discussion notes");
      assert.equal(
        all.find((r) => r.caseEntryId === report.res.body.entry.id)?.documentType,
        "Report",
        "a removed type still reads on its old entry",
      );
      assert.match(all.find((r) => r.caseEntryId === report.res.body.entry.id)?.summary, /^Report: /);

      const removed = await documentOf("Report");
      assert.equal(removed.res.status, 400, JSON.stringify(removed.res.body));
      assert.deepEqual(
        removed.res.body.error.fields.map((f: { field: string; message: string }) => `${f.field}: ${f.message}`),
        ["documentType: Choose a type of document from the school's list."],
      );
      assert.ok(!(await rows(dsl)).some((r) => r.caseEntryId === `document-${removed.requestId}`), "nothing stored");

      for (const [json, problem] of [
        ['{"documentTypes": []}', "documentTypes: List at least one type of document."],
        ['{"documentTypes": ["Report", "report "]}', 'documentTypes: "report" is listed twice (as a document type, case does not count).'],
        ['{"documentTypes": ["Report", "__proto__"]}', 'documentTypes: "__proto__" cannot be used as a document type: choose another.'],
        ['{"documentTypes": ["constructor"]}', 'documentTypes: "constructor" cannot be used as a document type: choose another.'],
        ['{"documentTypes": ["prototype"]}', 'documentTypes: "prototype" cannot be used as a document type: choose another.'],
        ['{"documentTypes": ["  "]}', "documentTypes: Give the document type a name."],
        [JSON.stringify({ documentTypes: ["x".repeat(81)] }), "documentTypes: Keep a document type to 80 characters."],
        [
          '{"referralAgencies": [{"id": "constructor", "name": "X", "responseDays": 1}]}',
          'referralAgencies: "constructor" cannot be used as an id: choose another.',
        ],
        [
          '{"referralAgencies": [{"id": "prototype", "name": "X", "responseDays": 1}]}',
          'referralAgencies: "prototype" cannot be used as an id: choose another.',
        ],
        [
          '{"referralAgencies": [{"id": "__proto__", "name": "X", "responseDays": 1}]}',
          'referralAgencies: "__proto__" cannot be used as an id: choose another.',
        ],
      ]) {
        const refused = await setup(json);
        assert.equal(refused.code, 1, json);
        assert.match(refused.err, /Nothing was changed/, json);
        assert.ok(refused.err.includes(`  ${problem}`), `${json} -> ${refused.err}`);
      }
      assert.deepEqual(await offered(), theirs, "a refused setup changes nothing");
      assert.ok(!(await options()).agencies.some((a) => PROTOTYPE_NAMES.includes(a.id)), "no refused agency list saved");
    } finally {
      // The other tests here file their letters under the default types.
      assert.equal((await setup(JSON.stringify({ documentTypes: DEFAULT_DOCUMENT_TYPES }))).code, 0);
    }
  });

  it("a 429 from Cosmos DB during the batch stores no entry and leaves the uploaded file reachable from nothing; the same form again stores it", async () => {
    const requestId = `throttled-${randomUUID()}`;
    const up = await upload(dsl, requestId, LETTER, "letter.txt");
    assert.equal(up.status, 201);
    const entryId = `document-${requestId}`;
    proxy.throttleNext(Number.POSITIVE_INFINITY, 20, (req) => req.headers["x-ms-cosmos-is-batch-request"] === "true");
    let res: Awaited<ReturnType<typeof add>>;
    try {
      res = await add(dsl, letterBody(requestId, up.body.fileId));
    } finally {
      proxy.throttleNext(0);
    }
    assert.equal(res.status, 503, JSON.stringify(res.body));
    assert.equal(res.body.error.code, "store_unavailable");
    assert.ok(proxy.throttled() > 1, "the client retried before giving up");

    assert.ok(
      (await blobs()).some((b) => b.endsWith(up.body.fileId)),
      "the blob was written before the batch",
    );
    assert.equal(await keepsafe.service["deps"].caseEntries!.getCaseEntry(pupil.id, entryId), undefined, "no entry");
    assert.ok(!(await rows(dsl)).some((r) => r.caseEntryId === entryId), "not on the chronology");
    assert.ok(!(await auditOf()).some((e) => e.detail?.caseEntryId === entryId), "no audit of an entry that is not there");
    assert.equal((await download(dsl, entryId)).status, 404, "the orphaned file is reachable from nothing");

    const retried = await add(dsl, letterBody(requestId, up.body.fileId));
    assert.equal(retried.status, 201, JSON.stringify(retried.body));
    const got = await download(dsl, entryId);
    assert.equal(got.status, 200);
    assert.ok(Buffer.from(await got.arrayBuffer()).equals(LETTER), "the same file, stored once");
  });

  // Last: it stops this test's Azurite.
  it("with blob storage down, the upload answers 503 and nothing is recorded; a stored document's download says the store is unavailable", async () => {
    const { id } = await storedLetter();
    await azurite.stop();
    const requestId = `outage-${randomUUID()}`;
    const up = await upload(dsl, requestId, LETTER, "letter.txt");
    assert.equal(up.status, 503, JSON.stringify(up.body));
    assert.equal(up.body.error.code, "store_unavailable");
    const draft = (await (await keepsafe.api(`/api/files?submissionId=${requestId}`, await keepsafe.tokenFor(dsl))).json()) as any;
    assert.deepEqual([draft.files, draft.pending], [[], 0], "the reservation is given back");
    const res = await add(dsl, letterBody(requestId, randomUUID()));
    assert.equal(res.status, 400, "no upload, no document");
    assert.ok(!(await rows(dsl)).some((r) => r.caseEntryId === `document-${requestId}`));
    const down = await download(dsl, id);
    assert.equal(down.status, 503, "a clear 'try again', not 'not found'");
  });
});
