/**
 * Who may see or do what. The bot, the tab API, reports and jobs all ask here; nothing else
 * decides access. Each rule reads as a sentence from the schools' policies.
 */
import type { Actor } from "./actor.js";
import type { Category } from "./categories.js";
import type { Incident, IncidentAction } from "./incident.js";
import type { PupilFlag } from "./school.js";
import { isSafeguardingLead, requiresMfa } from "./roles.js";
import { ForbiddenError, MfaRequiredError, NotFoundError } from "./errors.js";

type IncidentAccessFacts = Pick<Incident, "raisedBy" | "alertedStaffIds" | "categoryIds"> & {
  allegationSubjectStaffIds?: string[];
};

const touchesProtected = (categoryIds: readonly string[], categories: readonly Category[]) =>
  categoryIds.some((id) => categories.find((c) => c.id === id)?.protected ?? false);

/** The named adult in an allegation never sees it, whatever their role. */
export const isAllegationSubject = (actor: Actor, incident: IncidentAccessFacts) =>
  (incident.allegationSubjectStaffIds ?? []).includes(actor.staffId);

type TaggedIn = readonly Pick<IncidentAction, "taggedStaffIds">[];

/**
 * Anyone raising or alerted to a record may read it, and so may anyone tagged in one of its
 * actions (tagging alerts them); others by role and category.
 */
export function canViewIncident(
  actor: Actor,
  incident: IncidentAccessFacts,
  categories: readonly Category[],
  actions: TaggedIn = [],
): boolean {
  if (isAllegationSubject(actor, incident)) return false;
  if (incident.raisedBy.staffId === actor.staffId) return true;
  if (incident.alertedStaffIds.includes(actor.staffId)) return true;
  if (actions.some((a) => a.taggedStaffIds.includes(actor.staffId))) return true;
  if (isSafeguardingLead(actor.role)) return true;
  if (actor.role === "SLT") return !touchesProtected(incident.categoryIds, categories);
  return false;
}

/** Staff with write-only access never browse a pupil's chronology; they see their own records elsewhere. */
export const canBrowseChronology = (actor: Actor) => actor.role !== "STAFF";

/** Only DSLs allocate Child Protection / Child in Need. */
export const canAllocateCategory = (actor: Actor, category: Category) =>
  !category.dslAllocatedOnly || isSafeguardingLead(actor.role);

export const canRecategorise = (actor: Actor) => isSafeguardingLead(actor.role);

/** An action is seen by those tagged in it, by whoever recorded it, and by DSLs. */
export const canViewAction = (actor: Actor, action: Pick<IncidentAction, "recordedBy" | "taggedStaffIds">) =>
  isSafeguardingLead(actor.role) ||
  action.recordedBy.staffId === actor.staffId ||
  action.taggedStaffIds.includes(actor.staffId);

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

export function assertCanViewIncident(actor: Actor, incident: IncidentAccessFacts, categories: readonly Category[], actions: TaggedIn = []) {
  assertSignInStrongEnough(actor);
  if (!canViewIncident(actor, incident, categories, actions)) throw recordNotFound();
}

/** Child protection and child in need flags are records of the safeguarding team's own work. */
const SAFEGUARDING_FLAGS: ReadonlySet<PupilFlag> = new Set(["CP", "CIN"]);

/**
 * Which of a pupil's welfare flags the actor may know. DSLs and deputies see them all; SLT all but
 * child protection and child in need; other staff none (they record concerns, they do not need a
 * child's welfare history to do so). Without the second factor their role needs, none at all.
 */
export function visiblePupilFlags(actor: Actor, flags: readonly PupilFlag[]): PupilFlag[] {
  if (requiresMfa(actor.role) && !actor.mfa) return [];
  if (isSafeguardingLead(actor.role)) return [...flags];
  if (actor.role === "SLT") return flags.filter((f) => !SAFEGUARDING_FLAGS.has(f));
  return [];
}

/**
 * The person an alert was sent to may answer it from the alert card in Teams chat (mark it read,
 * add an action) without a second factor: neither shows them anything of the record, and the bot
 * channel carries no sign-in strength. Reading the record still needs the tab and MFA.
 */
export function assertCanAnswerOwnAlert(actor: Actor, incident: IncidentAccessFacts) {
  if (isAllegationSubject(actor, incident) || !incident.alertedStaffIds.includes(actor.staffId))
    throw ForbiddenError("You were not alerted to this record.");
}

export function assertCanBrowseChronology(actor: Actor) {
  assertSignInStrongEnough(actor);
  if (!canBrowseChronology(actor)) throw ForbiddenError("Your role records concerns but does not browse pupils' records.");
}

/** Reports are for those who browse records (DSLs, deputies, SLT), after their second factor. */
export function assertCanViewReports(actor: Actor) {
  assertSignInStrongEnough(actor);
  if (!canBrowseChronology(actor)) throw ForbiddenError("Reports are for the safeguarding team and senior leaders.");
}

/** The categories a report may name for the actor: SLT never gets a report of a protected one. */
export const reportableCategories = (actor: Actor, categories: readonly Category[]) =>
  isSafeguardingLead(actor.role) ? [...categories] : categories.filter((c) => !c.protected);

/** The pupil groups a report may filter or group by: only the flags the actor may know. */
export const reportablePupilGroups = (actor: Actor, all: readonly PupilFlag[]) => visiblePupilFlags(actor, all);

/** A chronology leaves Keepsafe as a PDF only by the safeguarding team's hand (DSL or deputy). */
export function assertCanExportChronology(actor: Actor) {
  assertSignInStrongEnough(actor);
  if (!isSafeguardingLead(actor.role)) throw ForbiddenError("Only the DSL and deputies export a chronology.");
}
