/**
 * Reports and exports. Reports are for those who browse records (DSLs, deputies, SLT), after their
 * second factor, and count only what the reader could open; a chronology leaves Keepsafe as a PDF
 * only by the safeguarding team's hand.
 */
import type { Actor } from "../actor.js";
import type { Category } from "../categories.js";
import { ForbiddenError } from "../errors.js";
import type { PupilFlag } from "../school.js";
import { assertSignInStrongEnough } from "./incident.js";
import { visiblePupilFlags } from "./pupil.js";
import { isSafeguardingLead, readsOthersRecords } from "./roles.js";

/** Reports are offered to those who read others' records (DSLs, deputies, SLT); the tab asks this too. */
export const canOpenReports = (actor: Pick<Actor, "role">) => readsOthersRecords(actor.role);

export function assertCanViewReports(actor: Actor) {
  assertSignInStrongEnough(actor);
  if (!canOpenReports(actor)) throw ForbiddenError("Reports are for the safeguarding team and senior leaders.");
}

/** The categories a report may name for the actor: SLT never gets a report of a protected one. */
export const reportableCategories = <C extends Pick<Category, "protected">>(actor: Pick<Actor, "role">, categories: readonly C[]): C[] =>
  isSafeguardingLead(actor.role) ? [...categories] : categories.filter((c) => !c.protected);

/** The pupil groups a report may filter or group by: only the flags the actor may know. */
export const reportablePupilGroups = (actor: Pick<Actor, "role" | "mfa">, all: readonly PupilFlag[]) => visiblePupilFlags(actor, all);

/** Whether the tab offers "Download PDF" on a chronology (the server asks assertCanExportChronology). */
export const canExportChronology = (actor: Pick<Actor, "role" | "mfa">) => isSafeguardingLead(actor.role) && actor.mfa;

export function assertCanExportChronology(actor: Actor) {
  assertSignInStrongEnough(actor);
  if (!isSafeguardingLead(actor.role)) throw ForbiddenError("Only the DSL and deputies export a chronology.");
}
