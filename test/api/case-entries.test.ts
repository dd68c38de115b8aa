/**
 * "Add to chronology" through the tab API against the running stack (real tokens, the embedded
 * Cosmos DB server): a DSL records a referral, a decision not to refer, a meeting, a phone call and
 * information disclosed; each is an immutable, audited entry shown in time order on the pupil's
 * chronology and in its PDF, to the safeguarding team only. A referral's outcome is a further entry;
 * a second one answers 409. Bad bodies are refused with the field named.
 */
import assert from "node:assert/strict";
import { PDFParse } from "pdf-parse";
import { pdfText } from "../support/pdf-text.js";
import { startTestKeepsafe, staffByRole, type TestKeepsafe } from "../support/keepsafe-instance.js";
import type { PupilSummary } from "../../src/app/pupil-index.js";

describe("case entries API (referrals, meetings, calls, disclosures)", function () {
  this.timeout(90_000);
  let keepsafe: TestKeepsafe;
  const dsl = staffByRole(/^DSL/);
  const deputy = staffByRole(/^Deputy DSL/);
  const slt = staffByRole(/^SLT/);
  const teacher = staffByRole(/Year 3/);
  let pupil: PupilSummary;
  const hoursAgo = (h: number) => new Date(Date.now() - h * 3600_000).toISOString();

  const post = async (staff: typeof dsl, path: string, body: unknown, raw?: string) => {
    const res = await keepsafe.api(path, await keepsafe.tokenFor(staff), {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: raw ?? JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as any };
  };
  const add = (staff: typeof dsl, body: object, raw?: string) => post(staff, `/api/pupils/${pupil.id}/case-entries`, body, raw);
  const rows = async (staff: typeof dsl) =>
    ((await (await keepsafe.api(`/api/pupils/${pupil.id}/chronology`, await keepsafe.tokenFor(staff))).json()) as { entries: any[] }).entries;

  before(async () => {
    keepsafe = await startTestKeepsafe();
    const actor = await keepsafe.service.resolveActor(teacher.oid, { mfa: true });
    pupil = (await keepsafe.service.searchPupils(actor, "a"))[0];
  });
  after(async () => keepsafe?.cleanup());

  it("a DSL adds each kind; they appear in time order on the chronology for the safeguarding team only, audited without their words", async () => {
    const entries = [
      {
        kind: "referral",
        requestId: "ce-referral-1",
        occurredAt: hoursAgo(50),
        agencyId: "social-care",
        contact: "MASH duty desk, 0300 123 4567",
        notes: "Bruising seen at breakfast club",
      },
      {
        kind: "no-referral",
        requestId: "ce-noref-1",
        occurredAt: hoursAgo(40),
        agencyId: "early-help",
        reason: "Family already engaged with school nurse",
      },
      {
        kind: "meeting",
        requestId: "ce-meeting-1",
        occurredAt: hoursAgo(30),
        meetingType: "Core group",
        attendees: "DSL, social worker, mum",
        notes: "Plan reviewed; next meeting in four weeks",
      },
      {
        kind: "phone-call",
        requestId: "ce-call-1",
        occurredAt: hoursAgo(20),
        who: "Social worker J. Patel",
        direction: "in",
        notes: "Asked for attendance figures",
      },
      {
        kind: "disclosure",
        requestId: "ce-disclosure-1",
        occurredAt: hoursAgo(10),
        what: "Attendance for the autumn term",
        to: "Children's social care",
        authority: "DSL under the child protection plan",
      },
    ];
    const ids: string[] = [];
    for (const e of entries) {
      const res = await add(e.kind === "meeting" ? deputy : dsl, e);
      assert.equal(res.status, 201, `${e.kind}: ${JSON.stringify(res.body)}`);
      assert.equal(res.body.entry.kind, e.kind);
      ids.push(res.body.entry.id);
    }
    const again = await add(dsl, entries[0]);
    assert.equal(again.status, 200, "the same form again adds nothing");
    assert.equal(again.body.entry.id, ids[0]);

    const dslRows = (await rows(dsl)).filter((r) => r.kind === "case-entry");
    assert.deepEqual(
      dslRows.map((r) => r.caseEntryKind),
      ["disclosure", "phone-call", "meeting", "no-referral", "referral"],
      "newest first, in time order",
    );
    const referral = dslRows.find((r) => r.caseEntryKind === "referral");
    assert.equal(referral.referral.agencyName, "Children's social care / MASH");
    assert.equal(referral.referral.outcomeRecorded, false);
    assert.match(referral.referral.dueDate, /^\d{4}-\d{2}-\d{2}$/);
    assert.match(referral.summary, /MASH duty desk/);

    assert.deepEqual(
      (await rows(slt)).filter((r) => r.kind === "case-entry"),
      [],
      "SLT do not see casework entries",
    );
    const refused = await add(slt, { ...entries[2], requestId: "ce-slt-meeting" });
    assert.equal(refused.status, 403);
    assert.equal((await add(teacher, { ...entries[2], requestId: "ce-teacher-meeting" })).status, 403);

    const audit = await keepsafe.records.auditForPupil(pupil.id);
    const recorded = audit.filter((e) => e.type === "case-entry.recorded");
    assert.deepEqual(recorded.map((e) => e.detail?.caseEntryId).sort(), [...ids].sort(), "one audit event per entry (none for the repeat)");
    assert.ok(!JSON.stringify(recorded).includes("Bruising"), "the entry's words stay out of the audit");
    assert.equal(audit.filter((e) => e.type === "access.refused" && e.detail?.request === "case-entry.add").length, 2, "both refusals audited");
  });

  it("records a referral's outcome as a further entry; a second outcome answers 409 and stores nothing", async () => {
    const ref = await add(dsl, {
      kind: "referral",
      requestId: "ce-referral-outcome",
      occurredAt: hoursAgo(5),
      agencyId: "camhs",
      contact: "CAMHS single point of access",
    });
    assert.equal(ref.status, 201);
    const outcomePath = `/api/pupils/${pupil.id}/referrals/${ref.body.entry.id}/outcome`;
    const first = await post(dsl, outcomePath, { outcome: "Accepted; first appointment offered", occurredAt: hoursAgo(1) });
    assert.equal(first.status, 201, JSON.stringify(first.body));
    const second = await post(deputy, outcomePath, { outcome: "Declined", occurredAt: hoursAgo(1) });
    assert.equal(second.status, 409);
    assert.equal(second.body.error.code, "conflict");

    const dslRows = await rows(dsl);
    assert.equal(dslRows.find((r) => r.caseEntryId === ref.body.entry.id)?.referral.outcomeRecorded, true);
    const outcomes = dslRows.filter((r) => r.caseEntryKind === "referral-outcome");
    assert.deepEqual(
      outcomes.map((r) => r.summary),
      ["Outcome: Accepted; first appointment offered"],
      "only the first outcome is stored",
    );
    assert.equal(
      (await post(dsl, `/api/pupils/${pupil.id}/referrals/meeting-ce-meeting-1/outcome`, { outcome: "x", occurredAt: hoursAgo(1) })).status,
      404,
      "only a referral has an outcome",
    );
  });

  it("refuses bad bodies with the problem named, and prototype keys", async () => {
    const good = {
      kind: "phone-call",
      requestId: "ce-bad-0001",
      occurredAt: hoursAgo(1),
      who: "Mum",
      direction: "out",
      notes: "Called about attendance",
    };
    const cases: [object | string, string][] = [
      [{ ...good, kind: "letter" }, "kind"],
      [{ ...good, who: "" }, "who"],
      [{ ...good, direction: "sideways" }, "direction"],
      [{ ...good, occurredAt: new Date(Date.now() + 86_400_000).toISOString() }, "occurredAt"],
      [{ kind: "referral", requestId: "ce-bad-0002", occurredAt: hoursAgo(1), agencyId: "nasa", contact: "x" }, "agencyId"],
      [{ kind: "referral", requestId: "ce-bad-0003", occurredAt: hoursAgo(1), agencyId: "__proto__", contact: "x" }, "agencyId"],
      [{ ...good, extra: 1 }, "extra"],
      [
        '{"kind":"phone-call","requestId":"ce-bad-0004","occurredAt":"2020-01-01T00:00:00Z","who":"Mum","direction":"in","notes":"n","__proto__":{"x":1}}',
        "",
      ],
    ];
    for (const [body, field] of cases) {
      const res = typeof body === "string" ? await add(dsl, {}, body) : await add(dsl, body);
      assert.equal(res.status, 400, `${JSON.stringify(body)} -> ${JSON.stringify(res.body)}`);
      if (field) assert.ok(JSON.stringify(res.body.error).includes(field), `names ${field}: ${JSON.stringify(res.body.error)}`);
    }
    assert.equal((await rows(dsl)).filter((r) => r.summary?.includes("Called about attendance")).length, 0, "nothing stored");
  });

  it("puts case entries in the chronology PDF, in time order with the concerns", async () => {
    // Its own entries, so the test stands alone.
    const ref = await add(dsl, {
      kind: "referral",
      requestId: "ce-pdf-referral",
      occurredAt: hoursAgo(60),
      agencyId: "social-care",
      contact: "MASH",
    });
    await post(dsl, `/api/pupils/${pupil.id}/referrals/${ref.body.entry.id}/outcome`, {
      outcome: "Accepted; first appointment offered",
      occurredAt: hoursAgo(55),
    });
    await add(dsl, { kind: "no-referral", requestId: "ce-pdf-noref", occurredAt: hoursAgo(45), reason: "Family already engaged with school nurse" });
    await add(dsl, {
      kind: "meeting",
      requestId: "ce-pdf-meeting",
      occurredAt: hoursAgo(35),
      meetingType: "Core group",
      attendees: "DSL, mum",
      notes: "Plan reviewed",
    });
    const today = new Date().toISOString().slice(0, 10);
    const from = new Date(Date.now() - 10 * 86_400_000).toISOString().slice(0, 10);
    const res = await keepsafe.api(`/api/pupils/${pupil.id}/chronology.pdf?from=${from}&to=${today}`, await keepsafe.tokenFor(dsl));
    assert.equal(res.status, 200);
    const parser = new PDFParse({ data: new Uint8Array(await res.arrayBuffer()) });
    const text = (await parser.getText()).text.replace(/\s+/g, " ");
    await parser.destroy();
    const referral = text.indexOf("Agency: Children's social care / MASH");
    const meeting = text.indexOf("Type: Core group");
    assert.ok(referral > 0 && meeting > referral, "the referral, then the later meeting");
    assert.ok(text.includes("Accepted; first appointment offered"), "the outcome");
    assert.ok(text.includes("Reason: Family already engaged with school nurse"), "the decision not to refer with its reason");

    // The chronology's filters, as on screen: concerns only, or a category, leave the case entries out.
    for (const filter of ["kinds=incident", "kinds=action", "categoryIds=welfare"]) {
      const filtered = await keepsafe.api(`/api/pupils/${pupil.id}/chronology.pdf?from=${from}&to=${today}&${filter}`, await keepsafe.tokenFor(dsl));
      assert.equal(filtered.status, 200);
      assert.ok(!(await pdfText(await filtered.arrayBuffer())).includes("Type: Core group"), `no case entries with ${filter}`);
    }
    const only = await keepsafe.api(`/api/pupils/${pupil.id}/chronology.pdf?from=${from}&to=${today}&kinds=case-entry`, await keepsafe.tokenFor(dsl));
    assert.ok((await pdfText(await only.arrayBuffer())).includes("Type: Core group"), "case entries when they are the type chosen");
  });
});
