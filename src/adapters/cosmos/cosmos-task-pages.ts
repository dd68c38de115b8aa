/**
 * The home's two task lists (a school's tasks due by a date, a member of staff's own) a page at a
 * time, newest set first, by the same keyset continuation as the lists of cases
 * (keyset-continuation.ts): one read of the action documents per page, never the whole list.
 * A token names the list and whose it is, so it is followed only on that list.
 */
import type { Container } from "@azure/cosmos";
import type { TaskAction } from "../../domain/tasks.js";
import type { TaskPageRequest, TaskSelection } from "../../ports/task-store.js";
import { fromEntityDoc } from "./record-docs.js";
import { olderThan, topFor } from "./cosmos-list-pages.js";
import { query, type QueryParams } from "./cosmos-query.js";
import { keysetPage, readKeyset } from "./keyset-continuation.js";

/** The clause that picks the tasks, by the task's indexed owner or due date. */
const selected = (which: TaskSelection): { sql: string; params: QueryParams } =>
  "ownerStaffId" in which
    ? { sql: "c.task.ownerStaffId = @owner", params: { "@owner": which.ownerStaffId } }
    : { sql: "c.task.dueOn <= @dueOn", params: { "@dueOn": which.dueOn } };

export async function readTasksPage(records: Container, schoolId: string, which: TaskSelection, page: TaskPageRequest) {
  const list = { list: page.list, owner: page.owner };
  const after = readKeyset(list, page.continuation);
  const pick = selected(which);
  const older = olderThan("c.recordedAt", after);
  const docs = await query(
    records,
    `SELECT TOP @top * FROM c WHERE c.type = 'action' AND c.schoolId = @schoolId AND ${pick.sql}${older.sql} ORDER BY c.recordedAt DESC`,
    { "@schoolId": schoolId, ...pick.params, ...older.params, "@top": topFor(page, after) },
  );
  const tasks = docs.map((d) => fromEntityDoc<TaskAction>(d));
  const { rows, continuation } = keysetPage(list, tasks, (t: TaskAction) => ({ at: t.recordedAt, id: t.id }), page.pageSize, after);
  return { tasks: rows, ...(continuation ? { continuation } : {}) };
}
