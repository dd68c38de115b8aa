/** Pupils: what a search result shows and which welfare flags the actor may know. */
import type { Actor } from "../actor.js";
import type { PupilFlag } from "../school.js";
import { isSafeguardingLead, isSeniorLeader, requiresMfa } from "./roles.js";
import { pupilInActorScope } from "./scope.js";

/** Child protection and child in need flags are records of the safeguarding team's own work. */
const SAFEGUARDING_FLAGS: ReadonlySet<PupilFlag> = new Set(["CP", "CIN"]);

/**
 * Which of a pupil's welfare flags the actor may know. DSLs and deputies see them all; SLT all but
 * child protection and child in need; other staff none (they record concerns, they do not need a
 * child's welfare history to do so). Without the second factor their role needs, none at all.
 */
export function visiblePupilFlags(actor: Pick<Actor, "role" | "mfa">, flags: readonly PupilFlag[]): PupilFlag[] {
  if (requiresMfa(actor.role) && !actor.mfa) return [];
  if (isSafeguardingLead(actor.role)) return [...flags];
  if (isSeniorLeader(actor.role)) return flags.filter((f) => !SAFEGUARDING_FLAGS.has(f));
  return [];
}

/**
 * The flags shown with one pupil. A scope narrows what a senior leader's role adds beyond a
 * teacher's: outside it (a head of year naming another year's pupil on a concern they record, or
 * reading a record they were alerted to) they get what any teacher gets, the name without flags.
 */
export const pupilFlagsShown = (actor: Pick<Actor, "role" | "mfa" | "scopePupilIds">, pupil: { id: string; flags: readonly PupilFlag[] }) =>
  pupilInActorScope(actor, pupil.id) ? visiblePupilFlags(actor, pupil.flags) : [];
