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
 * What the store can decide of a home list by itself. No one sees a record in which they are the
 * subject of an allegation, so the query leaves those out for everyone; the safeguarding team see
 * every other record, so their counts are counted in the store without a record being read. Others'
 * counts need the per-record check (raised by them, alerted, tagged, protected categories).
 */
export const homeStoreScope = (actor: Pick<Actor, "role" | "staffId">) => ({
  notAllegationSubject: actor.staffId,
  countInStore: isSafeguardingLead(actor.role),
});
