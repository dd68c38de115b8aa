/**
 * The only place a role is compared with a role name. Everything else asks one of the rules in
 * this folder, so a school's policy reads in one place and a new role changes one file.
 */
import type { Role } from "../roles.js";

/** DSLs and deputy DSLs: the safeguarding team, who see every record. */
export const isSafeguardingLead = (role: Role | undefined) => role === "DSL" || role === "DDSL";

/** The senior leadership team: every record except the protected categories. */
export const isSeniorLeader = (role: Role | undefined) => role === "SLT";

/** DSLs, deputies and SLT see other people's records, so they must have passed MFA. */
export const requiresMfa = (role: Role) => role !== "STAFF";

/** Staff (teachers, admin, pastoral, coaches) record concerns; everyone else also reads records. */
export const readsOthersRecords = (role: Role | string) => role !== "STAFF";

/** Seniority, least first: when a person holds several mapped Entra roles, the most senior counts. */
const SENIORITY: readonly Role[] = ["STAFF", "SLT", "DDSL", "DSL"];

/** The most senior of the roles given, or undefined when none is. */
export const mostSeniorRole = (roles: Iterable<Role>): Role | undefined => {
  let best: Role | undefined;
  for (const r of roles) if (best === undefined || SENIORITY.indexOf(r) > SENIORITY.indexOf(best)) best = r;
  return best;
};
