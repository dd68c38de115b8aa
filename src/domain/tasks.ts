/**
 * Actions that are tasks (issue 8): an owner, a due date, done or not done. The action itself is
 * never edited, so marking it done (or not done again) is its own record, a task status change,
 * and whether a task is done is those changes folded in order. This is the one place that fold,
 * and the due and overdue rules, live.
 */
import type { IncidentAction, StaffRef } from "./incident.js";
import { alertTimeAfter } from "./referral-watch.js";
import { calendarOf, type SchoolCalendar } from "./school-calendar.js";
import { dateIn } from "./school-clock.js";
import { wallClockToIso } from "./wall-clock.js";

export interface ActionTask {
  ownerStaffId: string;
  /** The school's calendar date (YYYY-MM-DD) it is due on. */
  dueOn: string;
  /** The instant the task becomes overdue: the start of the first school day after it is due. */
  overdueFrom: string;
}

/** Marking a task done or not done: its own record, in the incident's partition. */
export interface TaskStatusChange {
  id: string;
  actionId: string;
  incidentId: string;
  pupilId: string;
  schoolId: string;
  /** Kept so "My actions" reads the owner's statuses by one indexed query. */
  ownerStaffId: string;
  /** 1 for the first change: the version a reader saw is the number of changes they saw. */
  sequence: number;
  done: boolean;
  at: string;
  by: StaffRef;
}

/** The id follows from the action and the version it was made on, so two writers on one version collide. */
export const taskStatusIdFor = (actionId: string, sequence: number) => `${actionId}:status:${sequence}`;

const latest = (statuses: readonly Pick<TaskStatusChange, "sequence" | "done">[]) =>
  statuses.reduce<Pick<TaskStatusChange, "sequence" | "done"> | undefined>((a, s) => (!a || s.sequence > a.sequence ? s : a), undefined);

export const isTaskDone = (statuses: readonly Pick<TaskStatusChange, "sequence" | "done">[]) => latest(statuses)?.done ?? false;

/**
 * When a task due on `dueOn` becomes overdue: the start of the first school day after it, in the
 * school's zone and calendar, so nobody is chased at a weekend, over half term or on a closed day
 * (the same hour a referral's overdue alert goes). Undefined when `dueOn` is not a real date.
 */
export function overdueFromFor(dueOn: string, school: { timeZone: string; calendar: SchoolCalendar }): string | undefined {
  if (!wallClockToIso(dueOn, "00:00", school.timeZone)) return undefined;
  return alertTimeAfter(dueOn, school);
}

/** What the overdue rule needs of the school: its zone and its calendar as it is now. */
export interface TaskCalendar {
  timeZone: string;
  calendar: SchoolCalendar;
}
export const taskCalendarOf = (school: { timeZone: string; calendar?: SchoolCalendar }): TaskCalendar => ({
  timeZone: school.timeZone,
  calendar: calendarOf(school),
});

/**
 * Overdue from the start of the first school day after it is due, by the school's calendar as it
 * is now: a closure day added after the task was set moves it, as it moves the overdue alert
 * (task-overdue-times.ts). Without the school, the time worked out when the task was set.
 */
export const isOverdue = (task: Pick<ActionTask, "overdueFrom" | "dueOn">, done: boolean, now: Date, school?: TaskCalendar) => {
  const from = (school && overdueFromFor(task.dueOn, school)) ?? task.overdueFrom;
  return !done && now.getTime() >= Date.parse(from);
};

/** Due today or overdue (the home's "actions due or overdue"), and not done. */
export const isDueOrOverdue = (task: Pick<ActionTask, "dueOn">, done: boolean, now: Date, timeZone: string) =>
  !done && task.dueOn <= dateIn(now, timeZone);

export type TaskAction = IncidentAction & { task: ActionTask };
export const isTask = (a: IncidentAction): a is TaskAction => a.task !== undefined;
