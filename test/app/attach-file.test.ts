// Deciding a file's type from its content, and the per-record file limit under parallel uploads.
import assert from "node:assert/strict";
import yazl from "yazl";
import { detectFileType } from "../../src/app/attach-file.js";
import { cleanFileName, InMemoryDraftStore } from "../../src/domain/files.js";
import { LIMITS } from "../../src/domain/limits.js";

function zip(entries: Record<string, string>): Promise<Buffer> {
  const z = new yazl.ZipFile();
  for (const [name, text] of Object.entries(entries)) z.addBuffer(Buffer.from(text), name);
  z.end();
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    z.outputStream
      .on("data", (c: Buffer) => chunks.push(c))
      .on("end", () => resolve(Buffer.concat(chunks)))
      .on("error", reject);
  });
}

describe("attach file: type from content", () => {
  it("recognises a Word document by what is inside the zip", async () => {
    const docx = await zip({
      "[Content_Types].xml":
        '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
      "word/document.xml": "<w:document/>",
    });
    assert.equal(await detectFileType(docx), "application/vnd.openxmlformats-officedocument.wordprocessingml.document");
  });

  it("refuses other zips, programs and binary data that is not text", async () => {
    assert.equal(await detectFileType(await zip({ "payload.js": "alert(1)" })), undefined);
    assert.equal(await detectFileType(Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1]), Buffer.alloc(64)])), undefined, "ELF program");
    assert.equal(await detectFileType(Buffer.from("text with a \u0000 NUL")), undefined);
    assert.equal(await detectFileType(Buffer.from([0x68, 0x69, 0xc3, 0x28])), undefined, "invalid UTF-8");
  });

  it("accepts JPEG and HEIC photos and UTF-8 text", async () => {
    const jpeg = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10]), Buffer.from("JFIF\0"), Buffer.alloc(100)]);
    assert.equal(await detectFileType(jpeg), "image/jpeg");
    const heic = Buffer.concat([
      Buffer.from([0, 0, 0, 0x18]),
      Buffer.from("ftypheic"),
      Buffer.from([0, 0, 0, 0]),
      Buffer.from("mif1heic"),
      Buffer.alloc(64),
    ]);
    assert.equal(await detectFileType(heic), "image/heic");
    assert.equal(await detectFileType(Buffer.from("Rang mum – no answer. Left a message.")), "text/plain; charset=utf-8");
  });

  it("keeps only a file's own name, without folders or control characters", () => {
    assert.equal(cleanFileName("C:\\Users\\x\\scan 1.pdf"), "scan 1.pdf");
    assert.equal(cleanFileName("../../etc/passwd"), "passwd");
    assert.equal(cleanFileName("a\u0000b\nc.txt"), "abc.txt");
    assert.equal(cleanFileName(""), "Untitled file");
  });
});

describe("draft store: files per record", () => {
  const owner = { staffId: "s1", schoolId: "school" };

  it("never lets parallel uploads pass the limit, and gives back released places", async () => {
    const drafts = new InMemoryDraftStore();
    const attempts = await Promise.allSettled(
      Array.from({ length: LIMITS.filesPerRecord + 5 }, (_, i) => drafts.reserveFile(owner, "form-0001", `f${i}`, LIMITS.filesPerRecord)),
    );
    assert.equal(attempts.filter((a) => a.status === "fulfilled").length, LIMITS.filesPerRecord);
    const refused = attempts.find((a) => a.status === "rejected") as PromiseRejectedResult;
    assert.match(refused.reason.message, /at most 10 files/);
    await drafts.releaseFile(owner, "form-0001", "f0");
    await drafts.reserveFile(owner, "form-0001", "f-again", LIMITS.filesPerRecord);
  });
});
