/**
 * Finding 7: a record you may not open answered 403 where a missing one answered 404, so its
 * existence leaked. Now every door answers a refused record, file, action or draft byte for byte
 * as a missing one, over real HTTP against the whole of Keepsafe, and the refusal is audited.
 */
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { startTestKeepsafe, staffByRole, type TestKeepsafe } from "../support/keepsafe-instance.js";

const NOTE = Buffer.from("Lunchtime supervisor's note: pupil said they were scared to go home.\n");

describe("security: finding 7 — a record you may not see answers exactly as a missing one", function () {
  this.timeout(90_000);
  let keepsafe: TestKeepsafe;
  const dsl = staffByRole(/^DSL/);
  const slt = staffByRole(/^SLT/);
  const teacher = staffByRole(/^Teacher \(Year 3\)/);
  const admin = staffByRole(/^Admin staff/);
  let pupilId: string;
  let incidentId: string;
  let fileId: string;
  /** A form the teacher has started (a file kept with it) but not submitted. */
  let draftId: string;
  const missingId = "incident-that-does-not-exist";

  const answer = async (res: Response) => ({ status: res.status, body: await res.text() });
  const call = async (token: string, path: string, init: RequestInit = {}) => answer(await keepsafe.api(path, token, init));
  const json = (body: object): RequestInit => ({ method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  const upload = (token: string, submissionId: string) =>
    keepsafe.api(`/api/files?submissionId=${submissionId}&name=note.txt`, token, {
      method: "POST",
      body: NOTE,
      headers: { "content-type": "application/octet-stream" },
    });
  const records = () => keepsafe.service["deps"].records;
  const refusals = async () => (await records().auditForPupil(pupilId)).filter((e) => e.type === "access.refused" && e.actorStaffId === admin.oid);

  before(async () => {
    keepsafe = await startTestKeepsafe();
    const teacherToken = await keepsafe.tokenFor(teacher);
    pupilId = ((await (await keepsafe.api("/api/pupils?query=a", teacherToken)).json()) as { pupils: { id: string }[] }).pupils[0].id;
    const submissionId = `refused-${randomUUID()}`;
    assert.equal((await upload(teacherToken, submissionId)).status, 201);
    const recorded = await keepsafe.api(
      "/api/incidents",
      teacherToken,
      json({
        submissionId,
        source: "tab",
        pupilId,
        categoryIds: ["safeguarding"],
        occurredAt: new Date(Date.now() - 3600_000).toISOString(),
        account: "Said they were scared to go home because of shouting.",
        alertStaffIds: [dsl.oid],
        toldDslInPerson: "yes",
      }),
    );
    assert.equal(recorded.status, 201, await recorded.clone().text());
    incidentId = ((await recorded.json()) as { incident: { id: string } }).incident.id;
    const incident = await records().getIncident(incidentId);
    fileId = incident!.files![0].fileId;
    draftId = randomUUID();
    assert.equal((await upload(teacherToken, draftId)).status, 201);
  });
  after(async () => keepsafe?.cleanup());

  const action = { requestId: "req-refused-0001", text: "Spoke to the family.", occurredAt: new Date(Date.now() - 600_000).toISOString() };
  const ROUTES: [request: string, path: (id: string) => string, init?: () => RequestInit][] = [
    ["incident.view", (id) => `/api/incidents/${id}`],
    ["incident.acknowledge", (id) => `/api/incidents/${id}/acknowledge`, () => ({ method: "POST" })],
    ["action.add", (id) => `/api/incidents/${id}/actions`, () => json(action)],
    ["file.download", (id) => `/api/incidents/${id}/files/${fileId}`],
  ];

  for (const [request, path, init] of ROUTES) {
    it(`${request}: a record staff may not see answers 404 with the same body as a missing one, and is audited`, async () => {
      const token = await keepsafe.tokenFor(admin);
      const before = (await refusals()).length;
      const refused = await call(token, path(incidentId), init?.());
      const missing = await call(token, path(missingId), init?.());
      assert.equal(refused.status, 404);
      assert.deepEqual(refused, missing, "byte for byte as missing");
      assert.deepEqual(JSON.parse(refused.body), { error: { code: "not_found", message: "The record was not found." } });
      const audit = (await refusals()).slice(before);
      assert.equal(audit.length, 1, JSON.stringify(audit));
      assert.equal(audit[0].incidentId, incidentId);
      assert.deepEqual(audit[0].detail, { request, role: "STAFF" });
    });
  }

  it("stores no action for a refused POST", async () => {
    const actions = await records().actionsForIncident(incidentId, pupilId);
    assert.ok(!actions.some((a) => a.recordedBy.staffId === admin.oid));
  });

  it("answers SLT without MFA the same mfa_required for a record that exists and one that does not", async () => {
    const token = await keepsafe.tokenFor(slt, { mfa: false });
    for (const [, path, init] of ROUTES) {
      const exists = await keepsafe.api(path(incidentId), token, init?.());
      const missing = await keepsafe.api(path(missingId), token, init?.());
      assert.equal(exists.status, 401);
      assert.deepEqual(await answer(exists), await answer(missing));
      assert.equal(exists.headers.get("www-authenticate"), missing.headers.get("www-authenticate"));
    }
  });

  it("answers SLT (with MFA) a protected record exactly as a missing one", async () => {
    const token = await keepsafe.tokenFor(slt);
    assert.deepEqual(await call(token, `/api/incidents/${incidentId}`), await call(token, `/api/incidents/${missingId}`));
  });

  it("lists someone else's draft exactly as an unknown form: nothing", async () => {
    const token = await keepsafe.tokenFor(admin);
    const theirs = await call(token, `/api/files?submissionId=${draftId}`);
    const unknown = await call(token, `/api/files?submissionId=${randomUUID()}`);
    assert.deepEqual(theirs, unknown);
    assert.deepEqual(JSON.parse(theirs.body), { files: [], pending: 0 });
    // The teacher still has their own.
    const own = JSON.parse((await call(await keepsafe.tokenFor(teacher), `/api/files?submissionId=${draftId}`)).body);
    assert.equal(own.files.length, 1);
  });

  it("takes an upload to someone else's form id as a new form of one's own, leaving theirs untouched", async () => {
    const token = await keepsafe.tokenFor(admin);
    const theirs = await upload(token, draftId);
    const unknown = await upload(token, randomUUID());
    assert.equal(theirs.status, unknown.status);
    assert.equal(theirs.status, 201);
    const [a, b] = [(await theirs.json()) as Record<string, unknown>, (await unknown.json()) as Record<string, unknown>];
    assert.deepEqual(Object.keys(a).sort(), Object.keys(b).sort());
    const teacherFiles = JSON.parse((await call(await keepsafe.tokenFor(teacher), `/api/files?submissionId=${draftId}`)).body);
    assert.equal(teacherFiles.files.length, 1, "the teacher's form holds only their own file");
    const adminFiles = JSON.parse((await call(token, `/api/files?submissionId=${draftId}`)).body);
    assert.equal(adminFiles.files.length, 1, "the admin's upload went to a form of their own");
  });

  it("refuses staff the chronology for their role, the same for a pupil that exists and one that does not, auditing the real one", async () => {
    const token = await keepsafe.tokenFor(admin);
    const before = (await refusals()).length;
    const exists = await call(token, `/api/pupils/${pupilId}/chronology`);
    const missing = await call(token, `/api/pupils/pupil-that-does-not-exist/chronology`);
    assert.equal(exists.status, 403);
    assert.deepEqual(exists, missing);
    const audit = (await refusals()).slice(before);
    assert.equal(audit.length, 1);
    assert.deepEqual(audit[0].detail, { request: "chronology.view", role: "STAFF" });
    assert.equal(audit[0].incidentId, undefined);
  });
});
