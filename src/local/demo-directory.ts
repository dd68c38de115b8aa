/**
 * The demo school's Entra directory, for the local identity provider: each demo member of staff is
 * assigned the Keepsafe app role matching their staff.csv role (aad.manifest.json declares them) and
 * is in the demo security groups below. Local mode reads staff.csv's roles unless
 * KEEPSAFE_ROLE_SOURCE says otherwise (env/.env.local shows how), so this changes nothing by default.
 */
import type { Role } from "../domain/roles.js";
import type { DirectoryAssignment } from "./identity-provider/directory.js";
import { DEMO_STAFF } from "./demo-school.js";

/** The demo tenant's security groups (fixed object ids, so env/.env.local can name them). */
export const DEMO_GROUPS = {
  safeguardingTeam: "0c7e5a2d-4b1f-4e8a-9d36-5f2a7c1e9b40",
  deputySafeguardingLeads: "6a3d9e1b-2c7f-4a05-8e4b-1d9c3f6a7e52",
  seniorLeadership: "b2f8c4e6-5d1a-4b39-a7e0-3c6d9f2b8a14",
  allStaff: "e4a1b7c3-9f2d-4c68-b5e1-7a0d3f8c2b69",
} as const;

/** The app roles aad.manifest.json declares, with its ids: the local service principal's appRoles. */
export const DECLARED_APP_ROLES = [
  { id: "93e47572-05cc-40f0-9fb8-a9bf5b0ecde7", value: "Keepsafe.DSL" },
  { id: "ef62a049-d200-4a3a-bb7b-c3fad44c5f87", value: "Keepsafe.DeputyDSL" },
  { id: "073b63da-3469-4f4b-86a3-988084cfef78", value: "Keepsafe.SLT" },
  { id: "b0be9da6-72f5-4c6e-b839-e38bb14a1725", value: "Keepsafe.Staff" },
] as const;

const APP_ROLE: Record<Role, string> = { DSL: "Keepsafe.DSL", DDSL: "Keepsafe.DeputyDSL", SLT: "Keepsafe.SLT", STAFF: "Keepsafe.Staff" };
const GROUPS: Record<Role, string[]> = {
  DSL: [DEMO_GROUPS.safeguardingTeam],
  DDSL: [DEMO_GROUPS.deputySafeguardingLeads],
  SLT: [DEMO_GROUPS.seniorLeadership],
  STAFF: [],
};

export const DEMO_DIRECTORY: readonly DirectoryAssignment[] = DEMO_STAFF.map((m) => ({
  oid: m.oid,
  roles: [APP_ROLE[m.role]],
  groups: [...GROUPS[m.role], DEMO_GROUPS.allStaff],
}));
