/** Staff are known by their Entra object id; anyone not on the school's active staff list is refused. */
import type { Actor } from "../domain/actor.js";
import { UnauthenticatedError } from "../domain/errors.js";
import type { AuditSource } from "../domain/incident.js";
import type { SchoolStore } from "../ports/school-store.js";

export interface ResolveActorOptions {
  mfa: boolean;
  via?: AuditSource;
}

export async function resolveActor(deps: { schools: Pick<SchoolStore, "findStaffById"> }, staffId: string | undefined, opts: ResolveActorOptions): Promise<Actor> {
  if (!staffId) throw UnauthenticatedError();
  const member = await deps.schools.findStaffById(staffId);
  if (!member || !member.active) throw UnauthenticatedError("You are not on this school's Keepsafe staff list.");
  return { staffId: member.id, schoolId: member.schoolId, name: member.displayName, role: member.role, mfa: opts.mfa, ...(opts.via ? { via: opts.via } : {}) };
}
