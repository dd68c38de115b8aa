/**
 * Staff are known by their Entra object id; anyone not on the school's active staff list is refused.
 * Their role is staff.csv's, or, when the school has configured it, the one their verified token's
 * app roles or groups give (policy/role-claims.ts has the rule).
 */
import type { Actor } from "../domain/actor.js";
import { UnauthenticatedError } from "../domain/errors.js";
import type { AuditSource } from "../domain/incident.js";
import { decideRole, type DirectoryClaims, type RoleClaimSettings } from "../domain/policy/index.js";
import type { SchoolStore } from "../ports/school-store.js";
import { pupilInScope } from "../domain/staff-scope.js";
import type { PupilIndex } from "./pupil-index.js";
import { warnGroupsOverage } from "./role-claim-warnings.js";

export interface ResolveActorOptions {
  mfa: boolean;
  via?: AuditSource;
  /** The verified token's app roles and groups; absent at doors with no token (bot, jobs). */
  directory?: DirectoryClaims;
}

export async function resolveActor(
  deps: {
    schools: Pick<SchoolStore, "findStaffById">;
    pupilIndex: Pick<PupilIndex, "idsWhere">;
    roleClaims?: RoleClaimSettings;
  },
  staffId: string | undefined,
  opts: ResolveActorOptions,
): Promise<Actor> {
  if (!staffId) throw UnauthenticatedError();
  const member = await deps.schools.findStaffById(staffId);
  if (!member || !member.active) throw UnauthenticatedError("You are not on this school's Keepsafe staff list.");
  const decision = decideRole(deps.roleClaims, member.role, opts.directory);
  if (decision.groupsOverage) warnGroupsOverage(member.id, member.schoolId);
  // A scope is resolved to its pupils once per request, from the in-memory roll (no extra store read).
  const scope = member.scope;
  const scopePupilIds = scope?.length ? await deps.pupilIndex.idsWhere(member.schoolId, (p) => pupilInScope(scope, p)) : undefined;
  return {
    staffId: member.id,
    schoolId: member.schoolId,
    name: member.displayName,
    role: decision.role,
    mfa: opts.mfa,
    ...(scopePupilIds ? { scopePupilIds } : {}),
    ...(opts.via ? { via: opts.via } : {}),
  };
}
