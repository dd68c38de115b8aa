/**
 * What a subject access pack cuts for each person outside the school named in a case entry. Notes
 * name people again more briefly than the entry that introduced them: "Jane Doe (social worker)"
 * at the meeting becomes "Jane rang back", "Ms Doe agreed" or "Doe's report" later. So each full
 * name also gives its forename, surname (and any middle name) alone, a title and the surname, and
 * its initials, wherever they appear in the pack.
 */
import { isInitial, isTitle, SURNAME_TITLES } from "./outside-people.js";
import { initialsOf, type NameTerm } from "./redaction.js";
import type { Pupil } from "./school.js";

type Subject = Pick<Pupil, "forename" | "preferredName" | "surname">;

/** The subject's own initials (with their preferred name too): initials a pack must not cut. */
export const ownInitialsOf = (subject: Subject) =>
  new Set([initialsOf(subject.forename, subject.surname), ...(subject.preferredName ? [initialsOf(subject.preferredName, subject.surname)] : [])]);

/**
 * The terms for these outside people (names as namesInField found them). A word alone is matched
 * with its case as written, where a name of two or more words is matched in any case: names are
 * written with a capital, and many are also words ("Rose" and "rose", "Will" and "will", "Mark",
 * "Grace"), so cutting "rose" would blank ordinary prose while a lower-case "rose" is almost never
 * the person. A capitalised word that happens to be the name ("Rose early") is cut: the safe side.
 * The caller drops any single word that is the subject's own name.
 */
export function outsideNameTerms(names: readonly string[], subject: Subject): NameTerm[] {
  const ownFullNames = new Set([subject.forename, subject.preferredName].filter(Boolean).map((f) => `${f} ${subject.surname}`.toLowerCase()));
  const ownInitials = ownInitialsOf(subject);
  const terms: NameTerm[] = [];
  const add = (text: string, more: Partial<NameTerm> = {}) => terms.push({ text, reason: "outside", ...more });
  for (const name of names) {
    const written = name.split(" ");
    const given = written.filter((w) => !isTitle(w));
    // The pupil at their own meeting is named in the attendees: they stay in their own records.
    if (ownFullNames.has(given.join(" ").toLowerCase())) continue;
    if (written.length > 1) add(name);
    if (given.length > 1 && given.length < written.length) add(given.join(" "));
    // As for a pupil on the roll: initials that are also the subject's are most likely the subject.
    const initials = initialsOf(...given);
    if (given.length > 1 && !ownInitials.has(initials)) add(initials, { initials: true });
    for (const word of given) if (!isInitial(word)) add(word, { caseSensitive: true });
    const surname = given.at(-1)!;
    // The family shares the pupil's surname: "Mrs Khan" in Amira Khan's pack is as likely her
    // mother as this Dr A. Khan, so only the name as written is cut, not every title with it.
    // A lone name with no title ("Gary") is most likely a forename, which takes no title.
    if (written.length > 1 && surname.toLowerCase() !== subject.surname.toLowerCase() && !isInitial(surname))
      for (const title of SURNAME_TITLES) add(`${title} ${surname}`);
  }
  return terms;
}
