/**
 * The reads behind the home page's lists: incidents by an indexed field of their current state
 * (the store keeps one current-state document per record), kept only when the reader may open
 * them; and tasks with their state.
 * Never the account: a list shows the reference, pupil, categories and status.
 */
import type { Actor } from "../domain/actor.js";
import type { IncidentAction } from "../domain/incident.js";
import { can, canViewIncident, homeStoreScope } from "../domain/policy/index.js";
import { pupilDisplayName, type School } from "../domain/school.js";
import { isOverdue, isTaskDone, taskCalendarOf, type TaskAction, type TaskStatusChange } from "../domain/tasks.js";
import type { HomeRecord, MyAction } from "../contract/task-views.js";
import type { CaseFact, CaseFilter } from "../ports/task-store.js";
import type { IncidentAccessDeps } from "./incident-access.js";
import { categoryNames } from "./chronology.js";

/** A page holds at most this many, and a count stops here ("500+"): the list pages on past it. */
export const HOME_LIST_MAX = 500;

export type HomeDeps = IncidentAccessDeps & { listMax?: number };
export type Tagged = readonly Pick<IncidentAction, "taggedStaffIds" | "incidentId">[];

/**
 * The first `limit` rows of a read asked for one more than that, and whether there were more:
 * the extra row only tells the list it was cut short, so the reader can be told to narrow it.
 */
export async function firstOf<T>(limit: number, read: (top: number) => Promise<readonly T[]>) {
  const found = await read(limit + 1);
  return { rows: found.slice(0, limit), truncated: found.length > limit, limit };
}

export async function readCases(deps: IncidentAccessDeps, actor: Actor, school: School, filter: CaseFilter, tagged: Tagged = []) {
  const facts = await deps.records.caseFacts(actor.schoolId, scoped(actor, filter), HOME_LIST_MAX);
  return facts.filter(visibleTo(actor, school, tagged));
}

/**
 * One page of a home list of cases (KEEPSAFE_LIST_MAX a page, as My concerns): the policy is
 * applied to each page as read, so a page may hold fewer than asked while the continuation leads on.
 * The token is bound to this list and this reader.
 */
export async function readCasesPage(
  deps: HomeDeps,
  actor: Actor,
  school: School,
  list: string,
  filter: CaseFilter,
  tagged: Tagged,
  continuation: string | undefined,
) {
  const page = await deps.records.caseFactsPage(actor.schoolId, scoped(actor, filter), {
    list: `home:${list}`,
    owner: actor.staffId,
    pageSize: Math.min(deps.listMax ?? HOME_LIST_MAX, HOME_LIST_MAX),
    ...(continuation !== undefined ? { continuation } : {}),
  });
  return { facts: page.facts.filter(visibleTo(actor, school, tagged)), ...(page.continuation ? { continuation: page.continuation } : {}) };
}

export const visibleTo = (actor: Actor, school: School, tagged: Tagged) => (f: CaseFact) =>
  canViewIncident(
    actor,
    f,
    school,
    tagged.filter((t) => t.incidentId === f.id),
  );

export const scoped = (actor: Actor, filter: CaseFilter): CaseFilter => ({
  ...filter,
  notAllegationSubject: homeStoreScope(actor).notAllegationSubject,
});

export async function toHomeRecords(deps: IncidentAccessDeps, actor: Actor, school: School, facts: readonly CaseFact[]): Promise<HomeRecord[]> {
  const pupils = new Map((await deps.schools.getPupils(actor.schoolId, [...new Set(facts.map((f) => f.pupilId))])).map((p) => [p.id, p]));
  return facts.map((f) => {
    const pupil = pupils.get(f.pupilId);
    return {
      incidentId: f.id,
      reference: f.reference,
      pupilName: pupil ? pupilDisplayName(pupil) : "Unknown pupil",
      recordedAt: f.recordedAt,
      categoryNames: categoryNames(school, f.categoryIds),
      status: f.status,
      urgent: f.urgent,
    };
  });
}

/**
 * Tasks the reader may see (the action, and the record as it stands now), with whether each is
 * done and overdue, open first by due date, then done ones.
 */
export async function readTasks(deps: IncidentAccessDeps, actor: Actor, school: School, tasks: readonly TaskAction[]) {
  const shown = tasks.filter((t) => can(actor, "view", { kind: "action", action: t }));
  const ids = [...new Set(shown.map((t) => t.incidentId))];
  const [facts, statuses] = await Promise.all([
    ids.length ? readCases(deps, actor, school, { ids }, shown) : Promise.resolve([]),
    deps.records.taskStatusesOf(
      actor.schoolId,
      shown.map((t) => t.id),
    ),
  ]);
  const byIncident = new Map(facts.map((f) => [f.id, f]));
  const byAction = new Map<string, TaskStatusChange[]>();
  for (const s of statuses) byAction.set(s.actionId, [...(byAction.get(s.actionId) ?? []), s]);
  const records = await toHomeRecords(deps, actor, school, facts);
  const recordOf = new Map(records.map((r) => [r.incidentId, r]));
  const now = deps.clock.now();
  const calendar = taskCalendarOf(school);
  const rows: MyAction[] = shown
    .filter((t) => byIncident.has(t.incidentId))
    .map((t) => {
      const s = byAction.get(t.id) ?? [];
      const done = isTaskDone(s);
      const record = recordOf.get(t.incidentId)!;
      return {
        incidentId: t.incidentId,
        actionId: t.id,
        reference: record.reference,
        pupilName: record.pupilName,
        text: t.text,
        dueOn: t.task.dueOn,
        done,
        overdue: isOverdue(t.task, done, now, calendar),
        version: s.length,
        recordedBy: t.recordedBy,
      };
    })
    .sort((a, b) => Number(a.done) - Number(b.done) || a.dueOn.localeCompare(b.dueOn));
  return { rows, records };
}
