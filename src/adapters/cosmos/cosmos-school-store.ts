import type { Container } from "@azure/cosmos";
import type { Pupil, School, StaffMember } from "../../domain/school.js";
import type { SchoolStore } from "../../ports/school-store.js";
import { withoutSystemFields, type CosmosDoc } from "./cosmos-docs.js";
import { guarded, statusOf } from "./cosmos-errors.js";
import type { KeepsafeContainers } from "./cosmos-containers.js";
import { inList, query } from "./cosmos-query.js";

async function readOrUndefined<T>(container: Container, id: string, pk: string): Promise<T | undefined> {
  try {
    const { resource } = await container.item(id, pk).read<CosmosDoc>();
    return resource ? withoutSystemFields<T>(resource) : undefined;
  } catch (e) {
    if (statusOf(e) === 404) return undefined;
    throw e;
  }
}

async function queryAll<T>(container: Container, query: string, parameters: { name: string; value: string }[], partitionKey?: string) {
  const { resources } = await container.items.query<CosmosDoc>({ query, parameters }, partitionKey !== undefined ? { partitionKey } : {}).fetchAll();
  return resources.map((r) => withoutSystemFields<T>(r));
}

/** Upserts a school's people in parallel batches small enough not to trip throttling. */
async function upsertAll(container: Container, docs: object[]) {
  const CHUNK = 20;
  for (let i = 0; i < docs.length; i += CHUNK) {
    await Promise.all(docs.slice(i, i + CHUNK).map((d) => container.items.upsert(d)));
  }
}

export function createCosmosSchoolStore(c: KeepsafeContainers): SchoolStore {
  return {
    getSchool: (schoolId) => guarded("getSchool", () => readOrUndefined<School>(c.schools, schoolId, schoolId)),
    listSchools: () => guarded("listSchools", () => queryAll<School>(c.schools, "SELECT * FROM c ORDER BY c.name", [])),
    saveSchool: (school) => guarded("saveSchool", async () => void (await c.schools.items.upsert(school))),
    listPupils: (schoolId) =>
      guarded("listPupils", () =>
        queryAll<Pupil>(c.pupils, "SELECT * FROM c WHERE c.schoolId = @s ORDER BY c.surname", [{ name: "@s", value: schoolId }], schoolId),
      ),
    getPupil: (schoolId, pupilId) => guarded("getPupil", () => readOrUndefined<Pupil>(c.pupils, pupilId, schoolId)),
    getPupils: (schoolId, pupilIds) =>
      guarded("getPupils", async () => {
        if (pupilIds.length === 0) return [];
        const ids = inList("id", [...new Set(pupilIds)]);
        const found = await query(
          c.pupils,
          `SELECT * FROM c WHERE c.schoolId = @s AND c.id IN (${ids.sql})`,
          { "@s": schoolId, ...ids.params },
          schoolId,
        );
        return found.map((d) => withoutSystemFields<Pupil>(d));
      }),
    upsertPupils: (schoolId, pupils) =>
      guarded("upsertPupils", () =>
        upsertAll(
          c.pupils,
          pupils.map((p) => ({ ...p, schoolId })),
        ),
      ),
    listStaff: (schoolId) =>
      guarded("listStaff", () =>
        queryAll<StaffMember>(c.staff, "SELECT * FROM c WHERE c.schoolId = @s ORDER BY c.displayName", [{ name: "@s", value: schoolId }], schoolId),
      ),
    getStaff: (schoolId, staffId) => guarded("getStaff", () => readOrUndefined<StaffMember>(c.staff, staffId, schoolId)),
    findStaffById: (staffId) =>
      guarded("findStaffById", async () => {
        const found = await queryAll<StaffMember>(c.staff, "SELECT * FROM c WHERE c.id = @id", [{ name: "@id", value: staffId }]);
        return found[0];
      }),
    upsertStaff: (schoolId, staff) =>
      guarded("upsertStaff", () =>
        upsertAll(
          c.staff,
          staff.map((s) => ({ ...s, schoolId })),
        ),
      ),
  };
}
