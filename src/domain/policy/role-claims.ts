/**
 * Roles from Entra (issue 7): a school may let its tenant say who is DSL, deputy, SLT or staff,
 * through app role assignments (the token's `roles` claim) or security groups (`groups`), instead
 * of staff.csv's role column. The rule, in the README's "Who sees what":
 *
 * - staff.csv always says who works here (school, scope, leavers). Someone not on it is refused,
 *   whatever their token says.
 * - With a claim source configured, the verified token's claims decide the role, both up and down:
 *   staff.csv's role is not read. A DSL whose DSL app role the tenant removed is not a DSL.
 * - On the staff list with no mapped claim: STAFF (records concerns, sees what they raised, were
 *   alerted to or tagged in), never staff.csv's role.
 * - A door with no token to read (bot messages, alert cards, jobs) takes the role the school's role
 *   directory holds (synced from Microsoft Graph, src/app/role-directory-sync.ts). With no
 *   directory yet it is treated as "no mapped claim": STAFF. Trusting staff.csv there would keep a
 *   role the tenant has taken away.
 * - Group overage (too many groups for the token): no group claim at all, never a guess.
 */
import type { Role } from "../roles.js";
import { mostSeniorRole } from "./roles.js";

export const CLAIM_ROLE_SOURCES = ["app-roles", "groups"] as const;
export type ClaimRoleSource = (typeof CLAIM_ROLE_SOURCES)[number];

/** Parsed configuration (src/role-source-config.ts): empty `sources` means staff.csv alone. */
export interface RoleClaimSettings {
  sources: ReadonlySet<ClaimRoleSource>;
  /** App role value (e.g. "Keepsafe.DSL") to Keepsafe role. */
  appRoles: ReadonlyMap<string, Role>;
  /** Security group object id (lower case) to Keepsafe role. */
  groups: ReadonlyMap<string, Role>;
}

/** What a verified token says about the person's directory roles, as plain data. */
export interface DirectoryClaims {
  roles: readonly string[];
  groups: readonly string[];
  /** Entra sent `_claim_names.groups` / `hasgroups` instead of the groups: too many to list. */
  groupsOverage: boolean;
  /** When the token was issued (its `iat`, ISO): a role it shows is that recent (role-directory.ts, newest wins). */
  issuedAt?: string;
}

export type RoleDecisionSource = "staff-csv" | "claims" | "no-mapped-claim" | "directory" | "no-token";

export interface RoleDecision {
  role: Role;
  decidedBy: RoleDecisionSource;
  /** The group claim was an overage marker, so groups counted for nothing. */
  groupsOverage: boolean;
}

export const claimsDecideRoles = (settings: RoleClaimSettings | undefined): settings is RoleClaimSettings => !!settings && settings.sources.size > 0;

/**
 * The role of someone on the staff list, from staff.csv's role and, when configured, their claims;
 * at a door with no token, from the role directory's entry (`directoryRole`) when there is one.
 */
export function decideRole(
  settings: RoleClaimSettings | undefined,
  staffCsvRole: Role,
  claims: DirectoryClaims | undefined,
  directoryRole?: Role,
): RoleDecision {
  if (!claimsDecideRoles(settings)) return { role: staffCsvRole, decidedBy: "staff-csv", groupsOverage: false };
  if (!claims)
    return directoryRole
      ? { role: directoryRole, decidedBy: "directory", groupsOverage: false }
      : { role: "STAFF", decidedBy: "no-token", groupsOverage: false };
  const mapped: Role[] = [];
  if (settings.sources.has("app-roles")) for (const value of claims.roles) pushMapped(mapped, settings.appRoles, value);
  const overage = settings.sources.has("groups") && claims.groupsOverage;
  if (settings.sources.has("groups") && !overage) for (const id of claims.groups) pushMapped(mapped, settings.groups, id.toLowerCase());
  const role = mostSeniorRole(mapped);
  return role ? { role, decidedBy: "claims", groupsOverage: overage } : { role: "STAFF", decidedBy: "no-mapped-claim", groupsOverage: overage };
}

function pushMapped(into: Role[], map: ReadonlyMap<string, Role>, key: string) {
  const role = map.get(key);
  if (role) into.push(role);
}

/** What Microsoft Graph says of its users, keyed by lower-case object id: the app role values and mapped groups each holds. */
export interface DirectoryFacts {
  appRoles: ReadonlyMap<string, readonly string[]>;
  groups: ReadonlyMap<string, readonly string[]>;
}

/**
 * Each listed member of staff's role from a directory read, by the same rule as a token's claims
 * (most senior mapped role; none mapped: STAFF). A read has no overage: Graph lists every group.
 */
export function rolesFromDirectory(settings: RoleClaimSettings, staffIds: readonly string[], facts: DirectoryFacts): Map<string, Role> {
  const roles = new Map<string, Role>();
  for (const id of staffIds) {
    const claims = { roles: facts.appRoles.get(id.toLowerCase()) ?? [], groups: facts.groups.get(id.toLowerCase()) ?? [], groupsOverage: false };
    roles.set(id, decideRole(settings, "STAFF", claims).role);
  }
  return roles;
}
