/**
 * The task side of an action (issue 8): checking the owner and due date given on the form, the
 * owner's alerts (given a task, and overdue) written with the action through the outbox, and how a
 * task reads back. The overdue alert is an outbox message due when the task becomes overdue, so the
 * dispatcher's ETag lease fires it once whatever restarts or second instances there are; just
 * before sending, the store says whether the task was done meanwhile (then it is cancelled).
 */
import type { IncidentAction, OutboxMessage } from "../domain/incident.js";
import { ValidationError } from "../domain/errors.js";
import type { School, StaffMember } from "../domain/school.js";
import { calendarOf } from "../domain/school-calendar.js";
import { dateIn } from "../domain/school-clock.js";
import { isOverdue, isTaskDone, overdueFromFor, type ActionTask, type TaskCalendar, type TaskStatusChange } from "../domain/tasks.js";
import type { RecordStore } from "../ports/record-store.js";
import { outboxMessages } from "./alert-content.js";

const oneLine = (text: string) => text.replace(/\s+/g, " ").trim() || "a member of staff";

/** The task asked for on the form, checked: an active member of staff, due today or later. */
export function taskFor(asked: { ownerStaffId: string; dueOn: string }, school: School, staff: readonly StaffMember[], now: Date): ActionTask {
  if (!staff.some((s) => s.id === asked.ownerStaffId && s.active && s.schoolId === school.id))
    throw ValidationError([{ field: "task.ownerStaffId", message: "Choose who will do it from the school's current staff list." }]);
  if (asked.dueOn < dateIn(now, school.timeZone))
    throw ValidationError([{ field: "task.dueOn", message: "The due date has passed: choose today or a later day." }]);
  const overdueFrom = overdueFromFor(asked.dueOn, { timeZone: school.timeZone, calendar: calendarOf(school) });
  if (!overdueFrom) throw ValidationError([{ field: "task.dueOn", message: "Give the due date as YYYY-MM-DD." }]);
  return { ownerStaffId: asked.ownerStaffId, dueOn: asked.dueOn, overdueFrom };
}

/** The owner cannot be given a task on a record they could not open (a tag waiting for a DSL). */
export function assertOwnerMaySee(task: ActionTask, pending: readonly string[]) {
  if (pending.includes(task.ownerStaffId))
    throw ValidationError([{ field: "task.ownerStaffId", message: "They cannot see this record yet. Ask a DSL to give them the task." }]);
}

/**
 * "Given a task" to the owner now (unless they gave it themselves) and "overdue" at the start of the
 * first school day after it is due. Who gave it and the record's reference only: the action's words stay in Keepsafe.
 */
export function buildTaskOutboxMessages(
  action: IncidentAction,
  schoolId: string,
  reference: string,
  actorStaffId: string,
  now: Date,
): OutboxMessage[] {
  const task = action.task;
  if (!task) return [];
  const who = oneLine(action.recordedBy.name);
  const about = { schoolId, pupilId: action.pupilId, incidentId: action.incidentId, actionId: action.id };
  const link = `incident:${action.incidentId}`;
  const assigned =
    task.ownerStaffId === actorStaffId
      ? []
      : outboxMessages(
          `task-assigned:${action.id}`,
          { ...about, task: "assigned" },
          [task.ownerStaffId],
          {
            subject: `Keepsafe: ${who} gave you an action on ${reference}, due ${task.dueOn}`.slice(0, 200),
            preview: `${who} gave you an action to do on record ${reference}, due ${task.dueOn}. Open Keepsafe to see it.`.slice(0, 150),
            deepLinkSubEntityId: link,
            urgent: false,
          },
          now,
        );
  const overdue = outboxMessages(
    `task-overdue:${action.id}`,
    { ...about, task: "overdue" },
    [task.ownerStaffId],
    {
      subject: `Keepsafe: your action on ${reference} is overdue`.slice(0, 200),
      preview: `Your action on record ${reference} was due ${task.dueOn} and is not marked done. Open Keepsafe to see it.`.slice(0, 150),
      deepLinkSubEntityId: link,
      urgent: false,
    },
    task.overdueFrom,
  );
  return [...assigned, ...overdue];
}

/**
 * For the dispatcher, just before sending: an overdue alert is wanted only while its task is still
 * not done. Reading that is not enough (the owner can mark it done between the read and the send),
 * so the alert then takes the version it read; a mark made on that version first makes the claim
 * fail, and the task is read again. So either the mark or the alert comes first, never both unseen.
 */
export const taskAlertStillWanted =
  (records: Pick<RecordStore, "taskStatusesForAction" | "claimTaskOverdue">) =>
  async (m: OutboxMessage): Promise<boolean> => {
    if (m.task !== "overdue" || !m.actionId) return true;
    const task = { actionId: m.actionId, pupilId: m.pupilId, schoolId: m.schoolId };
    for (let attempt = 0; attempt < 5; attempt++) {
      const statuses = await records.taskStatusesForAction(m.actionId, m.pupilId);
      if (isTaskDone(statuses)) return false;
      if (await records.claimTaskOverdue(task, statuses.length)) return true;
      // Marked on that version first (done, or done and back): look again.
    }
    // Marked over and over while we looked (five times in a moment): go by the last word.
    return !isTaskDone(await records.taskStatusesForAction(m.actionId, m.pupilId));
  };

/** What a task looks like to its readers, with the version to send back when marking it. */
export function taskView(task: ActionTask, statuses: readonly TaskStatusChange[], ownerName: string, now: Date, school?: TaskCalendar) {
  const done = isTaskDone(statuses);
  return {
    ownerStaffId: task.ownerStaffId,
    ownerName,
    dueOn: task.dueOn,
    done,
    overdue: isOverdue(task, done, now, school),
    version: statuses.length,
  };
}

/** Each task's status changes, by action id, in one query for all of them. */
export async function statusesByAction(records: Pick<RecordStore, "taskStatusesOf">, schoolId: string, actions: readonly IncidentAction[]) {
  const ids = actions.filter((a) => a.task).map((a) => a.id);
  const byAction = new Map<string, TaskStatusChange[]>();
  if (!ids.length) return byAction;
  for (const s of await records.taskStatusesOf(schoolId, ids)) byAction.set(s.actionId, [...(byAction.get(s.actionId) ?? []), s]);
  return byAction;
}
