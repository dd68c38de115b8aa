/** A pupil's chronology: who browses it. Entries in it are filtered by the incident rules. */
import type { Actor } from "../actor.js";
import { ForbiddenError } from "../errors.js";
import { assertSignInStrongEnough } from "./incident.js";
import { readsOthersRecords } from "./roles.js";

/** Staff with write-only access never browse a pupil's chronology; they see their own records elsewhere. */
export const canBrowseChronology = (actor: Actor) => readsOthersRecords(actor.role);

export function assertCanBrowseChronology(actor: Actor) {
  assertSignInStrongEnough(actor);
  if (!canBrowseChronology(actor)) throw ForbiddenError("Your role records concerns but does not browse pupils' records.");
}
