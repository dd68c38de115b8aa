/**
 * The school administrator's use cases, as the keepsafe CLI calls them: import the MIS export,
 * apply the school's setup, and list the schools stored (to pick the only one). Like
 * KeepsafeService it only forwards to the use cases' modules; src/compose.ts builds it.
 */
import type { RecordStore } from "../ports/record-store.js";
import type { SchoolStore } from "../ports/school-store.js";
import { importSchool, type ImportInput } from "./import-school.js";
import { applySchoolSetup } from "./school-setup.js";
import { moveTaskOverdueTimes } from "./task-overdue-times.js";

export class SchoolAdministration {
  constructor(private readonly deps: { schools: SchoolStore; records: RecordStore }) {}

  importSchool(input: ImportInput) {
    return importSchool(this.deps, input);
  }

  /** `raw` is the setup file as read; the use case parses it. */
  async applySchoolSetup(schoolId: string, raw: unknown) {
    const school = await applySchoolSetup(this.deps, schoolId, raw);
    // The calendar may have changed: tasks' overdue alerts follow it (nothing moves when it did not).
    await moveTaskOverdueTimes(this.deps, school);
    return school;
  }

  async schoolIds(): Promise<string[]> {
    return (await this.deps.schools.listSchools()).map((s) => s.id);
  }
}
