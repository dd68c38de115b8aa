/**
 * A task's overdue alert is due at 08:00 on the first school day after its due date, worked out
 * by the school's calendar when the task was set (action-tasks.ts). When the school changes its
 * term dates or closed days, the alerts still waiting move to that time by the new calendar, so a
 * task due before a newly closed day is chased on the next open day, not on the closed one.
 *
 * In batches (by message id), and idempotent: each time is worked out again from the task's due
 * date, so a second run, or a run after one that stopped half way, moves only what is still wrong.
 * Only alerts no dispatcher has touched are moved (never tried, never claimed); one claimed
 * meanwhile keeps its claim (the move is made on the ETag it was read with).
 */
import type { OutboxMessage } from "../domain/incident.js";
import { calendarOf } from "../domain/school-calendar.js";
import type { School } from "../domain/school.js";
import { overdueFromFor } from "../domain/tasks.js";
import { childLogger } from "../logger.js";
import type { RecordStore } from "../ports/record-store.js";

const log = childLogger("task-overdue-times");

export const MOVE_BATCH = 100;

type Records = Pick<RecordStore, "untriedTaskOverdues" | "moveOutbox" | "actionsForIncident">;

export async function moveTaskOverdueTimes(deps: { records: Records }, school: Pick<School, "id" | "timeZone" | "calendar">, batch = MOVE_BATCH) {
  const calendar = { timeZone: school.timeZone, calendar: calendarOf(school) };
  let after: string | undefined;
  let checked = 0;
  let moved = 0;
  for (;;) {
    const messages = await deps.records.untriedTaskOverdues(school.id, after, batch);
    const dueOn = await dueDatesOf(deps.records, messages);
    for (const m of messages) {
      const due = m.actionId ? dueOn.get(m.actionId) : undefined;
      const at = due ? overdueFromFor(due, calendar) : undefined;
      if (at && at !== m.nextAttemptAt && (await deps.records.moveOutbox(m, at))) moved++;
    }
    checked += messages.length;
    if (messages.length < batch) break;
    after = messages.at(-1)!.id;
  }
  if (moved) log.info({ schoolId: school.id, checked, moved }, "task overdue alerts moved to the school's calendar");
  return { checked, moved };
}

/** Each message's task due date, reading each incident's actions once. */
async function dueDatesOf(records: Records, messages: readonly OutboxMessage[]) {
  const incidents = new Map(messages.map((m) => [m.incidentId, m.pupilId]));
  const dueOn = new Map<string, string>();
  await Promise.all(
    [...incidents].map(async ([incidentId, pupilId]) => {
      for (const a of await records.actionsForIncident(incidentId, pupilId)) if (a.task) dueOn.set(a.id, a.task.dueOn);
    }),
  );
  return dueOn;
}
