/** Who the tab is talking to: the member of staff, their school and how long before an idle tab hides. */
import type { Actor } from "../domain/actor.js";
import { DEFAULT_IDLE_HIDE_MINUTES } from "../domain/school.js";
import type { SchoolStore } from "../ports/school-store.js";
import { schoolOf } from "./school-of.js";
import type { MeView } from "./views.js";

export async function viewMe(deps: { schools: Pick<SchoolStore, "getSchool"> }, actor: Actor): Promise<MeView> {
  const school = await schoolOf(deps, actor);
  return {
    staffId: actor.staffId,
    name: actor.name,
    role: actor.role,
    mfa: actor.mfa,
    school: { id: school.id, name: school.name },
    idleHideMinutes: school.idleHideMinutes ?? DEFAULT_IDLE_HIDE_MINUTES,
  };
}
