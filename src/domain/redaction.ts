/**
 * Automatic redaction for subject access packs: other children's names (full names and initials)
 * and staff names are found in text and cut out. Redacted text is removed, not covered: what
 * leaves Keepsafe holds the marker below in place of the words, so no PDF reader, copy-paste or
 * text layer can bring them back.
 */
import type { Redaction, RedactionReason } from "./subject-access.js";

export const REDACTED = "[redacted]";

export interface NameTerm {
  /** The words as written ("Jack Smith", "Mrs Okafor"); matched case-insensitively, any spacing between words. */
  text: string;
  reason: Exclude<RedactionReason, "passage">;
  /** Initials ("JS", "J.S.", "J. S.") are matched as capitals only, so the word "js" in prose is left alone. */
  initials?: boolean;
  /**
   * One name word matched with its case as written ("Rose" but not "rose"), and not inside a
   * hyphenated or apostrophed name ("Sarah" is not cut from "Sarah-Jane", nor "Neil" from "O'Neil").
   */
  caseSensitive?: boolean;
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
// Letters and digits either side mean the name is part of a longer word ("Annabel" is not "Ann").
const BEFORE = "(?<![\\p{L}\\p{N}])";
const AFTER = "(?![\\p{L}\\p{N}])";

function patternOf(term: NameTerm): RegExp {
  if (term.initials) {
    const letters = [...term.text.replace(/[^\p{Lu}]/gu, "")];
    // "JS", "J.S.", "J. S.", "J.S" - with dots or spaces between, not a mix of neither and words.
    return new RegExp(`${BEFORE}${letters.map(escape).join("\\.?\\s?")}\\.?${AFTER}`, "gu");
  }
  const words = term.text.trim().split(/\s+/).map(escape);
  if (term.caseSensitive) return new RegExp(`${BEFORE}(?<!\\p{L}['’-])${words.join("\\s+")}${AFTER}(?!-\\p{L})`, "gu");
  return new RegExp(`${BEFORE}${words.join("\\s+")}${AFTER}`, "giu");
}

/** Where the terms occur in `text`, as redactions of the block `blockId` (overlaps are merged later). */
export function findNames(blockId: string, text: string, terms: readonly NameTerm[]): Redaction[] {
  const found: Redaction[] = [];
  for (const term of terms) {
    for (const m of text.matchAll(patternOf(term))) found.push({ blockId, start: m.index, end: m.index + m[0].length, reason: term.reason });
  }
  return found;
}

/** One block's redactions sorted and merged where they touch or overlap (the first reason wins). */
export function mergeRedactions(redactions: readonly Redaction[]): Redaction[] {
  const sorted = [...redactions].sort((a, b) => a.start - b.start || b.end - a.end);
  const out: Redaction[] = [];
  for (const r of sorted) {
    const last = out.at(-1);
    if (last && r.start <= last.end) last.end = Math.max(last.end, r.end);
    else out.push({ ...r });
  }
  return out;
}

/** The text with each (merged) redaction replaced by the marker. */
export function applyRedactions(text: string, redactions: readonly Redaction[]): string {
  let out = "";
  let at = 0;
  for (const r of mergeRedactions(redactions)) {
    out += text.slice(at, r.start) + REDACTED;
    at = r.end;
  }
  return out + text.slice(at);
}

/** Initials of a name: "Jack Smith" -> "JS". */
export const initialsOf = (...names: string[]) => names.map((n) => n.trim()[0]?.toUpperCase() ?? "").join("");
