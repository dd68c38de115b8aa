/**
 * With roles from Entra, every staff list Keepsafe reads (alert routing, tag approval, the jobs,
 * early warning, the form's choices) carries the role the school's role directory holds, not
 * staff.csv's: a DSL whose app role the tenant removed stops being alerted to new protected
 * records after the next sync. staff.csv still says who is on the list, active and in what scope.
 *
 * Until a first sync succeeds there is no directory, and the lists keep staff.csv's roles with a
 * warning: an alert to DSLs must never go nowhere. (A person's own role at a door with no token
 * is decided in resolve-actor.ts, which never trusts staff.csv in this mode.)
 */
import { claimsDecideRoles, type RoleClaimSettings } from "../domain/policy/index.js";
import type { StaffMember } from "../domain/school.js";
import type { SchoolStore } from "../ports/school-store.js";
import type { RoleDirectories } from "./role-directories.js";

export function withDirectoryRoles(schools: SchoolStore, directories: RoleDirectories, settings: RoleClaimSettings | undefined): SchoolStore {
  if (!claimsDecideRoles(settings)) return schools;
  const withRoles = async (schoolId: string, staff: StaffMember[]): Promise<StaffMember[]> => {
    const directory = await directories.current(schoolId);
    if (!directory) {
      if (staff.length) directories.warnNeverSynced(schoolId);
      return staff;
    }
    const roles = new Map(directory.entries.map((e) => [e.staffId, e.role]));
    return staff.map((s) => ({ ...s, role: roles.get(s.id) ?? "STAFF" }));
  };
  const one = async (member: StaffMember | undefined) => (member ? (await withRoles(member.schoolId, [member]))[0] : undefined);
  return {
    ...schools,
    listStaff: async (schoolId) => withRoles(schoolId, await schools.listStaff(schoolId)),
    getStaff: async (schoolId, staffId) => one(await schools.getStaff(schoolId, staffId)),
    findStaffById: async (staffId) => one(await schools.findStaffById(staffId)),
  };
}
