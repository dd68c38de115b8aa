/** Actions on an incident: who sees each one. */
import type { Actor } from "../actor.js";
import type { IncidentAction } from "../incident.js";
import { isSafeguardingLead } from "./roles.js";

/** An action is seen by those tagged in it, by whoever recorded it, and by DSLs. */
export const canViewAction = (actor: Actor, action: Pick<IncidentAction, "recordedBy" | "taggedStaffIds">) =>
  isSafeguardingLead(actor.role) ||
  action.recordedBy.staffId === actor.staffId ||
  action.taggedStaffIds.includes(actor.staffId);
