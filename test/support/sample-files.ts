/** Small files with real signatures, for the upload tests: what Keepsafe accepts, and what it must refuse. */

/** The start of a Windows program ("MZ" header and the PE signature), as a real .exe begins. */
export const EXE = Buffer.concat([
  Buffer.from("MZ"),
  Buffer.alloc(58),
  Buffer.from([0x80, 0, 0, 0]),
  Buffer.alloc(64),
  Buffer.from("PE\0\0"),
  Buffer.alloc(400),
]);

/** The smallest file the type check takes for a PDF. */
export const TINY_PDF = Buffer.from("%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n");
