/**
 * The directory part of a verified Entra v2 access token: app roles assigned to the user (`roles`)
 * and security group object ids (`groups`), read into plain data only after jwtVerify has checked
 * the signature, issuer, audience and lifetime. Entra omits `groups` past 200 groups and says so
 * with `_claim_names.groups` (or `hasgroups` in implicit-flow tokens): that is an overage, which
 * Keepsafe treats as "no group claim", never as "every group" or as a reason to guess.
 */
import type { JWTPayload } from "jose";
import { z } from "zod";
import type { DirectoryClaims } from "../../domain/policy/index.js";

/** Entra caps a JWT at 200 groups; a few more of either is still plausible, thousands is not. */
const MAX_ENTRIES = 1000;
const entries = z.array(z.string().min(1).max(256)).max(MAX_ENTRIES);

const directorySchema = z.object({
  roles: entries.optional().catch(undefined),
  groups: entries.optional().catch(undefined),
  hasgroups: z.literal(true).optional().catch(undefined),
  _claim_names: z.object({ groups: z.string().optional() }).optional().catch(undefined),
});

export function directoryClaimsOf(payload: JWTPayload): DirectoryClaims {
  const d = directorySchema.parse(payload);
  const groupsOverage = d.hasgroups === true || d._claim_names?.groups !== undefined;
  // jwtVerify has checked `iat` is a number when present; it dates the roles for the role directory (newest wins).
  const issuedAt = typeof payload.iat === "number" && Number.isFinite(payload.iat) ? new Date(payload.iat * 1000).toISOString() : undefined;
  return { roles: d.roles ?? [], groups: groupsOverage ? [] : (d.groups ?? []), groupsOverage, ...(issuedAt ? { issuedAt } : {}) };
}
