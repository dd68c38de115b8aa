/**
 * "Mark as read": records who acknowledged an alert and when; only the alerted person can
 * acknowledge their own alert, and doing it twice keeps the first time.
 */
import type { Actor } from "../domain/actor.js";
import { ForbiddenError } from "../domain/errors.js";
import type { Alert, Incident } from "../domain/incident.js";
import { assertCanAnswerOwnAlert, tellsRaiserWhenRead } from "../domain/policy/index.js";
import { buildReadByTeamOutboxMessages } from "./workflow-alerts.js";
import { schoolOf } from "./school-of.js";
import { auditEvent } from "./audit-event.js";
import { auditRefusal, loadIncident, openIncident, type IncidentAccessDeps } from "./incident-access.js";
import { auditedRefusal } from "./audited-refusal.js";

/** From the tab: the actor must be able to read the record. */
export async function acknowledgeAlert(deps: IncidentAccessDeps, actor: Actor, incidentId: string): Promise<Alert> {
  const { incident } = await openIncident(deps, actor, incidentId, "incident.acknowledge");
  return acknowledgeOwnAlert(deps, actor, incident);
}

/**
 * From the alert card in Teams chat. The bot carries no MFA, and acknowledging shows nothing of
 * the record, so only being the alerted person is checked (a DSL can answer their card); reading
 * the record still needs the tab.
 */
export async function acknowledgeAlertFromCard(deps: IncidentAccessDeps, actor: Actor, incidentId: string): Promise<Alert> {
  const { incident } = await loadIncident(deps, actor, incidentId);
  await auditedRefusal(deps, actor, { pupilId: incident.pupilId, incidentId: incident.id }, "incident.acknowledge", () =>
    assertCanAnswerOwnAlert(actor, incident),
  );
  return acknowledgeOwnAlert(deps, actor, incident);
}

async function acknowledgeOwnAlert(deps: IncidentAccessDeps, actor: Actor, incident: Incident): Promise<Alert> {
  const alert = (await deps.records.alertsForIncident(incident.id, incident.pupilId)).find((a) => a.staffId === actor.staffId);
  if (!alert) {
    await auditRefusal(deps, actor, { pupilId: incident.pupilId, incidentId: incident.id }, "incident.acknowledge");
    throw ForbiddenError("You were not alerted to this record, so there is nothing to mark as read.");
  }
  if (alert.acknowledgedAt) return alert;
  const at = deps.clock.now().toISOString();
  const school = await schoolOf(deps, actor);
  // One acknowledgement per person and record: the audit id follows from them, so a retry writes it once.
  return deps.records.acknowledgeAlert(
    alert,
    at,
    auditEvent(deps.clock, actor, {
      type: "alert.acknowledged",
      pupilId: incident.pupilId,
      incidentId: incident.id,
      id: `audit:${incident.id}:ack:${actor.staffId}`,
    }),
    tellsRaiserWhenRead(school, actor, incident) ? buildReadByTeamOutboxMessages(incident, actor, at) : [],
  );
}
