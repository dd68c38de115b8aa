/**
 * The home's counts, counted in the store wherever the policy can be said to it exactly
 * (policy/home-store-visibility.ts): a SELECT VALUE COUNT(1) over the same filter as the list,
 * with the reader's visibility added, so no record is read for a count. Where it cannot (a list
 * opened by tags, which live on each record's actions; a scoped senior leader) the newest
 * HOME_LIST_MAX (and one more, to know whether others remain) are read and checked one by one.
 */
import type { Actor } from "../domain/actor.js";
import { homeStoreCount } from "../domain/policy/index.js";
import type { School } from "../domain/school.js";
import type { CaseFilter } from "../ports/task-store.js";
import type { IncidentAccessDeps } from "./incident-access.js";
import { HOME_LIST_MAX, scoped, visibleTo, type Tagged } from "./home-records.js";

/** A count as the home shows it: `more` when it stopped at the cap ("500+"). */
export interface HomeCount {
  count: number;
  more: boolean;
}

const capped = (all: number): HomeCount => ({ count: Math.min(all, HOME_LIST_MAX), more: all > HOME_LIST_MAX });

/** How many records a list of cases holds that the reader may open. */
export async function countCases(deps: IncidentAccessDeps, actor: Actor, school: School, filter: CaseFilter, tagged: Tagged): Promise<HomeCount> {
  const how = homeStoreCount(actor, school);
  if (how.kind === "every-record") return capped(await deps.records.countCases(actor.schoolId, scoped(actor, filter)));
  if (how.kind === "visible" && !tagged.length)
    return capped(await deps.records.countCases(actor.schoolId, { ...scoped(actor, filter), visibleTo: how.visibility }));
  const found = await deps.records.caseFacts(actor.schoolId, scoped(actor, filter), HOME_LIST_MAX + 1);
  return { count: found.slice(0, HOME_LIST_MAX).filter(visibleTo(actor, school, tagged)).length, more: found.length > HOME_LIST_MAX };
}

/**
 * Unread alerts to the reader. The safeguarding team open every record but one naming them in an
 * allegation, and no one named is ever alerted (alertsWaitForApproval), so each unread alert is one
 * record on their list: the alerts are counted in the store. For anyone else whether an alert's
 * record still opens to them depends on the record (an allegation opens to the head teacher as the
 * school names them now), which the alert does not carry: its records' ids are read (the alerts'
 * ids only) and those records counted in the store with `countCases`.
 */
export async function countUnread(deps: IncidentAccessDeps, actor: Actor, school: School, unreadIds: () => Promise<string[]>): Promise<HomeCount> {
  if (homeStoreCount(actor, school).kind === "every-record") return capped(await deps.records.countUnreadAlerts(actor.staffId));
  return countCases(deps, actor, school, { ids: await unreadIds() }, []);
}
