/**
 * One incident as the tab shows it to someone who may read it: the record as it stands now, its
 * pupils, alerts, the actions they may see and, for the team, its history. Audited as a view.
 */
import type { Actor } from "../domain/actor.js";
import { NotFoundError } from "../domain/errors.js";
import { PART_LABELS, type Incident, type IncidentAction } from "../domain/incident.js";
import { alertsStillHeld, can, canViewIncidentHistory } from "../domain/policy/index.js";
import { pupilDisplayName } from "../domain/school.js";
import { taskCalendarOf } from "../domain/tasks.js";
import { toActionView } from "./add-action.js";
import { statusesByAction } from "./action-tasks.js";
import { appendAudit } from "./audit-event.js";
import { toChangeView } from "./change-incident.js";
import { categoryNames } from "./chronology.js";
import { openIncident, type IncidentAccessDeps } from "./incident-access.js";
import { incidentDetailFields } from "./incident-details.js";
import { pupilSummaryFor } from "./pupil-index.js";
import { sessionLabel } from "./session-labels.js";
import type { IncidentView } from "./views.js";

const FORMER_STAFF = "Former member of staff";

export async function viewIncident(deps: IncidentAccessDeps, actor: Actor, incidentId: string): Promise<IncidentView> {
  const { incident, school, actions, alerts, changes } = await openIncident(deps, actor, incidentId, "incident.view");
  // The pupil and every linked pupil in one read of the roll, whatever the number of links.
  const [staff, pupils] = await Promise.all([
    deps.schools.listStaff(actor.schoolId),
    deps.schools.getPupils(actor.schoolId, [incident.pupilId, ...incident.linkedPupils.map((l) => l.pupilId)]),
  ]);
  const byId = new Map(pupils.map((p) => [p.id, p]));
  const pupil = byId.get(incident.pupilId);
  if (!pupil) throw NotFoundError("The pupil");
  const names = new Map(staff.map((s) => [s.id, s.displayName]));
  const shownActions = actions.filter((a) => can(actor, "view", { kind: "action", action: a }));
  // Tasks show whether they are done: their status changes, read in one query for the shown actions.
  const taskStatuses = await statusesByAction(deps.records, actor.schoolId, shownActions);
  const now = deps.clock.now();
  const linked = incident.linkedPupils.map((l) => {
    const p = byId.get(l.pupilId);
    return { pupilId: l.pupilId, displayName: p ? pupilDisplayName(p) : "Unknown pupil", part: l.part, partLabel: PART_LABELS[l.part] };
  });
  await appendAudit(deps, actor, { type: "incident.viewed", pupilId: incident.pupilId, incidentId: incident.id });
  const mine = alerts.find((a) => a.staffId === actor.staffId);
  const subCategoryNames = school.categories
    .flatMap((c) => c.subCategories)
    .filter((s) => incident.subCategoryIds.includes(s.id))
    .map((s) => s.name);
  return {
    incident: {
      id: incident.id,
      reference: incident.reference,
      pupilId: incident.pupilId,
      occurredAt: incident.occurredAt,
      recordedAt: incident.recordedAt,
      session: incident.session,
      location: incident.location,
      account: incident.account,
      categoryIds: incident.categoryIds,
      categoryNames: categoryNames(school, incident.categoryIds),
      subCategoryNames,
      raisedBy: incident.raisedBy,
      status: incident.status,
      urgent: incident.urgent,
      source: incident.source,
      linkedPupils: linked,
      ...incidentDetailFields(actor, incident, school, (id) => names.get(id) ?? FORMER_STAFF, sessionLabel),
    },
    pupil: pupilSummaryFor(actor, pupil),
    alerts: alerts.map((a) => ({ staffId: a.staffId, name: names.get(a.staffId) ?? FORMER_STAFF, acknowledgedAt: a.acknowledgedAt })),
    myAlert: mine ? { acknowledgedAt: mine.acknowledgedAt } : undefined,
    ...heldAlertsOf(incident, actions, names),
    actions: shownActions.map((a) => toActionView(a, names, { statuses: taskStatuses.get(a.id) ?? [], now, school: taskCalendarOf(school) })),
    // The old values may say more than the current ones (a record once Child Protection), so only the team sees them.
    ...(canViewIncidentHistory(actor) ? { version: changes.length, history: changes.map((c) => toChangeView(c, school, staff)) } : {}),
  };
}

/** Alerts chosen at submit and still waiting for a DSL (policy.splitAlerts): the raiser sees they wait, a DSL approves. */
function heldAlertsOf(incident: Incident, actions: IncidentAction[], names: Map<string, string>): Pick<IncidentView, "heldAlerts"> {
  const held = alertsStillHeld(incident, actions);
  return held.length ? { heldAlerts: held.map((staffId) => ({ staffId, name: names.get(staffId) ?? FORMER_STAFF })) } : {};
}
