/**
 * Running a case after submission (re-categorise, assign, close, reopen, no further action) is the
 * safeguarding team's work: DSLs and deputies, with the second factor. Others who may read the
 * record are refused in words; those who may not read it never get this far (they meet "not found").
 */
import type { Actor } from "../actor.js";
import { ForbiddenError } from "../errors.js";
import { assertSignInStrongEnough } from "./incident.js";
import { isSafeguardingLead } from "./roles.js";

export const canChangeIncident = (actor: Actor) => isSafeguardingLead(actor.role) && actor.mfa;

export function assertCanChangeIncident(actor: Actor) {
  assertSignInStrongEnough(actor);
  if (!canChangeIncident(actor)) throw ForbiddenError("Only the safeguarding team (DSLs and deputies) can change a record after it is submitted.");
}

/** A record's history of changes (old categories among them) is for those who may change it. */
export const canViewIncidentHistory = canChangeIncident;
