/**
 * Draws a pupil's chronology as a PDF for a child protection conference or core group meeting:
 * real text (not images), a heading per entry, paginated, "CONFIDENTIAL" and the school's name on
 * every page, and a watermark saying who exported it and when. Body maps are drawn from the same
 * outline and mark positions as src/domain/body-map.ts, so a mark is never drawn two ways.
 */
import PDFDocument from "pdfkit";
import { CHILD_OUTLINE_PATH, describeMark, HEAD, markPoint, OUTLINE_BOX, sideOffsetX, type BodyMap } from "../../domain/body-map.js";
import type { ChronologyDocument } from "../../ports/chronology-document.js";

const MARGIN = 50;

export function renderChronologyPdf(c: ChronologyDocument): Promise<Buffer> {
  const title = c.title ?? "Chronology";
  // Tagged (PDF/UA's structure tree): a screen reader reads headings, paragraphs and the body map's
  // description in order, and skips the running header, footer and watermark as artifacts.
  const doc = new PDFDocument({
    size: "A4",
    margins: { top: 70, bottom: 60, left: MARGIN, right: MARGIN },
    bufferPages: true,
    tagged: true,
    pdfVersion: "1.7",
    lang: "en-GB",
    displayTitle: true,
    info: { Title: title },
  });
  const chunks: Buffer[] = [];
  doc.on("data", (b: Buffer) => chunks.push(b));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on("end", () => resolve(Buffer.concat(chunks)));
    doc.on("error", reject);
  });

  const root = doc.struct("Document");
  doc.addStructure(root);
  const tag = (type: string, draw: () => void, parent: PDFKit.PDFStructureElement = root) => parent.add(doc.struct(type, {}, draw));

  tag("H1", () => doc.font("Helvetica-Bold").fontSize(18).text(title));
  doc.font("Helvetica").fontSize(11);
  tag("P", () => doc.text(c.pupilLine));
  tag("P", () => doc.text(c.periodLine).moveDown());
  if (!c.entries.length) tag("P", () => doc.text("No entries in this period."));
  for (const e of c.entries) {
    if (doc.y > doc.page.height - 160) doc.addPage();
    const sect = doc.struct("Sect");
    root.add(sect);
    tag("H2", () => doc.font("Helvetica-Bold").fontSize(12).text(e.heading, MARGIN), sect);
    doc.font("Helvetica").fontSize(10);
    for (const line of e.lines) tag("P", () => doc.text(line, MARGIN), sect);
    if (e.bodyMap?.marks.length) drawBodyMap(doc, e.bodyMap, sect);
    for (const a of e.actions) {
      doc.moveDown(0.3);
      tag("H3", () => doc.font("Helvetica-Bold").text(a.heading, MARGIN + 16), sect);
      tag("P", () => doc.font("Helvetica").text(a.text, MARGIN + 16), sect);
    }
    sect.end();
    doc.moveDown();
  }
  root.end();

  // Header, watermark and page numbers on every page, once the pages are known.
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    const { width, height } = doc.page;
    const bottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0; // writing in the footer must not start a new page
    doc.markContent("Artifact", { type: "Pagination" });
    doc
      .font("Helvetica-Bold")
      .fontSize(9)
      .fillColor("#a00000")
      .text(`CONFIDENTIAL · ${c.schoolName}`, MARGIN, 30, { width: width - 2 * MARGIN, align: "center", lineBreak: false });
    doc
      .font("Helvetica")
      .fontSize(8)
      .fillColor("#555555")
      .text(`${c.watermark} · page ${i + 1} of ${range.count}`, MARGIN, height - 40, {
        width: width - 2 * MARGIN,
        align: "center",
        lineBreak: false,
      });
    doc
      .save()
      .rotate(-35, { origin: [width / 2, height / 2] })
      .fontSize(20)
      .fillColor("#999999")
      .opacity(0.25)
      .text(c.watermark, 0, height / 2, { width, align: "center", lineBreak: false })
      .restore();
    doc.fillColor("black").opacity(1);
    doc.endMarkedContent();
    doc.page.margins.bottom = bottom;
  }
  doc.end();
  return done;
}

/**
 * Front and back outlines at half size with each mark numbered, then the marks described. The
 * drawing is one Figure whose alt text points to the descriptions, which are real paragraphs.
 */
function drawBodyMap(doc: PDFKit.PDFDocument, map: BodyMap, parent: PDFKit.PDFStructureElement) {
  const scale = 0.5;
  const height = (OUTLINE_BOX.height + 24) * scale;
  if (doc.y + height > doc.page.height - 80) doc.addPage();
  const top = doc.y + 4;
  const marks = map.marks.length === 1 ? "1 numbered mark" : `${map.marks.length} numbered marks`;
  const alt = `Body map, front and back, with ${marks}; each mark is described below.`;
  parent.add(
    doc.struct("Figure", { alt }, () => {
      for (const side of ["front", "back"] as const) {
        const x = MARGIN + sideOffsetX(side) * scale;
        doc
          .save()
          .translate(x, top + 24 * scale)
          .scale(scale);
        doc.path(CHILD_OUTLINE_PATH).lineWidth(1.5).stroke("#444444");
        doc.circle(HEAD.cx, HEAD.cy, HEAD.r).stroke("#444444");
        doc.restore();
        doc
          .fontSize(8)
          .fillColor("black")
          .text(side === "front" ? "Front" : "Back", x, top, { width: OUTLINE_BOX.width * scale, align: "center" });
      }
      map.marks.forEach((m, i) => {
        const p = markPoint(m);
        const [cx, cy] = [MARGIN + p.x * scale, top + p.y * scale];
        doc.circle(cx, cy, 6).fillAndStroke("#d13438", "#7a1012");
        doc
          .fillColor("white")
          .fontSize(7)
          .text(String(i + 1), cx - 6, cy - 3, { width: 12, align: "center", lineBreak: false });
      });
    }),
  );
  doc
    .fillColor("black")
    .fontSize(10)
    .text("", MARGIN, top + height + 6);
  for (const [i, m] of map.marks.entries()) parent.add(doc.struct("P", {}, () => doc.text(describeMark(m, i), MARGIN)));
}
