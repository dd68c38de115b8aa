/** The concern form's choices for this member of staff: the categories they may allocate, staff, groups, places and sessions. */
import type { Actor } from "../domain/actor.js";
import { can } from "../domain/policy/index.js";
import type { Clock } from "../ports/clock.js";
import type { SchoolStore } from "../ports/school-store.js";
import { schoolOf } from "./school-of.js";
import { SESSION_LABELS } from "./session-labels.js";
import type { FormOptions } from "./views.js";

export async function formOptions(deps: { schools: Pick<SchoolStore, "getSchool" | "listStaff">; clock: Clock }, actor: Actor): Promise<FormOptions> {
  const [school, staff] = await Promise.all([schoolOf(deps, actor), deps.schools.listStaff(actor.schoolId)]);
  return {
    categories: school.categories
      .filter((category) => can(actor, "allocate", { kind: "category", category }))
      .map((c) => ({ id: c.id, name: c.name, guidance: c.guidance, subCategories: c.subCategories, protected: c.protected, fields: c.fields })),
    staff: staff
      .filter((s) => s.active)
      .map((s) => ({ id: s.id, name: s.displayName, role: s.role }))
      .sort((a, b) => a.name.localeCompare(b.name)),
    alertGroups: school.alertGroups.map((g) => ({ id: g.id, name: g.name })),
    locations: school.locations,
    sessions: Object.entries(SESSION_LABELS).map(([id, label]) => ({ id, label })),
    timeZone: school.timeZone,
    now: deps.clock.now().toISOString(),
  };
}
