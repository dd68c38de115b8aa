import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { getDocument } from "pdfjs-dist/legacy/build/pdf.mjs";

/** pdfjs reads the 14 standard fonts' metrics from its own files when a PDF uses them unembedded. */
const standardFontDataUrl = join(dirname(createRequire(import.meta.url).resolve("pdfjs-dist/package.json")), "standard_fonts/");

/** One element of a tagged PDF's structure tree, with the text of the content it marks. */
export interface TaggedElement {
  role: string;
  text: string;
  alt?: string;
}

export interface PdfStructure {
  /** The catalog's /Lang, /MarkInfo /Marked and /ViewerPreferences /DisplayDocTitle, and the header's version. */
  lang?: string;
  marked: boolean;
  displayTitle: boolean;
  version?: string;
  /** Every structure element below the root, page by page, in reading order (pre-order). */
  elements: TaggedElement[];
  /** Text drawn as an artifact (header, footer, watermark), which a screen reader skips. */
  artifactText: string;
  /** Text drawn outside any marked content: in a tagged PDF, none. */
  untaggedText: string;
}

interface StructNode {
  role?: string;
  alt?: string;
  type?: string;
  id?: string;
  children?: StructNode[];
}
type ContentItem = { str?: string; type?: string; id?: string | null; tag?: string };

/**
 * Reads a PDF's tagging back the way assistive technology does, with pdfjs-dist: each page's
 * structure tree, and its text content with the marked-content ids that tie text to the tree.
 */
export async function pdfStructure(bytes: ArrayBuffer | Uint8Array): Promise<PdfStructure> {
  const data = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  // The catalog's dictionaries are written uncompressed, so these are read from the bytes.
  const raw = Buffer.from(data).toString("latin1");
  const pdf = await getDocument({ data: new Uint8Array(data), isEvalSupported: false, standardFontDataUrl }).promise;
  try {
    const elements: TaggedElement[] = [];
    let artifactText = "";
    let untaggedText = "";
    for (let n = 1; n <= pdf.numPages; n++) {
      const page = await pdf.getPage(n);
      const content = await page.getTextContent({ includeMarkedContent: true });
      const byId = new Map<string, string>();
      const open: ContentItem[] = [];
      for (const item of content.items as ContentItem[]) {
        if (item.type === "beginMarkedContent" || item.type === "beginMarkedContentProps") open.push(item);
        else if (item.type === "endMarkedContent") open.pop();
        else if (typeof item.str === "string") {
          const mark = open.at(-1);
          if (!mark) untaggedText += item.str;
          else if (mark.tag === "Artifact") artifactText += `${item.str} `;
          else if (mark.id) byId.set(mark.id, `${byId.get(mark.id) ?? ""}${item.str}`);
        }
      }
      const visit = (node: StructNode): string => {
        if (node.type === "content") return byId.get(node.id ?? "") ?? "";
        const at = elements.length;
        if (node.role && node.role !== "Root") elements.push({ role: node.role, text: "", ...(node.alt ? { alt: node.alt } : {}) });
        const text = (node.children ?? []).map(visit).join(" ").replace(/\s+/g, " ").trim();
        if (node.role && node.role !== "Root") elements[at]!.text = text;
        return text;
      };
      const tree = (await page.getStructTree()) as StructNode | null;
      if (tree) visit(tree);
    }
    return {
      lang: /\/Lang \(([^)]*)\)/.exec(raw)?.[1],
      marked: (await pdf.getMarkInfo())?.Marked === true,
      displayTitle: /\/DisplayDocTitle true/.test(raw),
      version: /^%PDF-(\d\.\d)/.exec(raw)?.[1],
      elements,
      artifactText: artifactText.replace(/\s+/g, " "),
      untaggedText: untaggedText.trim(),
    };
  } finally {
    await pdf.destroy();
  }
}

/** The headings in reading order, as "H1: text". */
export const headingsOf = (s: PdfStructure) => s.elements.filter((e) => /^H\d$/.test(e.role)).map((e) => `${e.role}: ${e.text}`);
