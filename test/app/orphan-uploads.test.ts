/**
 * The orphan clean-up (orphan-upload-job.ts) against the running stack: uploads go up POST
 * /api/files into the local Azurite, records are stored through the tab API into the embedded
 * Cosmos DB server, and the job is run with an injected clock moved past the age. Never a stored
 * record's file, also when the record is stored between the job's listing and its delete.
 */
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import type { Clock } from "../../src/ports/clock.js";
import { startTestKeepsafe, staffByRole, type TestKeepsafe } from "../support/keepsafe-instance.js";

const HOUR = 3_600_000;
const NOTE = Buffer.from("A note written on paper at break time.\n");

describe("orphaned uploads are deleted (orphan clean-up job)", function () {
  this.timeout(180_000);
  let keepsafe: TestKeepsafe;
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
  const recordConcern = async (submissionId: string) => {
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
    assert.equal(res.status, 201, JSON.stringify(res.body));
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
    keepsafe = await startTestKeepsafe({}, undefined, { clock });
    const actor = await keepsafe.service.resolveActor(teacher.oid, { mfa: true });
    schoolId = actor.schoolId;
    pupilId = (await keepsafe.service.searchPupils(actor, "a"))[0].id;
  });
  after(async () => keepsafe?.cleanup());
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
});
