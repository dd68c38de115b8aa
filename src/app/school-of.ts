/** The actor's own school, which every use case reads its settings from; a missing one is a typed error. */
import type { Actor } from "../domain/actor.js";
import { NotFoundError } from "../domain/errors.js";
import type { School } from "../domain/school.js";
import type { SchoolStore } from "../ports/school-store.js";

export async function schoolOf(deps: { schools: Pick<SchoolStore, "getSchool"> }, actor: Pick<Actor, "schoolId">): Promise<School> {
  const school = await deps.schools.getSchool(actor.schoolId);
  if (!school) throw NotFoundError("The school");
  return school;
}
