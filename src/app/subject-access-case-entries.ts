/**
 * The pupil's case entries (meetings, phone calls, referrals, information disclosed, documents) as
 * blocks of a subject access pack, oldest first. They go through the same redaction as the
 * concerns. A document shows its type, title and date, never the file's contents.
 */
import type { Actor } from "../domain/actor.js";
import { CASE_ENTRY_LABELS, caseEntrySummary } from "../domain/case-entries.js";
import { can } from "../domain/policy/index.js";
import type { PackBlock } from "../domain/subject-access.js";
import type { CaseEntryStore } from "../ports/case-entry-store.js";

export async function caseEntryBlocks(
  store: CaseEntryStore | undefined,
  actor: Actor,
  pupilId: string,
  when: (iso: string) => string,
): Promise<PackBlock[]> {
  if (!store || !can(actor, "view", { kind: "case-entry" })) return [];
  const entries = (await store.caseEntriesForPupil(pupilId)).sort((a, b) => a.occurredAt.localeCompare(b.occurredAt));
  // Headings carry the kind and date only: who recorded an entry is a staff name.
  return entries.map((e) => ({ id: `${e.id}:entry`, heading: `${CASE_ENTRY_LABELS[e.kind]} · ${when(e.occurredAt)}`, text: caseEntrySummary(e) }));
}
