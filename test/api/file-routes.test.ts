/**
 * POST /api/files over real HTTP on a restify server set up like src/http-server.ts (global query
 * and body parsers), storing into real Azurite through the Blob adapter. Identity is a stand-in
 * token validator and staff list: what is under test here is the file path.
 */
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BlobServiceClient } from "@azure/storage-blob";
import restify from "restify";
import { BlobFileStore } from "../../src/adapters/blob/blob-file-store.js";
import { registerFileRoutes } from "../../src/api/file-routes.js";
import type { Actor } from "../../src/domain/actor.js";
import { UnauthenticatedError } from "../../src/domain/errors.js";
import { InMemoryDraftStore } from "../../src/domain/files.js";
import { LIMITS } from "../../src/domain/limits.js";
import { startAzurite, type LocalAzurite } from "../../src/local/azurite.js";
import type { ValidatedClaims } from "../../src/ports/token-validator.js";
import { fileUseCases } from "../support/file-use-cases.js";
import { EXE } from "../support/sample-files.js";

const SCHOOL = "school-1";
const CONTAINER = "evidence-test";
const actors: Record<string, Actor> = {
  "token-teacher": { staffId: "staff-teacher", schoolId: SCHOOL, name: "A Teacher", role: "STAFF", mfa: false },
  "token-dsl": { staffId: "staff-dsl", schoolId: SCHOOL, name: "The DSL", role: "DSL", mfa: true },
};
const PNG_1X1 = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==", "base64");

describe("POST /api/files", function () {
  this.timeout(120_000);
  let azurite: LocalAzurite;
  let dataDir: string;
  let server: restify.Server;
  let base: string;
  let files: BlobFileStore;
  let drafts: InMemoryDraftStore;

  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), "keepsafe-files-"));
    azurite = await startAzurite({ dataDir });
    files = new BlobFileStore({ connectionString: azurite.connectionString, containerName: CONTAINER });
    drafts = new InMemoryDraftStore();
    server = restify.createServer({ name: "keepsafe-files-test", handleUncaughtExceptions: false });
    // The same global parsers as src/http-server.ts: the route must get past the 1 MB bodyParser.
    server.use(restify.plugins.queryParser({ mapParams: false }));
    server.use(restify.plugins.bodyParser({ mapParams: false, maxBodySize: 1024 * 1024, rejectUnknown: false }));
    registerFileRoutes(server, {
      service: fileUseCases({
        files,
        drafts,
        resolveActor: async (oid) => {
          const actor = Object.values(actors).find((a) => a.staffId === oid);
          if (!actor) throw UnauthenticatedError();
          return actor;
        },
      }),
      tokens: {
        validate: async (token) => {
          const actor = actors[token];
          if (!actor) throw UnauthenticatedError();
          return { oid: actor.staffId, tid: "t", name: actor.name, preferredUsername: "", scopes: [], amr: [], acrs: [] } satisfies ValidatedClaims;
        },
      },
      mfaPassed: () => false,
      mfaChallenge: () => 'Bearer realm=""',
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  after(async () => {
    if (server) {
      const closing = new Promise<void>((r) => server.close(() => r()));
      server.server.closeAllConnections();
      await closing;
    }
    await azurite?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  const upload = (
    body: Buffer | ReadableStream<Uint8Array>,
    query: Record<string, string>,
    token = "token-teacher",
    contentType = "application/octet-stream",
  ) =>
    fetch(`${base}/api/files?${new URLSearchParams(query)}`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": contentType },
      body,
      ...(body instanceof ReadableStream ? { duplex: "half" } : {}),
    } as RequestInit).then(async (res) => ({ status: res.status, body: (await res.json()) as Record<string, any> })); // eslint-disable-line @typescript-eslint/no-explicit-any

  /** Every blob Azurite holds for the school. */
  async function storedBlobs(): Promise<string[]> {
    const container = BlobServiceClient.fromConnectionString(azurite.connectionString).getContainerClient(CONTAINER);
    if (!(await container.exists())) return [];
    const names: string[] = [];
    for await (const blob of container.listBlobsFlat({ prefix: `${SCHOOL}/` })) names.push(blob.name);
    return names;
  }

  it("stores a PNG in blob storage, typed from its content, and it reads back byte for byte", async () => {
    const submissionId = randomUUID();
    // Bigger than restify's 1 MB body limit, to show the route reads its own stream.
    const png = Buffer.concat([PNG_1X1, Buffer.alloc(2 * 1024 * 1024, 7)]);
    const res = await upload(png, { submissionId, name: "C:\\photos\\arm.png" }, "token-teacher", "text/plain");
    assert.equal(res.status, 201, JSON.stringify(res.body));
    assert.equal(res.body.contentType, "image/png");
    assert.equal(res.body.size, png.length);
    assert.equal(res.body.name, "arm.png");
    const stored = await files.get(`${SCHOOL}/${res.body.fileId}`);
    assert.ok(stored, "the blob is in Azurite");
    assert.equal(stored.contentType, "image/png");
    assert.ok(stored.content.equals(png));
    const draft = await drafts.get({ staffId: "staff-teacher", schoolId: SCHOOL }, submissionId);
    assert.equal(draft?.files.length, 1);
    assert.deepEqual(draft?.files[0].uploadedBy, { staffId: "staff-teacher", name: "A Teacher" });
    assert.equal(draft?.files[0].key, `${SCHOOL}/${res.body.fileId}`, "the key never holds the file's name");
  });

  it("refuses a '.pdf' that is really a program with 415, storing nothing", async () => {
    const before = await storedBlobs();
    const submissionId = randomUUID();
    const res = await upload(EXE, { submissionId, name: "report.pdf" }, "token-teacher", "application/pdf");
    assert.equal(res.status, 415);
    assert.equal(res.body.error.code, "unsupported_file_type");
    assert.match(res.body.error.message, /PDF, PNG, JPEG/);
    assert.deepEqual(await storedBlobs(), before);
    assert.equal((await drafts.get({ staffId: "staff-teacher", schoolId: SCHOOL }, submissionId))?.files.length ?? 0, 0);
  });

  it("accepts plain UTF-8 text but not binary bytes with no known type", async () => {
    const ok = await upload(Buffer.from("Spoke to mum at 3:15pm – she said she'd call back.\n"), { submissionId: randomUUID(), name: "note.txt" });
    assert.equal(ok.status, 201);
    assert.equal(ok.body.contentType, "text/plain; charset=utf-8");
    const binary = await upload(Buffer.from([0x01, 0x00, 0xff, 0xfe, 0x00, 0x10]), { submissionId: randomUUID(), name: "note.txt" });
    assert.equal(binary.status, 415);
  });

  it("refuses a file over 40 MB with 413 and a clear message, storing nothing (declared size)", async () => {
    const before = await storedBlobs();
    const submissionId = randomUUID();
    const res = await upload(Buffer.alloc(LIMITS.fileMaxBytes + 1, 0x41), { submissionId, name: "big.txt" });
    assert.equal(res.status, 413);
    assert.equal(res.body.error.code, "payload_too_large");
    assert.match(res.body.error.message, /at most 40 MB/);
    assert.deepEqual(await storedBlobs(), before);
  });

  it("cuts off a streamed upload (no Content-Length) once it passes 40 MB, storing nothing", async () => {
    const before = await storedBlobs();
    const submissionId = randomUUID();
    const chunk = new Uint8Array(1024 * 1024).fill(0x41);
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent >= LIMITS.fileMaxBytes + 2 * chunk.length) return controller.close();
        sent += chunk.length;
        controller.enqueue(chunk);
      },
    });
    const res = await upload(stream, { submissionId, name: "big.txt" });
    assert.equal(res.status, 413);
    assert.match(res.body.error.message, /at most 40 MB/);
    assert.deepEqual(await storedBlobs(), before);
    // The place it held is given back: the form can still take its full ten files.
    const draft = await drafts.get({ staffId: "staff-teacher", schoolId: SCHOOL }, submissionId);
    assert.deepEqual(draft?.pendingFileIds ?? [], []);
  });

  it("refuses an 11th file for one form", async () => {
    const submissionId = randomUUID();
    for (let i = 1; i <= LIMITS.filesPerRecord; i++) {
      const res = await upload(Buffer.from(`Note ${i}\n`), { submissionId, name: `note-${i}.txt` });
      assert.equal(res.status, 201, `file ${i}`);
    }
    const before = await storedBlobs();
    const eleventh = await upload(PNG_1X1, { submissionId, name: "one-more.png" });
    assert.equal(eleventh.status, 409);
    assert.equal(eleventh.body.error.code, "conflict");
    assert.match(eleventh.body.error.message, /at most 10 files/);
    assert.deepEqual(await storedBlobs(), before);
  });

  it("records who wrote a scanned paper form when a DSL uploads it, and refuses that from other staff", async () => {
    const pdf = Buffer.from("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n");
    const submissionId = randomUUID();
    const res = await upload(pdf, { submissionId, name: "cause-for-concern.pdf", writtenBy: "Mrs Patel (lunchtime supervisor)" }, "token-dsl");
    assert.equal(res.status, 201);
    assert.equal(res.body.contentType, "application/pdf");
    assert.equal(res.body.writtenBy, "Mrs Patel (lunchtime supervisor)");
    const draft = await drafts.get({ staffId: "staff-dsl", schoolId: SCHOOL }, submissionId);
    assert.equal(draft?.files[0].writtenBy, "Mrs Patel (lunchtime supervisor)");
    assert.equal(draft?.files[0].uploadedBy.staffId, "staff-dsl");

    const refused = await upload(pdf, { submissionId: randomUUID(), name: "form.pdf", writtenBy: "Someone" });
    assert.equal(refused.status, 403);
  });

  it("needs a valid bearer token and keeps one person's form from another", async () => {
    const anon = await fetch(`${base}/api/files?submissionId=${randomUUID()}`, { method: "POST", body: PNG_1X1 });
    assert.equal(anon.status, 401);
    const submissionId = randomUUID();
    assert.equal((await upload(PNG_1X1, { submissionId })).status, 201);
    // Someone else using the same form id gets a form of their own; the first person's is untouched.
    const other = await upload(PNG_1X1, { submissionId }, "token-dsl");
    assert.equal(other.status, 201);
    assert.equal((await drafts.get({ staffId: "staff-teacher", schoolId: SCHOOL }, submissionId))?.files.length, 1);
    assert.equal((await drafts.get({ staffId: "staff-dsl", schoolId: SCHOOL }, submissionId))?.files.length, 1);
  });
});
