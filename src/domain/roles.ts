/** Staff roles in the school's own words. DDSL is a deputy DSL. */
export const ROLES = ["DSL", "DDSL", "SLT", "STAFF"] as const;
export type Role = (typeof ROLES)[number];

export const isSafeguardingLead = (role: Role) => role === "DSL" || role === "DDSL";
/** DSLs, deputies and SLT see other people's records, so they must have passed MFA. */
export const requiresMfa = (role: Role) => role !== "STAFF";
