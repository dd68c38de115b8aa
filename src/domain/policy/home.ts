/**
 * Which home page a member of staff lands on: the safeguarding team's casework counts, SLT's (the
 * same counts, each over only the records SLT may open), or staff's own concerns and tasks.
 */
import type { Actor } from "../actor.js";
import { isSafeguardingLead, isSeniorLeader } from "./roles.js";

export type HomeKind = "safeguarding" | "senior" | "staff";

export const homeKindFor = (actor: Pick<Actor, "role">): HomeKind =>
  isSafeguardingLead(actor.role) ? "safeguarding" : isSeniorLeader(actor.role) ? "senior" : "staff";

/**
 * What the store leaves out of every home list by itself: no one sees a record in which they are
 * the subject of an allegation, so the query leaves those out for everyone. Which of the rest a
 * count may count in the store is home-store-visibility.ts.
 */
export const homeStoreScope = (actor: Pick<Actor, "staffId">) => ({ notAllegationSubject: actor.staffId });
