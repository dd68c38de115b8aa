/**
 * One page of the home's task lists (the team's tasks due, my actions): KEEPSAFE_LIST_MAX a page
 * as the lists of cases, the token bound to this list and this reader. The policy is applied to
 * each page as read (readTasks: the action, and its record as it stands now), so a page may hold
 * fewer than asked while the continuation leads on.
 */
import type { Actor } from "../domain/actor.js";
import type { School } from "../domain/school.js";
import type { TaskSelection } from "../ports/task-store.js";
import { HOME_LIST_MAX, readTasks, type HomeDeps } from "./home-records.js";

export async function readTasksPage(
  deps: HomeDeps,
  actor: Actor,
  school: School,
  list: string,
  which: TaskSelection,
  continuation: string | undefined,
) {
  const page = await deps.records.tasksPage(actor.schoolId, which, {
    list: `home:${list}`,
    owner: actor.staffId,
    pageSize: Math.min(deps.listMax ?? HOME_LIST_MAX, HOME_LIST_MAX),
    ...(continuation !== undefined ? { continuation } : {}),
  });
  return { ...(await readTasks(deps, actor, school, page.tasks)), ...(page.continuation ? { continuation: page.continuation } : {}) };
}
