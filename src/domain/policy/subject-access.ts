/**
 * Subject access requests: the safeguarding team opens, extends, redacts and releases them (the
 * pack leaves the school, so it is an export). Through the one door, so the MFA rule holds.
 */
import type { Actor } from "../actor.js";
import { authorize } from "./authorize.js";
import type { StaffMember } from "../school.js";
import { isSafeguardingLead } from "./roles.js";

export const assertCanHandleSubjectAccess = (actor: Actor) => authorize(actor, "run", { kind: "export" });

/** Whether to offer subject access requests at all (the tab asks; the server decides with MFA too). */
export const canOpenSubjectAccess = (actor: Pick<Actor, "role">) => isSafeguardingLead(actor.role);

/**
 * A subject access deadline is chased with the safeguarding team (every active DSL and deputy) and
 * the member of staff who opened the request, while they are still on the staff list.
 */
export const alertedOfSubjectAccessDeadline = (member: Pick<StaffMember, "id" | "role" | "active">, openedBy: string) =>
  member.active && (isSafeguardingLead(member.role) || member.id === openedBy);
