/**
 * The tab's landing page for each role (issue 8). The safeguarding team see counts of what needs
 * them: unread alerts to them, urgent records, new today, assigned to them, open records past the
 * school's review age (in school days), tasks due or overdue, and alerts Graph refused. SLT see the same over only
 * the records the policy lets them open. Staff see their concerns, what they are tagged in and their
 * open tasks. Each count is the length of the list behind it, built by the same function from the same
 * filter, so the two cannot disagree; each list is an indexed query, never a walk over every incident.
 * The counts of records, and the safeguarding team's unread alerts, are counted in the store
 * wherever the policy can be said to it exactly (home-store-counts.ts).
 * A count stops at 500 and says so ("500+"); the lists page on past it (readCasesPage, readTasksPage).
 */
import type { Actor } from "../domain/actor.js";
import { NotFoundError } from "../domain/errors.js";
import { assertSignInStrongEnough, homeKindFor, isAllegationSubject, type HomeKind } from "../domain/policy/index.js";
import { DEFAULT_REVIEW_AFTER_DAYS, type School } from "../domain/school.js";
import { calendarOf, latestDateSchoolDaysBefore, shiftDays } from "../domain/school-calendar.js";
import { dateIn } from "../domain/school-clock.js";
import { wallClockToIso } from "../domain/wall-clock.js";
import type { HomeListId } from "../contract/requests.js";
import type { HomeList, HomeView } from "../contract/task-views.js";
import type { TaskAction } from "../domain/tasks.js";
import type { CaseFilter, TaskSelection } from "../ports/task-store.js";
import { firstOf, HOME_LIST_MAX, readCasesPage, readTasks, toHomeRecords, type HomeDeps } from "./home-records.js";
import { countCases, countUnread, type HomeCount } from "./home-store-counts.js";
import { readTasksPage } from "./home-task-pages.js";
import { appendAudit } from "./audit-event.js";

const LABELS: Record<HomeListId, string> = {
  unread: "Unread alerts to you",
  urgent: "Urgent: a DSL not yet told in person",
  "new-today": "New today",
  "assigned-to-me": "Assigned to you",
  "past-review": "Open past the review age",
  "tasks-due": "Actions due or overdue",
  "dead-letters": "Alerts Graph refused",
  "my-concerns": "My concerns",
  tagged: "Tagged in",
  "my-actions": "My open actions",
};

const LISTS: Record<HomeKind, HomeListId[]> = {
  safeguarding: ["unread", "urgent", "new-today", "assigned-to-me", "past-review", "tasks-due", "dead-letters"],
  senior: ["unread", "urgent", "new-today", "assigned-to-me", "past-review", "tasks-due", "dead-letters"],
  staff: ["my-concerns", "tagged", "my-actions"],
};

interface Context {
  deps: HomeDeps;
  actor: Actor;
  school: School;
  now: Date;
}

async function context(deps: HomeDeps, actor: Actor): Promise<Context> {
  assertSignInStrongEnough(actor);
  const school = await deps.schools.getSchool(actor.schoolId);
  if (!school) throw NotFoundError("The school");
  return { deps, actor, school, now: deps.clock.now() };
}

export async function homeView(deps: HomeDeps, actor: Actor): Promise<HomeView> {
  const ctx = await context(deps, actor);
  const kind = homeKindFor(actor);
  const counts = await Promise.all(LISTS[kind].map(async (list) => ({ list, label: LABELS[list], ...(await (await build(ctx, list)).count()) })));
  return { kind, counts };
}

export async function homeList(deps: HomeDeps, actor: Actor, list: HomeListId, paging: { continuation?: string } = {}): Promise<HomeList> {
  const ctx = await context(deps, actor);
  // A list not on the reader's home is answered as missing, like a route that is not theirs.
  if (!LISTS[homeKindFor(actor)].includes(list)) throw NotFoundError("The list");
  const built = await (await build(ctx, list)).show(paging.continuation);
  // A home list names pupils and records (the counts alone do not): who looked is kept.
  const page = paging.continuation === undefined ? "first" : "next";
  await appendAudit(deps, actor, { type: "home.listed", detail: { list, shown: built.records.length, page } });
  return {
    list,
    label: LABELS[list],
    records: built.records,
    ...(built.actions ? { actions: built.actions } : {}),
    ...(built.continuation ? { continuation: built.continuation } : {}),
  };
}

/** A list's length, and what it shows: pupils' names are read only when the list is opened, not for a count. */
interface Built {
  count(): Promise<HomeCount>;
  show(continuation: string | undefined): Promise<Pick<HomeList, "records" | "actions" | "continuation">>;
}

async function build(ctx: Context, list: HomeListId): Promise<Built> {
  const { deps, actor, school, now } = ctx;
  const cases = async (filter: CaseFilter, tagged: Parameters<typeof readCasesPage>[5] = []): Promise<Built> => ({
    count: () => countCases(deps, actor, school, filter, tagged),
    show: async (continuation) => {
      const page = await readCasesPage(deps, actor, school, list, filter, tagged, continuation);
      return { records: await toHomeRecords(deps, actor, school, page.facts), ...(page.continuation ? { continuation: page.continuation } : {}) };
    },
  });
  // The count stops at HOME_LIST_MAX tasks read (done or not is a separate document, so the store
  // cannot count the open ones); the list pages on past it, the policy and "open" checked per page.
  const tasks = async (which: TaskSelection, read: (top: number) => Promise<TaskAction[]>): Promise<Built> => ({
    count: async () => {
      const due = await firstOf(HOME_LIST_MAX, read);
      const { rows } = await readTasks(deps, actor, school, due.rows);
      return { count: rows.filter((r) => !r.done).length, more: due.truncated };
    },
    show: async (continuation) => {
      const page = await readTasksPage(deps, actor, school, list, which, continuation);
      const open = page.rows.filter((r) => !r.done);
      const onList = page.records.filter((r) => open.some((a) => a.incidentId === r.incidentId));
      return { actions: open, records: onList, ...(page.continuation ? { continuation: page.continuation } : {}) };
    },
  });
  switch (list) {
    case "unread": {
      const ids = () => deps.records.unreadAlertIncidents(actor.schoolId, actor.staffId);
      return {
        count: () => countUnread(deps, actor, school, ids),
        show: async (continuation) => (await cases({ ids: await ids() })).show(continuation),
      };
    }
    case "urgent":
      return cases({ urgent: true, open: true });
    case "new-today": {
      const from = wallClockToIso(dateIn(now, school.timeZone), "00:00", school.timeZone) ?? now.toISOString();
      return cases({ recordedFrom: from });
    }
    case "assigned-to-me": {
      // As it stands now: a record re-assigned away from the reader is no longer theirs.
      const groupIds = school.alertGroups.filter((g) => g.staffIds.includes(actor.staffId)).map((g) => g.id);
      return cases({ open: true, assignedTo: { staffId: actor.staffId, groupIds } });
    }
    case "past-review": {
      // The age is counted in the school's own days: a half term or a bank holiday does not age a record.
      const days = school.reviewAfterDays ?? DEFAULT_REVIEW_AFTER_DAYS;
      const lastDay = latestDateSchoolDaysBefore(calendarOf(school), dateIn(now, school.timeZone), days);
      const before = wallClockToIso(shiftDays(lastDay, 1), "00:00", school.timeZone) ?? `${shiftDays(lastDay, 1)}T00:00:00Z`;
      return cases({ open: true, recordedBefore: before });
    }
    case "dead-letters":
      return cases({ ids: await deps.records.deadLetterIncidents(actor.schoolId) });
    case "tasks-due": {
      const dueOn = dateIn(now, school.timeZone);
      return tasks({ dueOn }, (top) => deps.records.tasksDueBy(actor.schoolId, dueOn, top));
    }
    case "my-actions":
      return tasks({ ownerStaffId: actor.staffId }, (top) => deps.records.tasksOwnedBy(actor.schoolId, actor.staffId, top));
    case "my-concerns":
    case "tagged": {
      const found = (await deps.records.incidentsForStaff(actor.schoolId, actor.staffId, HOME_LIST_MAX)).filter(
        (i) => !isAllegationSubject(actor, i),
      );
      const tagged = new Set(await deps.records.incidentsTagging(actor.staffId));
      const ids = found
        .filter((i) => (list === "tagged" ? tagged.has(i.id) : i.raisedBy.staffId === actor.staffId || i.alertedStaffIds.includes(actor.staffId)))
        .map((i) => i.id);
      // A tag never opens a record the reader raised or was alerted to any wider, so My concerns is
      // checked (and counted in the store) without them; the tagged list needs them, per record.
      const tags = list === "tagged" ? [...tagged].map((incidentId) => ({ incidentId, taggedStaffIds: [actor.staffId] })) : [];
      return cases({ ids }, tags);
    }
  }
}
