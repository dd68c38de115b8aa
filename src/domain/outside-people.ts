/**
 * People outside the school named in a pupil's case entries: a meeting's attendees, the person on
 * a phone call, the agency person information was disclosed to, a referral's contact. A subject
 * access pack is the pupil's data, not theirs, so their names are redacted as staff names are.
 *
 * The fields are free text ("Jane Doe (social worker), Mr Patel, Dad - Gary"), so a name is taken to
 * be a run of capitalised words (a forename and surname, a title and surname) or a lone capitalised
 * word. A role or an agency ("mum", "Police", "MASH", "social worker") is not a person, and is left
 * in the pack (outside-name-words.ts keeps that list).
 */
import type { CaseEntry } from "./case-entries.js";
import { isRoleOrCommonWord } from "./outside-name-words.js";

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

/** Titles a later note may put before a known surname ("Ms Doe" for Jane Doe). */
export const SURNAME_TITLES = ["Mr", "Mrs", "Ms", "Miss", "Mx", "Dr"];

/** One capital, with or without its dot ("A."): part of a name, never a name alone. */
export const isInitial = (word: string) => /^\p{Lu}\.?$/u.test(word);

// A word ending a sentence ("Sarah. She said") ends the name too; an initial's or a title's dot does not.
const endsSentence = (word: string) => /[.!?]["”’]*$/u.test(word) && !isInitial(word) && !isTitle(word);

// "Dad-Gary" is a role and a name; "Anne-Marie" is one name.
const splitRole = (word: string) => {
  const parts = word.split(/(?<=\p{L})-(?=\p{L})/u);
  return parts.some(isRoleOrCommonWord) ? parts : [word];
};

/**
 * The names in one free-text field, as written: "Jane Doe (social worker), mum" -> ["Jane Doe"];
 * "Dad - Gary", "spoke to Sarah" -> ["Gary"], ["Sarah"]. A run of capitalised words is one name; a
 * lone capitalised word is a name too unless it is a role, an agency or a common word ("Mum",
 * "Police", "Spoke", "Monday"); a title or an initial alone is not.
 */
export function namesInField(field: string): string[] {
  const names: string[] = [];
  // Commas, semicolons, slashes, "and", "&" and dashes separate people. Brackets hold a role
  // ("(social worker)") or a name ("Mum (Sarah)"), so their words are read as a piece of their own.
  const pieces = field.split(/[()[\],;/&\n:]|\s+and\s+|\s+[-–—]\s+/u);
  for (const piece of pieces) {
    let run: string[] = [];
    const end = () => {
      const given = run.filter((w) => !isTitle(w));
      if (given.length > 1 || (given.length === 1 && !isInitial(given[0]!))) names.push(run.join(" "));
      run = [];
    };
    for (const word of piece.trim().split(/\s+/).flatMap(splitRole)) {
      const quoted = word.replace(/^["“‘']+/u, "");
      // Punctuation and a possessive are not part of the name ("Gary's", "Doe,"), an initial's dot is.
      const bare = isInitial(quoted) ? quoted : quoted.replace(/[.,!?"”’']+$/u, "").replace(/['’]s$/u, "");
      if (isTitle(bare) && run.length === 0) run.push(bare);
      else if (NAME_WORD.test(bare) && !ACRONYM.test(bare) && !isRoleOrCommonWord(bare)) run.push(bare);
      else end();
      if (endsSentence(quoted)) end();
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
