/**
 * What a subject access pack holds, before and after redaction: the pupil's own records (the
 * incidents in their chronology, including those they were linked to, and the actions on them)
 * as blocks of text, each with its automatic redactions (other children's names and initials,
 * staff names) and the passages the DSL chose. Built again from the store at preview and at
 * approval, so the released text never comes from the browser.
 */
import type { Actor } from "../domain/actor.js";
import { ValidationError } from "../domain/errors.js";
import { canViewAction, canViewIncident } from "../domain/policy/index.js";
import { applyRedactions, findNames, initialsOf, mergeRedactions, type NameTerm } from "../domain/redaction.js";
import { outsideNameTerms, ownInitialsOf } from "../domain/outside-name-terms.js";
import { SURNAME_TITLES } from "../domain/outside-people.js";
import type { Pupil, School, StaffMember } from "../domain/school.js";
import type { PackBlock, Redaction } from "../domain/subject-access.js";
import { formatWallClock } from "../domain/wall-clock.js";
import type { RecordStore } from "../ports/record-store.js";

/** A block as the DSL previews it: the original text and what will be cut from it. */
export interface PreviewBlock extends PackBlock {
  redactions: Redaction[];
  /** The text as it will be released. */
  released: string;
}

export type ChosenPassage = Omit<Redaction, "reason">;

/**
 * The names to find: every other pupil on the roll, more of the linked ones, all staff, and the
 * people outside the school named in the pupil's case entries; never the subject's own.
 */
export function redactionTerms(
  subject: Pupil,
  roll: readonly Pupil[],
  linkedIds: ReadonlySet<string>,
  staff: readonly StaffMember[],
  outside: readonly string[] = [],
): NameTerm[] {
  const own = new Set([subject.forename, subject.preferredName, subject.surname].filter(Boolean).map((n) => n!.toLowerCase()));
  const ownInitials = ownInitialsOf(subject);
  const terms: NameTerm[] = [];
  const add = (text: string, reason: NameTerm["reason"], initials = false, caseSensitive = false) => {
    // A single word that is also the subject's own name would cut the pupil out of their own records.
    if (!text.trim() || (!initials && !/\s/.test(text.trim()) && own.has(text.trim().toLowerCase()))) return;
    terms.push({ text, reason, ...(initials ? { initials } : {}), ...(caseSensitive ? { caseSensitive } : {}) });
  };
  for (const p of roll) {
    if (p.id === subject.id) continue;
    const linked = linkedIds.has(p.id);
    for (const first of [p.forename, p.preferredName].filter((n): n is string => !!n)) {
      add(`${first} ${p.surname}`, "pupil");
      // Initials of a pupil merely on the roll that are also the subject's are most likely the subject.
      if (linked || !ownInitials.has(initialsOf(first, p.surname))) add(initialsOf(first, p.surname), "pupil", true);
      // A linked child is often named by first name alone in an account about them both.
      if (linked) add(first, "pupil");
    }
  }
  for (const s of staff) {
    const words = s.displayName.trim().split(/\s+/);
    const surname = words.at(-1) ?? "";
    add(s.displayName, "staff");
    for (const t of SURNAME_TITLES) add(`${t} ${surname}`, "staff");
    add(surname, "staff");
    if (words.length > 1) add(words[0]!, "staff");
  }
  for (const t of outsideNameTerms(outside, subject)) add(t.text, "outside", t.initials, t.caseSensitive);
  // Longest first, so "Jack Smith" is one redaction rather than "Jack" and a stray "Smith".
  return terms.sort((a, b) => b.text.length - a.text.length);
}

export interface PackSource {
  blocks: PackBlock[];
  /** Pupils linked to the subject's records (other parties), for the stronger name search. */
  linkedPupilIds: Set<string>;
}

/** The subject's records the actor may open, as blocks in time order; no staff names in headings. */
export async function packSource(records: RecordStore, actor: Actor, school: School, pupilId: string): Promise<PackSource> {
  const when = (iso: string) => formatWallClock(iso, school.timeZone);
  const categoryName = (id: string) => school.categories.find((c) => c.id === id)?.name ?? "Former category";
  const entries = (await records.chronology(pupilId)).filter((e) => e.kind === "incident").sort((a, b) => a.occurredAt.localeCompare(b.occurredAt));
  const blocks: PackBlock[] = [];
  const linkedPupilIds = new Set<string>();
  for (const e of entries) {
    const [incident, actions] = await Promise.all([records.getIncident(e.incidentId), records.actionsForIncident(e.incidentId, e.incidentPupilId)]);
    // The allegation rule holds here too: a record the DSL may not open is not in their pack.
    if (!incident || !canViewIncident(actor, incident, school.categories, actions)) continue;
    if (incident.pupilId !== pupilId) linkedPupilIds.add(incident.pupilId);
    for (const l of incident.linkedPupils) if (l.pupilId !== pupilId) linkedPupilIds.add(l.pupilId);
    const where = [incident.session, incident.location].filter(Boolean).join(", ");
    blocks.push({
      id: `${incident.id}:account`,
      heading: `${when(incident.occurredAt)} · ${incident.categoryIds.map(categoryName).join(", ")} · ${incident.reference}`,
      text: [...(where ? [`Where: ${where}.`] : []), incident.account].join("\n"),
    });
    for (const a of actions.filter((x) => canViewAction(actor, x))) {
      blocks.push({
        id: `${a.id}:text`,
        heading: `${a.kind === "correction" ? "Correction" : "Action"} · ${when(a.occurredAt)} · ${incident.reference}`,
        text: a.text,
      });
    }
  }
  return { blocks, linkedPupilIds };
}

/** Each block with its automatic and chosen redactions; a chosen passage outside a block's text is refused. */
export function redactBlocks(blocks: readonly PackBlock[], terms: readonly NameTerm[], chosen: readonly ChosenPassage[]): PreviewBlock[] {
  const byId = new Map(blocks.map((b) => [b.id, b]));
  chosen.forEach((c, i) => {
    const block = byId.get(c.blockId);
    if (!block || c.start < 0 || c.end > block.text.length || c.start >= c.end) {
      throw ValidationError([{ field: `passages.${i}`, message: "A chosen passage is not part of this pack's text; preview the pack again." }]);
    }
  });
  return blocks.map((b) => {
    const redactions = mergeRedactions([
      ...findNames(b.id, b.text, terms),
      ...chosen.filter((c) => c.blockId === b.id).map((c): Redaction => ({ ...c, reason: "passage" })),
    ]);
    return { ...b, redactions, released: applyRedactions(b.text, redactions) };
  });
}
