/**
 * Subject access request packs over HTTP against a running Keepsafe: a DSL opens a request (the
 * deadline one calendar month from receipt, three once extended), previews the pack with its
 * redactions, chooses a passage to leave out, approves it, and exports it as a PDF that pdf-parse
 * reads back: the pupil's own entries and the watermark are there; other children's names and
 * initials, staff names and the chosen passage are not (removed, with [redacted] in their place).
 * Every step is audited with ids only; refusals are audited and answered as the contract says.
 */
import assert from "node:assert/strict";
import { pdfText } from "../support/pdf-text.js";
import { headingsOf, pdfStructure } from "../support/pdf-structure.js";
import { startTestKeepsafe, staffByRole, type TestKeepsafe } from "../support/keepsafe-instance.js";
import { DEMO_STAFF } from "../../src/local/demo-school.js";
import { pupilDisplayName, type Pupil } from "../../src/domain/school.js";
import { initialsOf } from "../../src/domain/redaction.js";
import type { SarPreview, SarRequestView } from "../../src/contract/subject-access-views.js";

describe("subject access request packs", function () {
  this.timeout(120_000);
  let keepsafe: TestKeepsafe;
  const dsl = staffByRole(/^DSL/);
  const slt = staffByRole(/^SLT/);
  const teacher = staffByRole(/^Teacher \(Year 3\)/);
  let subject: Pupil, other: Pupil, third: Pupil;
  let firstIncident: string;
  const passage = "the neighbour's dog barked all night";
  const lastYear = new Date().getUTCFullYear() - 1;
  const leap = (y: number) => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  const json = (body: unknown) => ({ method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  const names = (p: Pupil) => [p.forename, p.surname, ...(p.preferredName ? [p.preferredName] : [])].map((n) => n.toLowerCase());

  const record = async (body: Record<string, unknown>) => {
    const res = await keepsafe.api(
      "/api/incidents",
      await keepsafe.tokenFor(teacher),
      json({ source: "tab", alertStaffIds: [dsl.oid], categoryIds: ["welfare"], ...body }),
    );
    assert.equal(res.status, 201, await res.clone().text());
    return ((await res.json()) as { incident: { id: string } }).incident.id;
  };
  const asDsl = async (path: string, init?: RequestInit) => keepsafe.api(path, await keepsafe.tokenFor(dsl), init);

  before(async () => {
    keepsafe = await startTestKeepsafe();
    const roll = await keepsafe.service["deps"].schools.listPupils((await keepsafe.service.resolveActor(dsl.oid, { mfa: true })).schoolId);
    // Three pupils whose names and initials do not overlap each other's or any member of staff's,
    // so each absence below can only be the redaction's doing.
    const staffWords = new Set(DEMO_STAFF.flatMap((s) => s.displayName.toLowerCase().split(" ")));
    const distinct: Pupil[] = [];
    for (const p of roll) {
      if (names(p).some((n) => staffWords.has(n)) || p.preferredName) continue;
      if (distinct.some((q) => names(q).some((n) => names(p).includes(n)) || initialsOf(q.forename, q.surname) === initialsOf(p.forename, p.surname)))
        continue;
      distinct.push(p);
      if (distinct.length === 3) break;
    }
    [subject, other, third] = distinct as [Pupil, Pupil, Pupil];
    const day = (daysAgo: number) => new Date(Date.now() - daysAgo * 86_400_000).toISOString();
    const o = initialsOf(other.forename, other.surname);
    const t = initialsOf(third.forename, third.surname);
    firstIncident = await record({
      submissionId: "sar-test-first",
      pupilId: subject.id,
      occurredAt: day(20),
      linkedPupils: [{ pupilId: other.id, part: "alleged-perpetrator" }],
      account: `${subject.forename} told me that ${other.forename} ${other.surname} pushed her over. ${o} laughed. ${third.forename} ${third.surname} (${t[0]}.${t[1]}.) was nearby. Mrs Okafor and Gareth Hughes were told. She also said ${passage}.`,
    });
    await record({
      submissionId: "sar-test-second",
      pupilId: subject.id,
      occurredAt: day(10),
      account: "Forgot the swimming kit again today and was upset.",
    });
    await record({
      submissionId: "sar-test-unrelated",
      pupilId: other.id,
      occurredAt: day(5),
      account: "A concern only about the other child, never in this pack.",
    });
    const d = await keepsafe.service.resolveActor(dsl.oid, { mfa: true });
    await keepsafe.service.addAction(d, {
      incidentId: firstIncident,
      requestId: "sar-test-action",
      text: "Phoned home; spoke with Tom Fairweather about it.",
      occurredAt: day(19),
    });
  });
  after(async () => keepsafe?.cleanup());

  it("opens a request due one calendar month after receipt (31 January -> end of February), extends it once to three months, and lists it", async () => {
    const opened = await asDsl(
      "/api/subject-access-requests",
      json({ pupilId: subject.id, requester: "Mrs Example Parent", relationship: "parent", receivedOn: `${lastYear}-01-31` }),
    );
    assert.equal(opened.status, 201, await opened.clone().text());
    const { request } = (await opened.json()) as { request: SarRequestView };
    assert.equal(request.deadline, `${lastYear}-02-${leap(lastYear) ? 29 : 28}`);
    assert.equal(request.status, "open");
    assert.ok(request.daysLeft < 0 && request.dueSoon, "long overdue, so flagged");
    assert.equal(request.pupil.displayName, pupilDisplayName(subject));

    const extended = await asDsl(`/api/subject-access-requests/${request.id}/extension`, json({ reason: "Many records across several years." }));
    assert.equal(extended.status, 201);
    assert.equal(((await extended.json()) as { request: SarRequestView }).request.deadline, `${lastYear}-04-30`);
    const again = await asDsl(`/api/subject-access-requests/${request.id}/extension`, json({ reason: "A second try." }));
    assert.equal(((await again.json()) as { request: SarRequestView }).request.deadline, `${lastYear}-04-30`, "one extension only");

    const today = new Date().toISOString().slice(0, 10);
    const fresh = (await (
      await asDsl("/api/subject-access-requests", json({ pupilId: other.id, requester: "A carer", relationship: "carer", receivedOn: today }))
    ).json()) as { request: SarRequestView };
    assert.ok(fresh.request.daysLeft >= 27 && !fresh.request.dueSoon, "a month to go is not yet due soon");

    const list = (await (await asDsl("/api/subject-access-requests")).json()) as { requests: SarRequestView[] };
    assert.deepEqual(
      list.requests.map((r) => r.id),
      [request.id, fresh.request.id],
    );
    assert.equal(list.requests[0]!.extended, true);
  });

  it("previews, approves and exports a pack with other children's names and initials, staff names and the chosen passage removed", async () => {
    const { requests } = (await (await asDsl("/api/subject-access-requests")).json()) as { requests: SarRequestView[] };
    const requestId = requests.find((r) => r.pupil.id === subject.id)!.id;
    const preview = (await (await asDsl(`/api/subject-access-requests/${requestId}/preview`, json({ passages: [] }))).json()) as SarPreview;
    const account = preview.blocks.find((b) => b.id === `${firstIncident}:account`)!;
    assert.ok(account, "the pupil's incident is in the pack");
    assert.ok(!preview.blocks.some((b) => b.text.includes("never in this pack")), "another pupil's own record is not");
    assert.deepEqual([...new Set(account.redactions.map((r) => r.reason))].sort(), ["pupil", "staff"]);
    assert.ok(account.released.includes("pushed her over") && !account.released.includes(other.surname), account.released);

    const start = account.text.indexOf(passage);
    const passages = [{ blockId: account.id, start, end: start + passage.length }];
    const refusedPassages: unknown[] = [
      { passages: [{ blockId: account.id, start: 0, end: account.text.length + 1 }] },
      { passages: [{ blockId: "not-a-block", start: 0, end: 1 }] },
      { passages: [{ blockId: account.id, start: 5, end: 5 }] },
      JSON.parse('{"passages":[],"__proto__":{"polluted":true}}'),
    ];
    for (const body of refusedPassages)
      assert.equal((await asDsl(`/api/subject-access-requests/${requestId}/preview`, json(body))).status, 400, JSON.stringify(body));

    const approved = await asDsl(`/api/subject-access-requests/${requestId}/packs`, json({ passages }));
    assert.equal(approved.status, 201, await approved.clone().text());
    const { pack } = (await approved.json()) as { pack: { id: string; redactions: number } };
    assert.ok(pack.redactions >= 6);
    // Recorded after approval: the kept pack is what goes out, never rebuilt.
    await record({
      submissionId: "sar-test-later",
      pupilId: subject.id,
      occurredAt: new Date().toISOString(),
      account: "A later concern after the pack was approved.",
    });

    const res = await asDsl(`/api/subject-access-requests/${requestId}/packs/${pack.id}/pdf`);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get("content-type"), "application/pdf");
    const bytes = await res.arrayBuffer();
    // Tagged: the title the H1, then an H2 per block of the pack, in the preview's order.
    const tagged = await pdfStructure(bytes);
    const text = await pdfText(bytes); // pdf-parse hands the bytes to its worker: read them last
    assert.deepEqual([tagged.lang, tagged.marked], ["en-GB", true]);
    assert.deepEqual(headingsOf(tagged), ["H1: Subject access request", ...preview.blocks.map((b) => `H2: ${b.heading}`)]);
    for (const present of [
      "Subject access request",
      `${subject.forename} told me that`,
      "pushed her over",
      "swimming kit",
      "Phoned home",
      "[redacted]",
      "Released to Mrs Example Parent",
    ]) {
      assert.ok(text.includes(present), `has ${present}`);
    }
    const o = initialsOf(other.forename, other.surname);
    const t = initialsOf(third.forename, third.surname);
    const absent = [
      `${other.forename} ${other.surname}`,
      other.surname,
      ` ${o} `,
      `${third.forename} ${third.surname}`,
      third.surname,
      `${t[0]}.${t[1]}.`,
      ...DEMO_STAFF.map((s) => s.displayName),
      "Okafor",
      "Fairweather",
      passage,
      "never in this pack",
      "A later concern",
    ];
    for (const gone of absent) assert.ok(!text.includes(gone), `no ${gone}`);

    const listed = (await (await asDsl("/api/subject-access-requests")).json()) as { requests: SarRequestView[] };
    const after = listed.requests.find((r) => r.id === requestId)!;
    assert.equal(after.status, "released");
    assert.deepEqual(
      after.packs.map((p) => [p.id, p.approvedBy]),
      [[pack.id, dsl.displayName]],
    );

    const audit = await keepsafe.service["deps"].records.auditForPupil(subject.id);
    const steps = audit.filter((e) => e.type.startsWith("subject-access.") && e.actorStaffId === dsl.oid).map((e) => e.type);
    for (const type of ["subject-access.opened", "subject-access.previewed", "subject-access.approved", "subject-access.exported"])
      assert.ok(steps.includes(type as never), type);
    assert.equal(steps.filter((s) => s === "subject-access.extended").length, 1);
    const kept = JSON.stringify(audit);
    for (const word of ["Example Parent", other.surname, "neighbour", "Many records"])
      assert.ok(!kept.includes(word), `the audit holds ids, not ${word}`);
  });

  it("puts the pupil's case entries in the pack: a meeting's notes in, another pupil's and a staff name in a call removed", async () => {
    const hoursAgo = (h: number) => new Date(Date.now() - h * 3_600_000).toISOString();
    const entry = async (body: Record<string, unknown>) => {
      const res = await asDsl(`/api/pupils/${third.id}/case-entries`, json(body));
      assert.equal(res.status, 201, await res.clone().text());
    };
    await entry({
      kind: "meeting",
      requestId: "sar-ce-meeting",
      occurredAt: hoursAgo(30),
      meetingType: "Core group",
      attendees: "DSL, social worker, mum",
      notes: "Plan reviewed; the attendance target agreed",
    });
    await entry({
      kind: "phone-call",
      requestId: "sar-ce-call",
      occurredAt: hoursAgo(20),
      who: "Social worker",
      direction: "in",
      notes: `Asked whether ${other.forename} ${other.surname} was in the same class; Mrs Okafor to check.`,
    });
    const opened = await asDsl(
      "/api/subject-access-requests",
      json({ pupilId: third.id, requester: "A carer of the third", relationship: "carer", receivedOn: new Date().toISOString().slice(0, 10) }),
    );
    const { request } = (await opened.json()) as { request: SarRequestView };
    const preview = (await (await asDsl(`/api/subject-access-requests/${request.id}/preview`, json({ passages: [] }))).json()) as SarPreview;
    const call = preview.blocks.find((b) => b.heading.startsWith("Phone call"))!;
    assert.ok(call && call.redactions.some((r) => r.reason === "pupil") && call.redactions.some((r) => r.reason === "staff"), JSON.stringify(call));
    assert.ok(preview.blocks.some((b) => b.heading.startsWith("Meeting") && b.released.includes("attendance target agreed")));

    const { pack } = (await (await asDsl(`/api/subject-access-requests/${request.id}/packs`, json({ passages: [] }))).json()) as {
      pack: { id: string };
    };
    const text = await pdfText(await (await asDsl(`/api/subject-access-requests/${request.id}/packs/${pack.id}/pdf`)).arrayBuffer());
    for (const present of ["Core group", "Plan reviewed; the attendance target agreed", "Call from Social worker", "was in the same class"])
      assert.ok(text.includes(present), `has ${present}`);
    for (const gone of [`${other.forename} ${other.surname}`, other.surname, "Okafor"]) assert.ok(!text.includes(gone), `no ${gone}`);
  });

  it("is refused to SLT and staff (audited), to a DSL without MFA, and for bad input", async () => {
    const body = { pupilId: subject.id, requester: "Someone", relationship: "parent", receivedOn: `${lastYear}-03-01` };
    assert.equal((await keepsafe.api("/api/subject-access-requests", await keepsafe.tokenFor(slt), json(body))).status, 403);
    assert.equal((await keepsafe.api("/api/subject-access-requests", await keepsafe.tokenFor(teacher))).status, 403);
    assert.equal((await keepsafe.api("/api/subject-access-requests", await keepsafe.tokenFor(dsl, { mfa: false }))).status, 401);
    const refused = (await keepsafe.service["deps"].records.auditForPupil(subject.id)).filter(
      (e) => e.type === "access.refused" && e.detail?.request === "subject-access",
    );
    assert.deepEqual(
      refused.map((e) => e.actorStaffId),
      [slt.oid],
    );

    const tomorrow = new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10);
    for (const bad of [
      { ...body, receivedOn: tomorrow },
      { ...body, receivedOn: `${lastYear}-02-30` },
      { ...body, relationship: "aunt" },
      { ...body, requester: " " },
      { ...body, extra: 1 },
    ]) {
      assert.equal((await asDsl("/api/subject-access-requests", json(bad))).status, 400, JSON.stringify(bad));
    }
    assert.equal((await asDsl("/api/subject-access-requests", json({ ...body, pupilId: "nobody" }))).status, 404);
    assert.equal((await asDsl("/api/subject-access-requests/sar-nothing/preview", json({ passages: [] }))).status, 404);
    const { requests } = (await (await asDsl("/api/subject-access-requests")).json()) as { requests: SarRequestView[] };
    assert.equal((await asDsl(`/api/subject-access-requests/${requests[0]!.id}/packs/pack-nothing/pdf`)).status, 404);
  });
});
