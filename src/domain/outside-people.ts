/**
 * People outside the school named in a pupil's case entries: a meeting's attendees, the person on
 * a phone call, the agency person information was disclosed to, a referral's contact. A subject
 * access pack is the pupil's data, not theirs, so their names are redacted as staff names are.
 *
 * The fields are free text ("Jane Doe (social worker), Mr Patel, mum"), so a name is taken to be a
 * run of two or more capitalised words: a forename and surname, or a title and surname. A lone word
 * ("mum", "Police", "MASH") is a role or an agency, not a person, and is left in the pack.
 */
import type { CaseEntry } from "./case-entries.js";

/** Titles before a surname: part of the name as written, never a source of initials. */
const TITLES = new Set(["mr", "mrs", "ms", "miss", "mx", "dr", "prof", "rev", "pc", "dc", "ds", "di", "sgt", "cllr"]);

/** A word that can be part of a name: capitalised ("Jane", "O'Neil", "Anne-Marie") or an initial ("A."). */
const NAME_WORD = /^\p{Lu}[\p{L}'’-]*\.?$/u;
// Capitals throughout ("MASH", "CAMHS") is an agency's acronym: it ends a name rather than joining it.
const ACRONYM = /^\p{Lu}{2,}$/u;

/** The fields of an entry that hold outside people's names. */
export function outsideNameFields(e: CaseEntry): string[] {
  switch (e.kind) {
    case "meeting":
      return [e.attendees];
    case "phone-call":
      return [e.who];
    case "disclosure":
      return [e.to];
    case "referral":
      return [e.contact];
    default:
      return [];
  }
}

export const isTitle = (word: string) => TITLES.has(word.replace(/\.$/, "").toLowerCase());

/** The names in one free-text field, as written: "Jane Doe (social worker), mum" -> ["Jane Doe"]. */
export function namesInField(field: string): string[] {
  const names: string[] = [];
  // Roles in brackets are not names; commas, semicolons, slashes, "and" and "&" separate people.
  const pieces = field.replace(/\([^)]*\)|\[[^\]]*\]/g, ",").split(/[,;/&\n]|\s+and\s+|\s+[-–—]\s+|:/u);
  for (const piece of pieces) {
    let run: string[] = [];
    const end = () => {
      if (run.length >= 2 && run.some((w) => !isTitle(w))) names.push(run.join(" "));
      run = [];
    };
    for (const word of piece.trim().split(/\s+/)) {
      const bare = word.replace(/[.,!?"]+$/u, (m) => (m.startsWith(".") && word.length === 2 ? "." : ""));
      if ((NAME_WORD.test(bare) && !ACRONYM.test(bare)) || (isTitle(bare) && run.length === 0)) run.push(bare);
      else end();
    }
    end();
  }
  return names;
}

/** Every outside person named in these entries, once each (the first spelling kept). */
export function outsidePeopleIn(entries: readonly CaseEntry[]): string[] {
  const seen = new Map<string, string>();
  for (const e of entries)
    for (const field of outsideNameFields(e))
      for (const name of namesInField(field)) if (!seen.has(name.toLowerCase())) seen.set(name.toLowerCase(), name);
  return [...seen.values()];
}
