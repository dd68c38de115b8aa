/**
 * "My actions": the tasks the signed-in member of staff owns, open first by due date (overdue
 * marked), then done ones; only those on records they may still open. Read by the owner field
 * across pupils, never by walking chronologies.
 */
import type { Actor } from "../domain/actor.js";
import { NotFoundError } from "../domain/errors.js";
import { assertSignInStrongEnough } from "../domain/policy/index.js";
import type { MyActions } from "../contract/task-views.js";
import type { IncidentAccessDeps } from "./incident-access.js";
import { firstOf, HOME_LIST_MAX, readTasks } from "./home-records.js";
import { appendAudit } from "./audit-event.js";

export async function listMyActions(deps: IncidentAccessDeps & { listMax?: number }, actor: Actor): Promise<MyActions> {
  assertSignInStrongEnough(actor);
  const [school, owned] = await Promise.all([
    deps.schools.getSchool(actor.schoolId),
    firstOf(deps.listMax ?? HOME_LIST_MAX, (top) => deps.records.tasksOwnedBy(actor.schoolId, actor.staffId, top)),
  ]);
  if (!school) throw NotFoundError("The school");
  const actions = (await readTasks(deps, actor, school, owned.rows)).rows;
  // The list names pupils and records: who looked is kept, like My concerns.
  await appendAudit(deps, actor, { type: "actions.listed", detail: { shown: actions.length, truncated: owned.truncated } });
  return { actions, truncated: owned.truncated, limit: owned.limit };
}
