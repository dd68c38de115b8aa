/**
 * The tab's landing page for each role (issue 8). The safeguarding team see counts of what needs
 * them: unread alerts to them, urgent records, new today, assigned to them, open records past the
 * school's review age (in school days), tasks due or overdue, and alerts Graph refused. SLT see the same over only
 * the records the policy lets them open. Staff see their concerns, what they are tagged in and their
 * open tasks. Each count is the length of the list behind it, built by the same function, so the two
 * cannot disagree; each list is an indexed query, never a walk over every incident.
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
import { HOME_LIST_MAX, readCases, readTasks, toHomeRecords, type CurrentStates } from "./home-records.js";
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
  states: CurrentStates;
  now: Date;
}

async function context(deps: IncidentAccessDeps, actor: Actor): Promise<Context> {
  assertSignInStrongEnough(actor);
  const [school, states] = await Promise.all([deps.schools.getSchool(actor.schoolId), deps.records.latestStates(actor.schoolId)]);
  if (!school) throw NotFoundError("The school");
  return { deps, actor, school, states, now: deps.clock.now() };
}

export async function homeView(deps: IncidentAccessDeps, actor: Actor): Promise<HomeView> {
  const ctx = await context(deps, actor);
  const kind = homeKindFor(actor);
  const counts = await Promise.all(LISTS[kind].map(async (list) => ({ list, label: LABELS[list], count: (await build(ctx, list)).length })));
  return { kind, counts };
}

export async function homeList(deps: IncidentAccessDeps, actor: Actor, list: HomeListId): Promise<HomeList> {
  const ctx = await context(deps, actor);
  // A list not on the reader's home is answered as missing, like a route that is not theirs.
  if (!LISTS[homeKindFor(actor)].includes(list)) throw NotFoundError("The list");
  const built = await build(ctx, list);
  // A home list names pupils and records (the counts alone do not): who looked is kept.
  await appendAudit(deps, actor, { type: "home.listed", detail: { list, shown: built.records.length } });
  return { list, label: LABELS[list], records: built.records, ...(built.actions ? { actions: built.actions } : {}) };
}

type Built = Pick<HomeList, "records" | "actions"> & { length: number };

async function build(ctx: Context, list: HomeListId): Promise<Built> {
  const { deps, actor, school, states, now } = ctx;
  const records = async (facts: Awaited<ReturnType<typeof readCases>>) => {
    const shown = await toHomeRecords(deps, actor, school, facts);
    return { records: shown, length: shown.length };
  };
  const open = <T extends { status: string }>(facts: T[]) => facts.filter((f) => f.status === "active");
  switch (list) {
    case "unread": {
      const ids = await deps.records.unreadAlertIncidents(actor.schoolId, actor.staffId);
      return records(await readCases(deps, actor, school, states, { ids }));
    }
    case "urgent":
      return records(open(await readCases(deps, actor, school, states, { urgent: true })));
    case "new-today": {
      const from = wallClockToIso(dateIn(now, school.timeZone), "00:00", school.timeZone) ?? now.toISOString();
      return records(await readCases(deps, actor, school, states, { recordedFrom: from }));
    }
    case "assigned-to-me": {
      const groups = new Set(school.alertGroups.filter((g) => g.staffIds.includes(actor.staffId)).map((g) => g.id));
      const reassigned = [...states].filter(
        ([, s]) => s.assignee && (s.assignee.kind === "staff" ? s.assignee.id === actor.staffId : groups.has(s.assignee.id)),
      );
      const [onForm, byChange] = await Promise.all([
        readCases(deps, actor, school, states, { assignedToStaffId: actor.staffId }),
        readCases(deps, actor, school, states, { ids: reassigned.map(([id]) => id) }),
      ]);
      const mine = new Map([...onForm, ...byChange].map((f) => [f.id, f]));
      // As it stands now: a record re-assigned away from the reader is no longer theirs.
      const still = [...mine.values()].filter(
        (f) => f.assignee && (f.assignee.kind === "staff" ? f.assignee.id === actor.staffId : groups.has(f.assignee.id)),
      );
      return records(open(still).sort((a, b) => b.recordedAt.localeCompare(a.recordedAt)));
    }
    case "past-review": {
      // The age is counted in the school's own days: a half term or a bank holiday does not age a record.
      const days = school.reviewAfterDays ?? DEFAULT_REVIEW_AFTER_DAYS;
      const lastDay = latestDateSchoolDaysBefore(calendarOf(school), dateIn(now, school.timeZone), days);
      const before = wallClockToIso(shiftDays(lastDay, 1), "00:00", school.timeZone) ?? `${shiftDays(lastDay, 1)}T00:00:00Z`;
      return records(open(await readCases(deps, actor, school, states, { recordedBefore: before })));
    }
    case "dead-letters": {
      const ids = await deps.records.deadLetterIncidents(actor.schoolId);
      return records(await readCases(deps, actor, school, states, { ids }));
    }
    case "tasks-due": {
      const due = await deps.records.tasksDueBy(actor.schoolId, dateIn(now, school.timeZone), HOME_LIST_MAX);
      const { rows, records: shown } = await readTasks(deps, actor, school, states, due);
      const open = rows.filter((r) => !r.done);
      return { actions: open, records: shown.filter((r) => open.some((a) => a.incidentId === r.incidentId)), length: open.length };
    }
    case "my-actions": {
      const mine = await deps.records.tasksOwnedBy(actor.schoolId, actor.staffId, HOME_LIST_MAX);
      const { rows, records: shown } = await readTasks(deps, actor, school, states, mine);
      const open = rows.filter((r) => !r.done);
      return { actions: open, records: shown.filter((r) => open.some((a) => a.incidentId === r.incidentId)), length: open.length };
    }
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
      return records(await readCases(deps, actor, school, states, { ids }, tags));
    }
  }
}
