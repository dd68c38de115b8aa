/**
 * The pupils a member of staff can pick without typeahead (which some Teams clients and
 * Microsoft's Agents Playground do not offer): those they recorded about most recently, and, for a
 * name typed as a last resort, the pupils it matches. Staff have no class or year group of their
 * own in Keepsafe today, so there is nothing to suggest beyond their own recent records.
 */
import type { Actor } from "../domain/actor.js";
import type { RecordStore } from "../ports/record-store.js";
import { pupilInActorScope } from "../domain/policy/index.js";
import { shownTo, type PupilIndex, type PupilSummary } from "./pupil-index.js";

export const RECENT_PUPIL_CHOICES = 5;
/** Incidents read to find that many different pupils; a run of records about one child repeats them. */
const INCIDENTS_READ = RECENT_PUPIL_CHOICES * 4;
/** A typed name matching more pupils than this is offered as this many, best first. */
export const TYPED_NAME_CHOICES = 8;

export interface RecentPupilsDeps {
  records: Pick<RecordStore, "recentPupilIdsRaisedBy">;
  pupilIndex: Pick<PupilIndex, "byIds" | "search">;
}

/**
 * Most recent first, each pupil once, only pupils still on the roll, flags as the actor may see them.
 * A list offered to choose from, so a scope narrows it exactly as it narrows search (README, "Scopes").
 */
export async function recentPupilsForStaff(deps: RecentPupilsDeps, actor: Actor): Promise<PupilSummary[]> {
  const ids = await deps.records.recentPupilIdsRaisedBy(actor.schoolId, actor.staffId, INCIDENTS_READ);
  const unique = [...new Set(ids)].filter((id) => pupilInActorScope(actor, id)).slice(0, RECENT_PUPIL_CHOICES);
  return (await deps.pupilIndex.byIds(actor.schoolId, unique)).map((p) => shownTo(actor, p));
}

/**
 * Pupils named by id (a form's chosen pupils), so a re-shown form and its confirmation can name them.
 * Not a list to choose from: recording about any pupil is every member of staff's right, so the
 * names come back, but outside a scope only as a teacher sees them (no flags, shownTo).
 */
export async function pupilsByIds(deps: RecentPupilsDeps, actor: Actor, ids: readonly string[]): Promise<PupilSummary[]> {
  return (await deps.pupilIndex.byIds(actor.schoolId, [...new Set(ids)])).map((p) => shownTo(actor, p));
}

export type TypedNameMatch = { kind: "one"; pupil: PupilSummary } | { kind: "several"; pupils: PupilSummary[] } | { kind: "none" };

/**
 * A typed name resolved against the roll. One pupil whose whole name is what was typed is taken
 * even when others also match ("Sam Lee" beside "Sam Leeson"); otherwise one match is taken and
 * several are offered to choose from.
 */
export async function pupilsForTypedName(deps: RecentPupilsDeps, actor: Actor, typed: string): Promise<TypedNameMatch> {
  const query = typed.trim();
  if (!query) return { kind: "none" };
  const found = (await deps.pupilIndex.search(actor.schoolId, query, TYPED_NAME_CHOICES, (p) => pupilInActorScope(actor, p.id))).map((p) =>
    shownTo(actor, p),
  );
  const same = (a: string) =>
    a
      .normalize("NFKD")
      .replace(/[\u0300-\u036f]/g, "")
      .toLowerCase()
      .replace(/\s+/g, " ")
      .trim();
  const exact = found.filter((p) => same(p.displayName) === same(query));
  if (exact.length === 1) return { kind: "one", pupil: exact[0] };
  if (found.length === 1) return { kind: "one", pupil: found[0] };
  return found.length ? { kind: "several", pupils: found } : { kind: "none" };
}
