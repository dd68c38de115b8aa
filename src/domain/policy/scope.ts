/**
 * Scoped roles: a head of year or phase leader holds the SLT role for their year groups or classes
 * only (staff.csv's `scope`). Their scope is resolved to the pupils in it when they sign in; here
 * it narrows what the senior leader's role opens (standard records, search, chronology, reports)
 * to those pupils. Raising, being alerted or tagged opens a record whatever the scope.
 */
import type { Actor } from "../actor.js";
import type { Role } from "../roles.js";
import { isSeniorLeader } from "./roles.js";

/** Whether the pupil is one the actor's scope covers; everyone unscoped covers the whole school. */
export const pupilInActorScope = (actor: Pick<Actor, "scopePupilIds">, pupilId: string | undefined) =>
  !actor.scopePupilIds || (pupilId !== undefined && actor.scopePupilIds.has(pupilId));

/** Only a senior leader's role is narrowed by a scope (the school's CSV import refuses it on others). */
export const scopeNarrowsRole = (role: Role) => isSeniorLeader(role);
