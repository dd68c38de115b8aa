/**
 * A pupil's chronology, one page at a time: the page's entries, their actions and alerts come from
 * the record store in a fixed number of queries (RecordStore.chronologyPage) and are shaped here
 * in memory once. Access is applied per page, so a page can hold fewer rows than asked for; the
 * continuation still leads on, and nothing the reader may not see is counted or hinted at.
 */
import type { Actor } from "../domain/actor.js";
import type { Alert, ChronologyEntry, ChronologyRowKind, IncidentAction, IncidentStatus } from "../domain/incident.js";
import { entryWithCurrentState, type IncidentChange } from "../domain/incident-changes.js";
import { canViewAction, canViewIncident, canViewIncidentHistory } from "../domain/policy/index.js";
import type { School } from "../domain/school.js";
import type { ChronologyPage } from "../ports/record-store.js";
import { wallClockToIso } from "../domain/wall-clock.js";
import type { ChronologyRow } from "./views.js";

export const categoryNames = (school: School, ids: string[]) =>
  ids.map((id) => school.categories.find((c) => c.id === id)?.name ?? "Former category");

/** Groups by incident id in a Map (ids come from stored records, never used as object keys). */
export function byIncident<T extends { incidentId: string }>(items: T[]): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    const list = out.get(item.incidentId);
    if (list) list.push(item);
    else out.set(item.incidentId, [item]);
  }
  return out;
}

/** Newest first by when it happened, actions among incidents: entries out of date order mislead. */
export const newestFirst = (a: ChronologyRow, b: ChronologyRow) => (a.occurredAt < b.occurredAt ? 1 : a.occurredAt > b.occurredAt ? -1 : 0);

/**
 * What a DSL narrows a long chronology to (from the tab's URL). Days are the school's calendar days,
 * turned into instants by the caller; an action or change row is judged by its own time, kind and
 * author, and by its incident's categories and status.
 */
export interface ChronologyFilter {
  categoryIds?: string[];
  kinds?: ChronologyRowKind[];
  /** Instants: rows at or after `from` and before `until`. */
  from?: string;
  until?: string;
  authorId?: string;
  status?: IncidentStatus;
}

/** A page request with its filters, as the tab API's query gives them (days as YYYY-MM-DD). */
export interface ChronologyQuery {
  pageSize?: number;
  continuation?: string;
  categoryIds?: string[];
  kinds?: ChronologyRowKind[];
  from?: string;
  to?: string;
  authorId?: string;
  status?: IncidentStatus;
}

/** The query's days as instants in the school's time zone: `to` includes the whole of its day. */
export function chronologyFilter(q: ChronologyQuery, timeZone: string): ChronologyFilter {
  const from = q.from ? wallClockToIso(q.from, "00:00", timeZone) : undefined;
  const nextDay = q.to ? new Date(Date.parse(`${q.to}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10) : undefined;
  const until = nextDay ? wallClockToIso(nextDay, "00:00", timeZone) : undefined;
  return {
    ...(q.categoryIds?.length ? { categoryIds: q.categoryIds } : {}),
    ...(q.kinds?.length ? { kinds: q.kinds } : {}),
    ...(from ? { from } : {}),
    ...(until ? { until } : {}),
    ...(q.authorId ? { authorId: q.authorId } : {}),
    ...(q.status ? { status: q.status } : {}),
  };
}

export function matchesFilter(row: ChronologyRow, f: ChronologyFilter): boolean {
  if (f.kinds?.length && !f.kinds.includes(row.kind)) return false;
  if (f.categoryIds?.length && !row.categoryIds.some((id) => f.categoryIds!.includes(id))) return false;
  if (f.from && row.occurredAt < f.from) return false;
  if (f.until && row.occurredAt >= f.until) return false;
  if (f.authorId && row.raisedBy.staffId !== f.authorId) return false;
  if (f.status && row.status !== f.status) return false;
  return true;
}

/** The rows of one page the actor may see (and the filter, if any, selects). */
export function chronologyRows(actor: Actor, school: School, page: ChronologyPage, filter: ChronologyFilter = {}): ChronologyRow[] {
  const actions = byIncident<IncidentAction>(page.actions);
  const alerts = byIncident<Alert>(page.alerts);
  const changes = byIncident<IncidentChange>(page.changes);
  const history = canViewIncidentHistory(actor);
  const rows: ChronologyRow[] = [];
  for (const stored of page.entries) {
    const own = actions.get(stored.incidentId) ?? [];
    const changed = changes.get(stored.incidentId) ?? [];
    // Rows carry the form's categories; the current ones (after re-categorising) decide who sees the row.
    const entry = entryWithCurrentState(stored, changed);
    // Being tagged in an action opens its incident, so the actions are part of the access check.
    if (!canViewIncident(actor, entry, school, own)) continue;
    const row = incidentRow(actor, school, entry, alerts.get(entry.incidentId) ?? []);
    const shaped = [row, ...own.filter((a) => canViewAction(actor, a)).map((a) => actionRow(row, a))];
    // The changes (and the old values they keep) are the safeguarding team's to see.
    if (history) shaped.push(...changed.map((c) => changeRow(row, c, school)));
    rows.push(...shaped.filter((r) => matchesFilter(r, filter)));
  }
  return rows.sort(newestFirst);
}

const incidentRow = (actor: Actor, school: School, e: ChronologyEntry, alerts: Alert[]): ChronologyRow => ({
  kind: e.kind,
  incidentId: e.incidentId,
  reference: e.reference,
  part: e.part,
  occurredAt: e.occurredAt,
  recordedAt: e.recordedAt,
  categoryIds: e.categoryIds,
  categoryNames: categoryNames(school, e.categoryIds),
  raisedBy: e.raisedBy,
  summary: e.summary,
  status: e.status,
  unacknowledgedAlerts: alerts.filter((a) => !a.acknowledgedAt).length,
  unreadByYou: alerts.some((a) => a.staffId === actor.staffId && !a.acknowledgedAt),
  urgent: e.urgent === true,
});

/** An action's row in the chronology: dated when it happened, by who recorded it, under its incident. */
const actionRow = (incident: ChronologyRow, a: IncidentAction): ChronologyRow => ({
  ...incident,
  kind: "action",
  actionId: a.id,
  actionKind: a.kind ?? "action",
  occurredAt: a.occurredAt,
  recordedAt: a.recordedAt,
  raisedBy: a.recordedBy,
  summary: `${a.kind === "correction" ? "Correction: " : ""}${a.text.length > 160 ? `${a.text.slice(0, 159)}…` : a.text}`,
  unacknowledgedAlerts: 0,
  unreadByYou: false,
});

/** A change's row in the chronology: when it was made, by whom, what it changed and why. */
const changeRow = (incident: ChronologyRow, c: IncidentChange, school: School): ChronologyRow => ({
  ...incident,
  kind: "change",
  changeId: c.id,
  changeKind: c.kind,
  occurredAt: c.at,
  recordedAt: c.at,
  raisedBy: c.by,
  summary: clipSummary(`${changeHeadline(c, school)} Reason: ${c.reason}`),
  unacknowledgedAlerts: 0,
  unreadByYou: false,
});

function changeHeadline(c: IncidentChange, school: School): string {
  switch (c.kind) {
    case "recategorise":
      return `Re-categorised from ${categoryNames(school, c.before.categoryIds).join(", ")} to ${categoryNames(school, c.after.categoryIds).join(", ")}.`;
    case "assign":
      return c.before.assignee ? "Re-assigned." : "Assigned.";
    case "close":
      return "Closed.";
    case "reopen":
      return "Reopened.";
    case "no-further-action":
      return `No further action: ${c.after.noFurtherAction?.decision ?? ""}.`;
  }
}

const clipSummary = (text: string) => (text.length > 160 ? `${text.slice(0, 159)}…` : text);
