/**
 * The DSL's choice of case entries in a subject access pack, and the automatic redaction of people
 * outside the school named in case entries, over HTTP against a running Keepsafe. Every entry is in
 * the pack unless left out; the choice is validated (only the pupil's own entries), shown in the
 * preview, kept with the approved pack and audited; the PDF (read back with pdf-parse) has nothing
 * of a left-out entry and none of the outside people's names or initials, wherever they were written.
 */
import assert from "node:assert/strict";
import { pdfText } from "../support/pdf-text.js";
import { startTestKeepsafe, staffByRole, type TestKeepsafe } from "../support/keepsafe-instance.js";
import { DEMO_STAFF } from "../../src/local/demo-school.js";
import { initialsOf } from "../../src/domain/redaction.js";
import type { Pupil } from "../../src/domain/school.js";
import type { SarPreview, SarRequestView } from "../../src/contract/subject-access-views.js";

describe("subject access pack entry choice and outside people", function () {
  this.timeout(120_000);
  let keepsafe: TestKeepsafe;
  const dsl = staffByRole(/^DSL/);
  const teacher = staffByRole(/^Teacher \(Year 3\)/);
  // Invented people outside the school; their initials are chosen to be no pupil's or member of staff's below.
  const worker = "Priya Ramanathan";
  const caller = "Declan Whitcombe";
  const agencyPerson = "Imogen Fairclough";
  const outsiders = [worker, caller, agencyPerson];
  const json = (body: unknown) => ({ method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  const asDsl = async (path: string, init?: RequestInit) => keepsafe.api(path, await keepsafe.tokenFor(dsl), init);
  const hoursAgo = (h: number) => new Date(Date.now() - h * 3_600_000).toISOString();
  let subject: Pupil, elsewhere: Pupil, briefly: Pupil;
  const ids: Record<"meeting" | "call" | "disclosure" | "leftOut" | "foreign", string> = Object.create(null);

  const entry = async (pupilId: string, body: Record<string, unknown>) => {
    const res = await asDsl(`/api/pupils/${pupilId}/case-entries`, json(body));
    assert.equal(res.status, 201, await res.clone().text());
    return ((await res.json()) as { entry: { id: string } }).entry.id;
  };
  const openRequest = async (requester: string, relationship: string, pupilId = subject.id) => {
    const body = { pupilId, requester, relationship, receivedOn: new Date().toISOString().slice(0, 10) };
    const opened = await asDsl("/api/subject-access-requests", json(body));
    assert.equal(opened.status, 201, await opened.clone().text());
    return ((await opened.json()) as { request: SarRequestView }).request;
  };
  /** The DSL approves a pack and exports it; its PDF as pdf-parse reads it back. */
  const approvedPdfText = async (requestId: string, body: unknown) => {
    const approved = await asDsl(`/api/subject-access-requests/${requestId}/packs`, json(body));
    assert.equal(approved.status, 201, await approved.clone().text());
    const { pack } = (await approved.json()) as { pack: { id: string } };
    return pdfText(await (await asDsl(`/api/subject-access-requests/${requestId}/packs/${pack.id}/pdf`)).arrayBuffer());
  };
  const preview = async (requestId: string, body: unknown) => asDsl(`/api/subject-access-requests/${requestId}/preview`, json(body));

  before(async () => {
    keepsafe = await startTestKeepsafe();
    const actor = await keepsafe.service.resolveActor(dsl.oid, { mfa: true });
    const roll = await keepsafe.service["deps"].schools.listPupils(actor.schoolId);
    const taken = new Set(outsiders.map((n) => initialsOf(...n.split(" "))));
    const staffWords = new Set(DEMO_STAFF.flatMap((s) => s.displayName.split(" ")));
    [subject, elsewhere, briefly] = roll.filter(
      (p) => !p.preferredName && !taken.has(initialsOf(p.forename, p.surname)) && !staffWords.has(p.forename) && !staffWords.has(p.surname),
    ) as [Pupil, Pupil, Pupil];
    ids.meeting = await entry(subject.id, {
      kind: "meeting",
      requestId: "sar-choice-meeting",
      occurredAt: hoursAgo(50),
      meetingType: "Child in need meeting",
      attendees: `${worker} (social worker), mum`,
      notes: "Plan agreed; PR to visit the family on Friday.",
    });
    ids.call = await entry(subject.id, {
      kind: "phone-call",
      requestId: "sar-choice-call",
      occurredAt: hoursAgo(40),
      who: caller,
      direction: "in",
      notes: "D.W. said the family had moved to a new flat.",
    });
    ids.disclosure = await entry(subject.id, {
      kind: "disclosure",
      requestId: "sar-choice-disclosure",
      occurredAt: hoursAgo(30),
      what: "Attendance record for the autumn term",
      to: `${agencyPerson} at MASH`,
      authority: "Section 47 enquiry",
    });
    ids.leftOut = await entry(subject.id, {
      kind: "meeting",
      requestId: "sar-choice-left-out",
      occurredAt: hoursAgo(20),
      meetingType: "Strategy meeting",
      attendees: "police, social care",
      notes: "The strategy discussion the DSL leaves out of the pack.",
    });
    ids.foreign = await entry(elsewhere.id, {
      kind: "phone-call",
      requestId: "sar-choice-foreign",
      occurredAt: hoursAgo(10),
      who: "School nurse",
      direction: "out",
      notes: "Another pupil's call.",
    });
    // An outside person named in a concern, not only in the entry that holds their name.
    const res = await keepsafe.api(
      "/api/incidents",
      await keepsafe.tokenFor(teacher),
      json({
        source: "tab",
        submissionId: "sar-choice-concern",
        pupilId: subject.id,
        occurredAt: hoursAgo(60),
        categoryIds: ["welfare"],
        alertStaffIds: [dsl.oid],
        account: `Said ${caller} had come to the house again and she felt sad.`,
      }),
    );
    assert.equal(res.status, 201, await res.clone().text());
  });
  after(async () => keepsafe?.cleanup());

  it("lets the DSL leave out case entries, refuses ids not of the pupil's own entries, and keeps and audits the choice", async () => {
    const request = await openRequest("A parent of the subject", "parent");

    const all = (await (await preview(request.id, { passages: [] })).json()) as SarPreview;
    assert.deepEqual(
      all.entries.map((e) => [e.id, e.kind, e.included]),
      [
        [ids.meeting, "meeting", true],
        [ids.call, "phone-call", true],
        [ids.disclosure, "disclosure", true],
        [ids.leftOut, "meeting", true],
      ],
      "every one of the pupil's entries, included by default, and no other pupil's",
    );
    assert.match(all.entries[1]!.heading, /^Phone call · /);
    assert.ok(all.blocks.some((b) => b.id === `${ids.leftOut}:entry`));

    for (const [body, field] of [
      [{ excludedEntries: ["no-such-entry"] }, "excludedEntries.0"],
      [{ excludedEntries: [ids.meeting, ids.foreign] }, "excludedEntries.1"],
      [{ excludedEntries: ["__proto__"] }, "excludedEntries"],
      [{ excludedEntries: "all" }, "excludedEntries"],
    ] as const) {
      const res = await preview(request.id, { passages: [], ...body });
      assert.equal(res.status, 400, JSON.stringify(body));
      const { error } = (await res.json()) as { error: { fields?: { field: string }[] } };
      assert.ok(
        error.fields?.some((f) => f.field === field),
        `${JSON.stringify(body)} names ${field}: ${JSON.stringify(error)}`,
      );
    }
    assert.equal((await preview(request.id, JSON.parse('{"passages":[],"excludedEntries":[],"__proto__":{"x":1}}'))).status, 400);

    const chosen = (await (await preview(request.id, { passages: [], excludedEntries: [ids.leftOut] })).json()) as SarPreview;
    assert.deepEqual(
      chosen.entries.filter((e) => !e.included).map((e) => e.id),
      [ids.leftOut],
    );
    assert.ok(!chosen.blocks.some((b) => b.id === `${ids.leftOut}:entry` || b.text.includes("strategy discussion")), "no block of a left-out entry");

    const text = await approvedPdfText(request.id, { passages: [], excludedEntries: [ids.leftOut] });
    for (const present of ["Child in need meeting", "said the family had moved", "Attendance record for the autumn term", "MASH"])
      assert.ok(text.includes(present), `has ${present}`);
    for (const gone of ["Strategy meeting", "strategy discussion", "police, social care"]) assert.ok(!text.includes(gone), `no ${gone}`);

    const kept = await keepsafe.service["deps"].subjectAccess!.get(subject.schoolId, request.id);
    assert.deepEqual(
      kept?.packs.map((p) => p.excludedEntryIds),
      [[ids.leftOut]],
      "the choice is kept with the pack",
    );
    const audit = (await keepsafe.service["deps"].records.auditForPupil(subject.id)).filter((e) => e.detail?.requestId === request.id);
    assert.deepEqual(audit.find((e) => e.type === "subject-access.approved")?.detail?.excludedEntries, [ids.leftOut]);
    assert.deepEqual(
      audit.filter((e) => e.type === "subject-access.previewed").map((e) => e.detail?.excludedEntries),
      [0, 1],
      "each preview's choice is audited (the refused ones were never shown)",
    );
  });

  it("redacts people outside the school named in case entries, full name and initials, wherever they appear in the pack", async () => {
    const request = await openRequest("The subject's carer", "carer");
    const shown = (await (await preview(request.id, { passages: [] })).json()) as SarPreview;
    const outsideIn = (id: string) => shown.blocks.find((b) => b.id === id)!.redactions.filter((r) => r.reason === "outside").length;
    assert.ok(outsideIn(`${ids.meeting}:entry`) >= 2, "the attendee and her initials, listed as redactions");
    assert.ok(outsideIn(`${ids.call}:entry`) >= 2);
    assert.ok(outsideIn(`${ids.disclosure}:entry`) >= 1);
    const concern = shown.blocks.find((b) => b.id.endsWith(":account") && b.text.includes(caller))!;
    assert.ok(concern && outsideIn(concern.id) === 1, "the caller named in a concern too");
    assert.ok(shown.blocks.every((b) => outsiders.every((n) => !b.released.includes(n))));

    const text = await approvedPdfText(request.id, { passages: [] });
    for (const present of [
      "(social worker), mum",
      "Plan agreed;",
      "to visit the family on Friday",
      "Call from [redacted]",
      "had come to the house again",
    ])
      assert.ok(text.includes(present), `has ${present}`);
    for (const gone of [...outsiders, "Ramanathan", "Whitcombe", "Fairclough", "PR to visit", "D.W."]) assert.ok(!text.includes(gone), `no ${gone}`);
  });

  it("redacts a lone forename, a family role with a name and a known full name's shorter forms from the pack's PDF", async () => {
    // Its own pupil, so the entries here change no other test's pack.
    const asFor = async (body: Record<string, unknown>) => entry(briefly.id, body);
    await asFor({
      kind: "meeting",
      requestId: "sar-brief-meeting",
      occurredAt: hoursAgo(30),
      meetingType: "Team around the family",
      attendees: "Jane Doe (social worker), mum",
      notes: "Ms Doe to visit on Friday.",
    });
    await asFor({
      kind: "phone-call",
      requestId: "sar-brief-call",
      occurredAt: hoursAgo(20),
      who: "spoke to Sarah (social worker)",
      direction: "out",
      notes: "Sarah said Doe's report was sent; Jane will chase it.",
    });
    await asFor({
      kind: "phone-call",
      requestId: "sar-brief-dad",
      occurredAt: hoursAgo(10),
      who: "Dad - Gary",
      direction: "in",
      notes: "Gary asked for the plan.",
    });
    const request = await openRequest("The subject's parent", "parent", briefly.id);
    const text = await approvedPdfText(request.id, { passages: [] });
    for (const present of [
      "(social worker), mum",
      "to visit on Friday",
      "spoke to [redacted] (social worker)",
      "Dad - [redacted]",
      "asked for the plan",
      `${briefly.forename} ${briefly.surname}`,
    ])
      assert.ok(text.includes(present), `has ${present}`);
    for (const gone of ["Sarah", "Doe", "Ms Doe", "Jane", "Gary"]) assert.ok(!text.includes(gone), `no ${gone}`);
  });
});
