/** Pupil search: names, year group and class for anyone who may record; welfare flags only as policy.visiblePupilFlags allows. */
import type { Actor } from "../domain/actor.js";
import { LIMITS } from "../domain/limits.js";
import { authorize, pupilInActorScope } from "../domain/policy/index.js";
import { shownTo, type PupilIndex, type PupilSummary } from "./pupil-index.js";

/** However many are asked for, a search answers at most this many. */
const MOST_PUPILS_FOUND = 50;

export async function searchPupils(
  deps: { pupilIndex: Pick<PupilIndex, "search"> },
  actor: Actor,
  query: string,
  top: number = LIMITS.pupilSearchMaxResults,
): Promise<PupilSummary[]> {
  // Pupil search is a door too: names for anyone who may record, flags as the policy allows.
  authorize(actor, "search", { kind: "pupil" });
  // A head of year finds only the pupils in their scope.
  const found = await deps.pupilIndex.search(actor.schoolId, query, Math.min(top, MOST_PUPILS_FOUND), (p) => pupilInActorScope(actor, p.id));
  return found.map((p) => shownTo(actor, p));
}
