/**
 * Staff roles in the school's own words. DDSL is a deputy DSL. What each role may see or do is
 * decided only in ./policy/ (an architecture test refuses role comparisons anywhere else).
 */
export const ROLES = ["DSL", "DDSL", "SLT", "STAFF"] as const;
export type Role = (typeof ROLES)[number];
