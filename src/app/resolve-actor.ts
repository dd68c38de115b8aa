/**
 * Staff are known by their Entra object id; anyone not on the school's active staff list is refused.
 * Their role is staff.csv's, or, when the school has configured it, the one their verified token's
 * app roles or groups give (policy/role-claims.ts has the rule); at a door with no token, the one
 * the school's role directory holds, synced from Entra. A fresh token's role also updates that
 * directory (newest wins), so alert routing learns it before the next sync.
 */
import type { Actor } from "../domain/actor.js";
import { UnauthenticatedError } from "../domain/errors.js";
import type { AuditSource } from "../domain/incident.js";
import { claimsDecideRoles, decideRole, type DirectoryClaims, type RoleClaimSettings } from "../domain/policy/index.js";
import type { SchoolStore } from "../ports/school-store.js";
import { pupilInScope } from "../domain/staff-scope.js";
import type { PupilIndex } from "./pupil-index.js";
import { warnGroupsOverage } from "./role-claim-warnings.js";
import { roleDirectoryLog, type RoleDirectories } from "./role-directories.js";

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
    roleDirectories?: Pick<RoleDirectories, "roleOf" | "noteTokenRole">;
  },
  staffId: string | undefined,
  opts: ResolveActorOptions,
): Promise<Actor> {
  if (!staffId) throw UnauthenticatedError();
  const member = await deps.schools.findStaffById(staffId);
  if (!member || !member.active) throw UnauthenticatedError("You are not on this school's Keepsafe staff list.");
  const fromDirectory =
    claimsDecideRoles(deps.roleClaims) && !opts.directory ? await deps.roleDirectories?.roleOf(member.schoolId, member.id) : undefined;
  const decision = decideRole(deps.roleClaims, member.role, opts.directory, fromDirectory);
  if (decision.groupsOverage) warnGroupsOverage(member.id, member.schoolId);
  // An overage hides the groups, so the role it gives is no news about the tenant.
  else if ((decision.decidedBy === "claims" || decision.decidedBy === "no-mapped-claim") && opts.directory?.issuedAt) {
    // Never fails the request: the directory catches up at the next sync.
    await deps.roleDirectories
      ?.noteTokenRole(member.schoolId, member.id, decision.role, opts.directory.issuedAt)
      .catch((e: unknown) =>
        roleDirectoryLog.warn(
          { event: "role_directory.token_role_failed", staffId: member.id, err: e instanceof Error ? e.name : "unknown" },
          "sign-in role not recorded",
        ),
      );
  }
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
