import type { Actor } from "../actor.js";
import type { StaffMember } from "../school.js";
import { ForbiddenError } from "../errors.js";
import { isSafeguardingLead } from "./roles.js";
import { assertSignInStrongEnough } from "./incident.js";

/** The DSL and deputies hear of a pupil's concerns building up (early-warning.ts). */
export const receivesEarlyWarnings = (member: Pick<StaffMember, "role" | "active">) => member.active && isSafeguardingLead(member.role);

/** Only the DSL and deputies, signed in with a second factor, list and review early-warning firings. */
export function assertCanReviewEarlyWarnings(actor: Actor) {
  assertSignInStrongEnough(actor);
  if (!isSafeguardingLead(actor.role)) throw ForbiddenError("Only the DSL and deputies see early warnings.");
}
