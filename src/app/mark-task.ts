/**
 * Marking a task done or not done (issue 8). The action is never edited: each mark is its own task
 * status record, stored with its audit event in one batch, on the version the sender saw, so two
 * people marking at once cannot both be stored and the second is told (409) rather than lost.
 */
import type { Actor } from "../domain/actor.js";
import type { AuditEvent } from "../domain/incident.js";
import { ConflictError, ForbiddenError, ValidationError } from "../domain/errors.js";
import { can, canMarkTask, recordNotFound } from "../domain/policy/index.js";
import { isTaskDone, taskCalendarOf, taskStatusIdFor, type TaskStatusChange } from "../domain/tasks.js";
import { taskStatusBodySchema, type TaskStatusBody } from "../contract/requests.js";
import type { ActionView } from "./views.js";
import { fieldProblemsFrom } from "./record-incident.js";
import { auditRefusal, openIncident, type IncidentAccessDeps } from "./incident-access.js";
import { auditedRefusal } from "./audited-refusal.js";
import { toActionView } from "./add-action.js";
import { auditOrigin } from "./audit-origin.js";

export async function markTask(
  deps: IncidentAccessDeps,
  actor: Actor,
  incidentId: string,
  actionId: string,
  raw: TaskStatusBody,
): Promise<{ action: ActionView }> {
  const parsed = taskStatusBodySchema.safeParse(raw);
  if (!parsed.success) throw ValidationError(fieldProblemsFrom(parsed.error));
  const body = parsed.data;

  const { incident, actions, school } = await openIncident(deps, actor, incidentId, "task.mark");
  const action = actions.find((a) => a.id === actionId);
  const about = { pupilId: incident.pupilId, incidentId: incident.id };
  // An action the reader may not see answers as a missing record, like the record itself, and is audited as one.
  if (!action || !can(actor, "view", { kind: "action", action })) {
    if (action) await auditRefusal(deps, actor, about, "task.mark");
    throw recordNotFound();
  }
  if (!action.task) throw ValidationError([{ field: "actionId", message: "This action is not a task." }]);
  await auditedRefusal(deps, actor, about, "task.mark", () => {
    if (!canMarkTask(actor, action)) throw ForbiddenError("Only the task's owner, whoever set it, or a DSL can mark it.");
  });

  const statuses = await deps.records.taskStatusesForAction(action.id, action.pupilId);
  const stale = () => ConflictError("Someone else marked this task since you opened it. Look again and try again.", { version: statuses.length });
  if (body.version !== statuses.length) throw stale();
  if (isTaskDone(statuses) === body.done)
    throw ValidationError([{ field: "done", message: body.done ? "The task is already done." : "The task is already not done." }]);

  const sequence = statuses.length + 1;
  const at = deps.clock.now().toISOString();
  const status: TaskStatusChange = {
    id: taskStatusIdFor(action.id, sequence),
    actionId: action.id,
    incidentId: incident.id,
    pupilId: action.pupilId,
    schoolId: actor.schoolId,
    ownerStaffId: action.task.ownerStaffId,
    sequence,
    done: body.done,
    at,
    by: { staffId: actor.staffId, name: actor.name },
  };
  const audit: AuditEvent = {
    id: `task-status:${status.id}`,
    schoolId: actor.schoolId,
    pupilId: action.pupilId,
    incidentId: incident.id,
    type: "task.marked",
    actorStaffId: actor.staffId,
    at,
    detail: { actionId: action.id, done: body.done, sequence },
    ...auditOrigin(actor),
  };
  const stored = await deps.records.addTaskStatus(status, audit);
  if (!stored.created) throw stale();
  const staff = await deps.schools.listStaff(actor.schoolId);
  const names = new Map(staff.map((s) => [s.id, s.displayName]));
  return { action: toActionView(action, names, { statuses: [...statuses, status], now: deps.clock.now(), school: taskCalendarOf(school) }) };
}
