/**
 * A pupil's chronology as a PDF, over HTTP against a running Keepsafe, turned back into text with
 * pdf-parse: the period's entries with their actions and body map, the watermark and the school's
 * name are there; another pupil's entries and those outside the period are not; the export is in
 * the pupil's audit; only the DSL and deputies may export.
 */
import assert from "node:assert/strict";
import { PDFParse } from "pdf-parse";
import { startTestKeepsafe, staffByRole, type TestKeepsafe } from "../support/keepsafe-instance.js";
import { DEMO_SCHOOL_NAME } from "../../src/local/demo-school.js";
import { headingsOf, pdfStructure } from "../support/pdf-structure.js";

describe("chronology PDF export", function () {
  this.timeout(90_000);
  let keepsafe: TestKeepsafe;
  const dsl = staffByRole(/^DSL/);
  const deputy = staffByRole(/^Deputy DSL/);
  const slt = staffByRole(/^SLT/);
  const teacher = staffByRole(/^Teacher \(Year 3\)/);
  let pupilId: string;
  let otherPupilId: string;
  const day = (daysAgo: number) => new Date(Date.now() - daysAgo * 86_400_000);
  const from = day(30).toISOString().slice(0, 10);
  const to = day(0).toISOString().slice(0, 10);

  const record = async (token: string, body: Record<string, unknown>) => {
    const res = await keepsafe.api("/api/incidents", token, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ source: "tab", alertStaffIds: [dsl.oid], ...body }),
    });
    assert.equal(res.status, 201, await res.clone().text());
    return ((await res.json()) as { incident: { id: string } }).incident.id;
  };

  before(async () => {
    keepsafe = await startTestKeepsafe();
    const t = await keepsafe.service.resolveActor(teacher.oid, { mfa: false });
    [pupilId, otherPupilId] = (await keepsafe.service.searchPupils(t, "a")).map((p) => p.id);
    const token = await keepsafe.tokenFor(teacher);
    const first = await record(token, {
      submissionId: "pdf-test-first",
      pupilId,
      occurredAt: day(10).toISOString(),
      categoryIds: ["welfare"],
      account: "Arrived without a coat in the snow and said there was no food at home.",
      bodyMap: { marks: [{ side: "front", x: 0.5, y: 0.3, shape: "Bruise", colour: "Purple", size: "3 cm" }] },
    });
    await record(token, {
      submissionId: "pdf-test-second",
      pupilId,
      occurredAt: day(3).toISOString(),
      categoryIds: ["behaviour"],
      account: "Kicked the classroom door repeatedly after lunch.",
    });
    await record(token, {
      submissionId: "pdf-test-old",
      pupilId,
      occurredAt: day(60).toISOString(),
      categoryIds: ["welfare"],
      account: "An older entry outside the period asked for.",
    });
    await record(token, {
      submissionId: "pdf-test-other",
      pupilId: otherPupilId,
      occurredAt: day(5).toISOString(),
      categoryIds: ["welfare"],
      account: "Another child's concern that must not appear.",
    });
    const d = await keepsafe.service.resolveActor(dsl.oid, { mfa: true });
    await keepsafe.service.addAction(d, {
      incidentId: first,
      requestId: "pdf-test-action",
      text: "Phoned mum, who said the boiler has broken.",
      occurredAt: day(9).toISOString(),
    });
  });
  after(async () => keepsafe?.cleanup());

  const textOf = async (bytes: ArrayBuffer) => {
    const parser = new PDFParse({ data: new Uint8Array(bytes) });
    try {
      return (await parser.getText()).text;
    } finally {
      await parser.destroy();
    }
  };

  it("holds the period's entries oldest first with actions, body map, watermark and school; nothing else", async () => {
    const res = await keepsafe.api(`/api/pupils/${pupilId}/chronology.pdf?from=${from}&to=${to}`, await keepsafe.tokenFor(dsl));
    assert.equal(res.status, 200);
    assert.equal(res.headers.get("content-type"), "application/pdf");
    assert.match(res.headers.get("content-disposition") ?? "", /^attachment; filename="chronology-/);
    const text = (await textOf(await res.arrayBuffer())).replace(/\s+/g, " ");
    assert.match(text, /CONFIDENTIAL · Oakfield|CONFIDENTIAL/);
    assert.ok(text.includes(DEMO_SCHOOL_NAME), "the school's name");
    assert.match(text, /Exported by Helen Okafor on/);
    const first = text.indexOf("no food at home");
    const second = text.indexOf("Kicked the classroom door");
    assert.ok(first > 0 && second > first, "entries in time order");
    assert.ok(text.includes("Phoned mum, who said the boiler has broken."), "the action");
    assert.ok(text.includes("1. Front: Bruise, Purple, 3 cm"), "the body map's mark");
    assert.ok(!text.includes("Another child's concern"), "another pupil's entries are absent");
    assert.ok(!text.includes("outside the period"), "entries outside the period are absent");

    const onlyBehaviour = await keepsafe.api(
      `/api/pupils/${pupilId}/chronology.pdf?from=${from}&to=${to}&categoryIds=behaviour`,
      await keepsafe.tokenFor(deputy),
    );
    assert.equal(onlyBehaviour.status, 200);
    const behaviourText = await textOf(await onlyBehaviour.arrayBuffer());
    assert.ok(behaviourText.includes("Kicked the classroom door") && !behaviourText.includes("no food at home"), "the category filter");

    // The type filter: referrals and meetings only leaves every concern out (none exist here).
    const caseEntriesOnly = await keepsafe.api(
      `/api/pupils/${pupilId}/chronology.pdf?from=${from}&to=${to}&kinds=case-entry`,
      await keepsafe.tokenFor(dsl),
    );
    assert.equal(caseEntriesOnly.status, 200);
    const caseText = await textOf(await caseEntriesOnly.arrayBuffer());
    assert.ok(!caseText.includes("Kicked the classroom door") && !caseText.includes("no food at home"), "no concerns for that type");

    const audit = await keepsafe.service["deps"].records.auditForPupil(pupilId);
    const exports = audit.filter((e) => e.type === "chronology.exported");
    assert.deepEqual([...new Set(exports.map((e) => e.actorStaffId))].sort(), [dsl.oid, deputy.oid].sort());
    assert.equal(exports.find((e) => e.actorStaffId === dsl.oid && !e.detail?.kinds)?.detail?.entries, 2);
  });

  it("is a tagged PDF: English, titled, an H1 then an H2 per entry, the body map a Figure with alt text, header and watermark artifacts", async () => {
    const res = await keepsafe.api(`/api/pupils/${pupilId}/chronology.pdf?from=${from}&to=${to}`, await keepsafe.tokenFor(dsl));
    const pdf = await pdfStructure(await res.arrayBuffer());
    assert.deepEqual([pdf.lang, pdf.marked, pdf.displayTitle, pdf.version], ["en-GB", true, true, "1.7"]);
    assert.equal(pdf.elements[0]?.role, "Document");
    const headings = headingsOf(pdf);
    assert.equal(headings[0], "H1: Chronology");
    const entryHeadings = headings.filter((h) => h.startsWith("H2: "));
    assert.equal(entryHeadings.length, 2, headings.join(" | "));
    assert.ok(entryHeadings[0]!.includes("Welfare") && entryHeadings[1]!.includes("Behaviour"), "one H2 per entry, oldest first");
    assert.ok(
      headings.some((h) => h.startsWith("H3: ")),
      "the action under its entry",
    );
    const paragraphs = pdf.elements.filter((e) => e.role === "P").map((e) => e.text);
    assert.ok(
      paragraphs.some((p) => p.includes("no food at home")) && paragraphs.includes("1. Front: Bruise, Purple, 3 cm"),
      "real text as paragraphs",
    );
    const figure = pdf.elements.find((e) => e.role === "Figure");
    assert.match(figure?.alt ?? "", /^Body map, front and back, with 1 numbered mark/);
    assert.ok(pdf.artifactText.includes("CONFIDENTIAL") && pdf.artifactText.includes("Exported by Helen Okafor on"), "header and watermark");
    assert.ok(!pdf.elements.some((e) => e.text.includes("CONFIDENTIAL") || e.text.includes("Exported by")), "neither is read as content");
    assert.equal(pdf.untaggedText, "", "no text outside the structure");
  });

  it("is refused to SLT, staff, a DSL without MFA and bad periods", async () => {
    const path = `/api/pupils/${pupilId}/chronology.pdf?from=${from}&to=${to}`;
    assert.equal((await keepsafe.api(path, await keepsafe.tokenFor(slt))).status, 403);
    assert.equal((await keepsafe.api(path, await keepsafe.tokenFor(teacher))).status, 403);
    assert.equal((await keepsafe.api(path, await keepsafe.tokenFor(dsl, { mfa: false }))).status, 401);
    assert.equal((await keepsafe.api(`/api/pupils/${pupilId}/chronology.pdf?from=${to}&to=${from}`, await keepsafe.tokenFor(dsl))).status, 400);
    assert.equal(
      (await keepsafe.api(`/api/pupils/${pupilId}/chronology.pdf?from=${from}&to=${to}&__proto__=1`, await keepsafe.tokenFor(dsl))).status,
      400,
    );
    assert.equal((await keepsafe.api(`${path}&kinds=letters`, await keepsafe.tokenFor(dsl))).status, 400, "an entry type not in the list");
    assert.equal((await keepsafe.api(`/api/pupils/nobody/chronology.pdf?from=${from}&to=${to}`, await keepsafe.tokenFor(dsl))).status, 404);
    const audit = await keepsafe.service["deps"].records.auditForPupil(pupilId);
    assert.ok(
      !audit.some((e) => e.type === "chronology.exported" && e.actorStaffId !== dsl.oid && e.actorStaffId !== deputy.oid),
      "refusals export nothing",
    );
  });
});
