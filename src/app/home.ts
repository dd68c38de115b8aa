/**
 * The tab's landing page for each role (issue 8). The safeguarding team see counts of what needs
 * them: unread alerts to them, urgent records, new today, assigned to them, open records past the
 * school's review age (in school days), tasks due or overdue, and alerts Graph refused. SLT see the same over only
 * the records the policy lets them open. Staff see their concerns, what they are tagged in and their
 * open tasks. Each count is the length of the list behind it, built by the same function from the same
 * filter, so the two cannot disagree; each list is an indexed query, never a walk over every incident.
 * The safeguarding team's counts of records are counted in the store (home-records.ts countCases).
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
import type { IncidentAccessDeps } from "./incident-access.js";
import type { TaskAction } from "../domain/tasks.js";
import type { CaseFact, CaseFilter } from "../ports/task-store.js";
import { countCases, HOME_LIST_MAX, readCases, readTasks, toHomeRecords } from "./home-records.js";
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
  deps: IncidentAccessDeps;
  actor: Actor;
  school: School;
  now: Date;
}

async function context(deps: IncidentAccessDeps, actor: Actor): Promise<Context> {
  assertSignInStrongEnough(actor);
  const school = await deps.schools.getSchool(actor.schoolId);
  if (!school) throw NotFoundError("The school");
  return { deps, actor, school, now: deps.clock.now() };
}

export async function homeView(deps: IncidentAccessDeps, actor: Actor): Promise<HomeView> {
  const ctx = await context(deps, actor);
  const kind = homeKindFor(actor);
  const counts = await Promise.all(LISTS[kind].map(async (list) => ({ list, label: LABELS[list], count: await (await build(ctx, list)).count() })));
  return { kind, counts };
}

export async function homeList(deps: IncidentAccessDeps, actor: Actor, list: HomeListId): Promise<HomeList> {
  const ctx = await context(deps, actor);
  // A list not on the reader's home is answered as missing, like a route that is not theirs.
  if (!LISTS[homeKindFor(actor)].includes(list)) throw NotFoundError("The list");
  const built = await (await build(ctx, list)).show();
  // A home list names pupils and records (the counts alone do not): who looked is kept.
  await appendAudit(deps, actor, { type: "home.listed", detail: { list, shown: built.records.length } });
  return { list, label: LABELS[list], records: built.records, ...(built.actions ? { actions: built.actions } : {}) };
}

/** A list's length, and what it shows: pupils' names are read only when the list is opened, not for a count. */
interface Built {
  count(): Promise<number>;
  show(): Promise<Pick<HomeList, "records" | "actions">>;
}

async function build(ctx: Context, list: HomeListId): Promise<Built> {
  const { deps, actor, school, now } = ctx;
  const cases = async (filter: CaseFilter, tagged?: Parameters<typeof readCases>[4]): Promise<Built> => {
    // Read at most once, and only when needed: a count in the store reads no record.
    let facts: Promise<CaseFact[]> | undefined;
    const read = () => (facts ??= readCases(deps, actor, school, filter, tagged));
    return {
      count: () => countCases(deps, actor, school, filter, read),
      show: async () => ({ records: await toHomeRecords(deps, actor, school, await read()) }),
    };
  };
  const tasks = async (due: TaskAction[]): Promise<Built> => {
    const { rows, records: shown } = await readTasks(deps, actor, school, due);
    const open = rows.filter((r) => !r.done);
    const onList = shown.filter((r) => open.some((a) => a.incidentId === r.incidentId));
    return { count: async () => open.length, show: async () => ({ actions: open, records: onList }) };
  };
  switch (list) {
    case "unread":
      return cases({ ids: await deps.records.unreadAlertIncidents(actor.schoolId, actor.staffId) });
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
    case "tasks-due":
      return tasks(await deps.records.tasksDueBy(actor.schoolId, dateIn(now, school.timeZone), HOME_LIST_MAX));
    case "my-actions":
      return tasks(await deps.records.tasksOwnedBy(actor.schoolId, actor.staffId, HOME_LIST_MAX));
    case "my-concerns":
    case "tagged": {
      const found = (await deps.records.incidentsForStaff(actor.schoolId, actor.staffId, HOME_LIST_MAX)).filter(
        (i) => !isAllegationSubject(actor, i),
      );
      const tagged = new Set(await deps.records.incidentsTagging(actor.staffId));
      const ids = found
        .filter((i) => (list === "tagged" ? tagged.has(i.id) : i.raisedBy.staffId === actor.staffId || i.alertedStaffIds.includes(actor.staffId)))
        .map((i) => i.id);
      const tags = [...tagged].map((incidentId) => ({ incidentId, taggedStaffIds: [actor.staffId] }));
      return cases({ ids }, tags);
    }
  }
}
