/**
 * The pupil's case entries (meetings, phone calls, referrals, information disclosed, documents) as
 * blocks of a subject access pack, oldest first. They go through the same redaction as the
 * concerns. A document shows its type, title and date, never the file's contents. The DSL may
 * leave any entry out (an entry is included unless chosen); what they leave out has no block.
 */
import type { Actor } from "../domain/actor.js";
import { CASE_ENTRY_LABELS, caseEntrySummary, type CaseEntryKind } from "../domain/case-entries.js";
import { ValidationError } from "../domain/errors.js";
import { outsidePeopleIn } from "../domain/outside-people.js";
import { can } from "../domain/policy/index.js";
import type { PackBlock } from "../domain/subject-access.js";
import type { CaseEntryStore } from "../ports/case-entry-store.js";

/** One entry as the DSL chooses: its type and date, and whether it goes into the pack. */
export interface EntryChoice {
  id: string;
  kind: CaseEntryKind;
  heading: string;
  included: boolean;
}

export interface PackCaseEntries {
  /** Blocks of the included entries only. */
  blocks: PackBlock[];
  choices: EntryChoice[];
  /** People outside the school named in any of the entries, left out ones too: they may be named elsewhere in the pack. */
  outsidePeople: string[];
}

export async function packCaseEntries(
  store: CaseEntryStore | undefined,
  actor: Actor,
  pupilId: string,
  when: (iso: string) => string,
  excluded: readonly string[],
): Promise<PackCaseEntries> {
  const visible = store && can(actor, "view", { kind: "case-entry" });
  const entries = visible ? (await store.caseEntriesForPupil(pupilId)).sort((a, b) => a.occurredAt.localeCompare(b.occurredAt)) : [];
  const ids = new Set(entries.map((e) => e.id));
  // Only the pupil's own entries (that this DSL may see) can be chosen: another pupil's id, or one
  // from a stale preview, is refused by its place in the list rather than quietly ignored.
  const unknown = excluded.flatMap((id, i) =>
    ids.has(id) ? [] : [{ field: `excludedEntries.${i}`, message: "Not one of this pupil's case entries; preview the pack again." }],
  );
  if (unknown.length) throw ValidationError(unknown);
  const out = new Set(excluded);
  const blocks: PackBlock[] = [];
  const choices: EntryChoice[] = [];
  for (const e of entries) {
    // Headings carry the kind and date only: who recorded an entry is a staff name.
    const heading = `${CASE_ENTRY_LABELS[e.kind]} · ${when(e.occurredAt)}`;
    choices.push({ id: e.id, kind: e.kind, heading, included: !out.has(e.id) });
    if (!out.has(e.id)) blocks.push({ id: `${e.id}:entry`, heading, text: caseEntrySummary(e) });
  }
  return { blocks, choices, outsidePeople: outsidePeopleIn(entries) };
}
