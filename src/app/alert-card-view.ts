/** The alert card's state for its recipient: who raised it, its categories, and whether they have read it. */
import type { Actor } from "../domain/actor.js";
import { assertCanAnswerOwnAlert } from "../domain/policy/index.js";
import { categoryNames } from "./chronology.js";
import { loadIncident, type IncidentAccessDeps } from "./incident-access.js";
import { schoolOf } from "./school-of.js";
import type { AlertCardView } from "./views.js";

export async function alertCardView(deps: IncidentAccessDeps, actor: Actor, incidentId: string): Promise<AlertCardView> {
  const { incident } = await loadIncident(deps, actor, incidentId);
  assertCanAnswerOwnAlert(actor, incident);
  const [school, alerts] = await Promise.all([schoolOf(deps, actor), deps.records.alertsForIncident(incident.id, incident.pupilId)]);
  return {
    incidentId: incident.id,
    raisedByName: incident.raisedBy.name,
    categoryNames: categoryNames(school, incident.categoryIds),
    urgent: incident.urgent,
    acknowledgedAt: alerts.find((a) => a.staffId === actor.staffId)?.acknowledgedAt,
    timeZone: school.timeZone,
  };
}
