/**
 * The school store as the use cases see it: the same port, with two caches that each request's
 * own read of the school keeps honest.
 * - The school is read once per request (request-scope.ts), not once per use case that asks.
 * - The staff list, and a member found by their Entra object id, are kept per school and roster
 *   version. Staff change only by import, which gives the school a new roster version when it
 *   finishes (import-school.ts), so a request that reads a newer version (from an import in this
 *   process or in the CLI in another) reloads the list. Everything the cache hands out is a copy.
 * Who may do what is not cached: the actor's role, scope and each access decision are worked out
 * afresh on every request from these records (resolve-actor.ts, policy).
 */
import type { StaffMember } from "../domain/school.js";
import type { SchoolStore } from "../ports/school-store.js";
import { forgetInRequest, readOncePerRequest } from "./request-scope.js";

/** A school's staff is a few hundred people; the cap only bounds memory against a flood of schools. */
const MOST_SCHOOLS_KEPT = 1_000;
const MOST_STAFF_KEPT = 100_000;

interface KeptStaff {
  version: string;
  staff: StaffMember[];
  byId: Map<string, StaffMember>;
}

export function withSchoolCaches(inner: SchoolStore): SchoolStore {
  const staffBySchool = new Map<string, KeptStaff>();
  /** Which school each member found by id belongs to, so the next lookup is a cache hit after the school's read. */
  const schoolOfStaff = new Map<string, string>();
  const schoolKey = (schoolId: string) => `school:${schoolId}`;
  const getSchool = (schoolId: string) =>
    readOncePerRequest(schoolKey(schoolId), () => inner.getSchool(schoolId)).then((s) => s && structuredClone(s));

  async function keptStaff(schoolId: string): Promise<KeptStaff | undefined> {
    // The version is read before the list: a list loaded during an import is kept under the older
    // version, so the import's own new version reloads it.
    const version = (await getSchool(schoolId))?.rosterVersion;
    if (version === undefined) return undefined;
    const kept = staffBySchool.get(schoolId);
    if (kept?.version === version) return kept;
    const staff = await inner.listStaff(schoolId);
    const fresh = { version, staff, byId: new Map(staff.map((s) => [s.id, s])) };
    staffBySchool.delete(schoolId);
    staffBySchool.set(schoolId, fresh);
    if (staffBySchool.size > MOST_SCHOOLS_KEPT) staffBySchool.delete(staffBySchool.keys().next().value!);
    return fresh;
  }
  const changed = (schoolId: string) => {
    forgetInRequest(schoolKey(schoolId));
    staffBySchool.delete(schoolId);
  };

  return {
    getSchool,
    listSchools: () => inner.listSchools(),
    listPupils: (schoolId) => inner.listPupils(schoolId),
    getPupil: (schoolId, pupilId) => inner.getPupil(schoolId, pupilId),
    getPupils: (schoolId, pupilIds) => inner.getPupils(schoolId, pupilIds),
    upsertPupils: (schoolId, pupils) => inner.upsertPupils(schoolId, pupils),
    getStaff: (schoolId, staffId) => inner.getStaff(schoolId, staffId),
    async saveSchool(school) {
      changed(school.id);
      await inner.saveSchool(school);
      changed(school.id);
    },
    async upsertStaff(schoolId, staff) {
      changed(schoolId);
      await inner.upsertStaff(schoolId, staff);
      changed(schoolId);
    },
    async listStaff(schoolId) {
      const kept = await keptStaff(schoolId);
      return kept ? structuredClone(kept.staff) : inner.listStaff(schoolId);
    },
    async findStaffById(staffId) {
      const schoolId = schoolOfStaff.get(staffId);
      const member = schoolId ? (await keptStaff(schoolId))?.byId.get(staffId) : undefined;
      if (member) return structuredClone(member);
      // Not seen yet, or no longer on that school's list: the store is asked, as before.
      const found = await inner.findStaffById(staffId);
      if (found) {
        schoolOfStaff.set(staffId, found.schoolId);
        if (schoolOfStaff.size > MOST_STAFF_KEPT) schoolOfStaff.delete(schoolOfStaff.keys().next().value!);
      }
      return found;
    },
  };
}
