/**
 * Incidents: who may read a record, and who may answer an alert about it. A record the actor may
 * not see answers exactly as a missing one (recordNotFound); callers audit the refusal.
 */
import type { Actor } from "../actor.js";
import type { Category } from "../categories.js";
import type { Incident, IncidentAction } from "../incident.js";
import type { School } from "../school.js";
import { allegationRecipient } from "../allegations.js";
import { MfaRequiredError, NotFoundError } from "../errors.js";
import { isSafeguardingLead, isSeniorLeader, requiresMfa } from "./roles.js";
import { pupilInActorScope } from "./scope.js";

export type IncidentAccessFacts = Pick<Incident, "raisedBy" | "alertedStaffIds" | "categoryIds"> & {
  allegationSubjectStaffIds?: string[];
  /** Whose record it is: a scoped senior leader reads only their pupils' (a linked pupil never counts). */
  pupilId?: string;
};

export type TaggedIn = readonly Pick<IncidentAction, "taggedStaffIds">[];

/** An incident with several categories is as restricted as its most restricted one. */
export const touchesProtected = (categoryIds: readonly string[], categories: readonly { id: string; protected?: boolean }[]) =>
  categoryIds.some((id) => categories.find((c) => c.id === id)?.protected ?? false);

/** The named adult in an allegation never sees it, whatever their role. */
export const isAllegationSubject = (actor: Pick<Actor, "staffId">, incident: Pick<IncidentAccessFacts, "allegationSubjectStaffIds">) =>
  (incident.allegationSubjectStaffIds ?? []).includes(actor.staffId);

/** What the policy needs of the school: its categories and who allegations about adults go to. */
export type PolicySchool = Pick<School, "categories" | "headTeacherStaffId" | "chairOfGovernorsStaffId">;

const schoolFacts = (school: PolicySchool | readonly Category[]): PolicySchool =>
  Array.isArray(school) ? { categories: [...school] } : (school as PolicySchool);

export const isAllegation = (incident: Pick<IncidentAccessFacts, "allegationSubjectStaffIds">) =>
  (incident.allegationSubjectStaffIds ?? []).length > 0;

/**
 * Who reads a record (README, "Who sees what"):
 * - an allegation about an adult who works here: whoever raised it, DSLs and deputies, and the
 *   head teacher (the chair of governors when the head is named); never the adults it names,
 *   never SLT, alerted or tagged staff because of its categories;
 * - otherwise: whoever raised it, was alerted to it or tagged in one of its actions (a tag kept
 *   pending for the DSLs is not a tag yet), DSLs and deputies, and SLT unless any of its
 *   categories is protected (as restricted as its most restricted category) and, for a scoped
 *   senior leader (a head of year), the record's pupil is in their scope.
 * Linked pupils are never consulted: being linked to a record widens nobody's access.
 * `school` may be just the categories where no allegation can be involved (older callers).
 */
export function canViewIncident(
  actor: Actor,
  incident: IncidentAccessFacts,
  school: PolicySchool | readonly Category[],
  actions: TaggedIn = [],
): boolean {
  if (isAllegationSubject(actor, incident)) return false;
  if (incident.raisedBy.staffId === actor.staffId) return true;
  if (isSafeguardingLead(actor.role)) return true;
  const facts = schoolFacts(school);
  if (isAllegation(incident)) return actor.staffId === allegationRecipient(facts, incident.allegationSubjectStaffIds ?? []);
  if (incident.alertedStaffIds.includes(actor.staffId)) return true;
  if (actions.some((a) => a.taggedStaffIds.includes(actor.staffId))) return true;
  if (isSeniorLeader(actor.role)) return !touchesProtected(incident.categoryIds, facts.categories) && pupilInActorScope(actor, incident.pupilId);
  return false;
}

/** DSLs change categories after the fact; staff raise, a DSL re-tags. */
export const canRecategorise = (actor: Actor) => isSafeguardingLead(actor.role);

/** The safeguarding team is told, on the record, that it is an allegation about an adult here. */
export const seesAllegationNote = (actor: Actor) => isSafeguardingLead(actor.role);

/**
 * DSLs, deputies and SLT must have passed MFA before any record is shown to them, because their
 * access reaches other people's concerns. Staff see only what they wrote or were alerted to.
 */
export function assertSignInStrongEnough(actor: Actor): void {
  if (requiresMfa(actor.role) && !actor.mfa) throw MfaRequiredError();
}

/**
 * A record the actor may not see answers exactly as a missing one: that a record exists about a
 * pupil is itself something a member of staff may not know. Callers audit the refusal.
 */
export const recordNotFound = () => NotFoundError("The record");

export function assertCanViewIncident(
  actor: Actor,
  incident: IncidentAccessFacts,
  school: PolicySchool | readonly Category[],
  actions: TaggedIn = [],
) {
  assertSignInStrongEnough(actor);
  if (!canViewIncident(actor, incident, school, actions)) throw recordNotFound();
}

/**
 * The person an alert was sent to may answer it from the alert card in Teams chat (mark it read,
 * add an action) without a second factor: neither shows them anything of the record, and the bot
 * channel carries no sign-in strength. Reading the record still needs the tab and MFA.
 */
export function assertCanAnswerOwnAlert(actor: Actor, incident: IncidentAccessFacts) {
  // Someone who was not alerted learns nothing from the card either: the answer is a missing record's.
  if (isAllegationSubject(actor, incident) || !incident.alertedStaffIds.includes(actor.staffId)) throw recordNotFound();
}
