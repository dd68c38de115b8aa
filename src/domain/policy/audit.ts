/**
 * Audit trails: who looked at which pupil's records. The safeguarding team's own tool for proving
 * need-to-know, so only DSLs and deputies (with MFA) read or export one.
 */
import type { Actor } from "../actor.js";
import { ForbiddenError } from "../errors.js";
import { assertSignInStrongEnough } from "./incident.js";
import { isSafeguardingLead } from "./roles.js";

export const canViewAuditTrail = (actor: Pick<Actor, "role">) => isSafeguardingLead(actor.role);

export function assertCanViewAuditTrail(actor: Actor) {
  assertSignInStrongEnough(actor);
  if (!canViewAuditTrail(actor)) throw ForbiddenError("Only the DSL and deputy DSLs see audit trails.");
}
