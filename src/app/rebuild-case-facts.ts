/**
 * At start-up, each school's current-state documents (what the home counts read) are checked
 * against the records and put back where missing or drifted: records stored before those
 * documents existed, or a restore from backup. It runs in the background, never on a page load.
 */
import type { RecordStore } from "../ports/record-store.js";
import type { SchoolStore } from "../ports/school-store.js";
import { childLogger } from "../logger.js";

const log = childLogger("rebuild-case-facts");

export async function rebuildCaseFacts(deps: { schools: SchoolStore; records: RecordStore }): Promise<void> {
  for (const school of await deps.schools.listSchools()) {
    try {
      const { checked, rebuilt } = await deps.records.rebuildCaseFacts(school.id);
      log.info({ event: "case-facts.checked", schoolId: school.id, checked, rebuilt }, "home's current-state documents checked");
    } catch (e) {
      // The next start checks again; meanwhile a record without one is missing from the home's counts only.
      log.warn(
        { event: "case-facts.failed", schoolId: school.id, err: e instanceof Error ? e.name : "unknown" },
        "home's current-state documents not checked",
      );
    }
  }
}
