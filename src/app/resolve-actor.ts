/** Staff are known by their Entra object id; anyone not on the school's active staff list is refused. */
import type { Actor } from "../domain/actor.js";
import { UnauthenticatedError } from "../domain/errors.js";
import type { AuditSource } from "../domain/incident.js";
import type { SchoolStore } from "../ports/school-store.js";
import { pupilInScope } from "../domain/staff-scope.js";
import type { PupilIndex } from "./pupil-index.js";

export interface ResolveActorOptions {
  mfa: boolean;
  via?: AuditSource;
}

export async function resolveActor(
  deps: { schools: Pick<SchoolStore, "findStaffById">; pupilIndex: Pick<PupilIndex, "idsWhere"> },
  staffId: string | undefined,
  opts: ResolveActorOptions,
): Promise<Actor> {
  if (!staffId) throw UnauthenticatedError();
  const member = await deps.schools.findStaffById(staffId);
  if (!member || !member.active) throw UnauthenticatedError("You are not on this school's Keepsafe staff list.");
  // A scope is resolved to its pupils once per request, from the in-memory roll (no extra store read).
  const scope = member.scope;
  const scopePupilIds = scope?.length ? await deps.pupilIndex.idsWhere(member.schoolId, (p) => pupilInScope(scope, p)) : undefined;
  return {
    staffId: member.id,
    schoolId: member.schoolId,
    name: member.displayName,
    role: member.role,
    mfa: opts.mfa,
    ...(scopePupilIds ? { scopePupilIds } : {}),
    ...(opts.via ? { via: opts.via } : {}),
  };
}
