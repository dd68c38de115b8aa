import { PDFParse } from "pdf-parse";

/** A PDF's text as pdf-parse reads it back, whitespace runs made one space (lines break anywhere). */
export async function pdfText(bytes: ArrayBuffer | Uint8Array): Promise<string> {
  const parser = new PDFParse({ data: bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes) });
  try {
    return (await parser.getText()).text.replace(/\s+/g, " ");
  } finally {
    await parser.destroy();
  }
}
