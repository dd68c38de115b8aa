/**
 * The local provider's stand-in for Entra's directory: which app roles each user is assigned and
 * which security groups they are in. Every delegated token for that user carries them, as Entra v2
 * access tokens do: `roles` (app role values) and `groups` (group object ids), each present only when
 * non-empty. Past 200 groups Entra sends no `groups` but an overage pointer to Graph instead
 * (`_claim_names` / `_claim_sources`), and so does this.
 */
import { z } from "zod";

/** Entra's limit for groups in a JWT. */
export const JWT_GROUP_LIMIT = 200;

export const directoryAssignmentSchema = z.object({
  oid: z.string().min(1).max(64),
  roles: z.array(z.string().min(1).max(120)).default([]),
  groups: z.array(z.string().min(1).max(64)).default([]),
});
export type DirectoryAssignment = z.input<typeof directoryAssignmentSchema>;

export class LocalDirectory {
  // Keyed by object id from configuration or tests; a Map, so no id can reach a prototype.
  private readonly byOid = new Map<string, { roles: string[]; groups: string[] }>();

  constructor(assignments: readonly DirectoryAssignment[] = []) {
    for (const a of assignments) this.assign(a);
  }

  /** As an admin assigning or removing app roles and group memberships in Entra: the next token shows it. */
  assign(assignment: DirectoryAssignment) {
    const a = directoryAssignmentSchema.parse(assignment);
    this.byOid.set(a.oid, { roles: [...a.roles], groups: [...a.groups] });
  }

  /** Every user's assignment, for the Graph sandbox's directory reads (appRoleAssignedTo, group members). */
  assignments(): { oid: string; roles: readonly string[]; groups: readonly string[] }[] {
    return [...this.byOid].map(([oid, a]) => ({ oid, roles: a.roles, groups: a.groups }));
  }

  /** The directory claims of a user token, in Entra's shape. */
  claimsFor(oid: string): Record<string, unknown> {
    const a = this.byOid.get(oid);
    if (!a) return {};
    const claims: Record<string, unknown> = {};
    if (a.roles.length) claims.roles = a.roles;
    if (a.groups.length > JWT_GROUP_LIMIT) {
      claims._claim_names = { groups: "src1" };
      claims._claim_sources = { src1: { endpoint: `https://graph.microsoft.com/v1.0/users/${oid}/getMemberObjects` } };
    } else if (a.groups.length) {
      claims.groups = a.groups;
    }
    return claims;
  }
}
