/**
 * A DSL approves the alerts held when a concern was recorded: on a protected record, an alert
 * chosen by anyone but a DSL to someone who could not see it otherwise waits (policy.splitAlerts).
 * The incident is never edited, so the approval is an action by the DSL tagging the people waiting,
 * exactly as approving a held tag is: it alerts them through the outbox, opens the record to them,
 * and is audited as any action is. Approving twice adds nothing (the request id follows from the record).
 */
import type { Actor } from "../domain/actor.js";
import { alertsStillHeld, authorize } from "../domain/policy/index.js";
import type { AddActionDeps } from "./add-action.js";
import { approvalTagging } from "./approve-pending-tags.js";
import { openIncident } from "./incident-access.js";
import { auditedRefusal } from "./audited-refusal.js";
import type { ActionView } from "./views.js";

export const approveHeldAlerts =
  (deps: AddActionDeps) =>
  async (actor: Actor, incidentId: string): Promise<{ action: ActionView; created: boolean }> => {
    const opened = await openIncident(deps, actor, incidentId, "incident.approve-alerts");
    const { incident, school, actions } = opened;
    await auditedRefusal(deps, actor, { pupilId: incident.pupilId, incidentId: incident.id }, "incident.approve-alerts", () =>
      authorize(actor, "approve-alerts", { kind: "incident", incident, school, actions }),
    );
    return approvalTagging(deps, actor, {
      incidentId: incident.id,
      requestId: `approve-alerts:${incident.id}`,
      waiting: alertsStillHeld(incident, actions),
      actions,
      nobody: { field: "incidentId", message: "Nobody is waiting for an alert on this record." },
      text: `Approved the alerts asked for by ${incident.raisedBy.name} when recording: they are alerted and may now read this record.`,
    });
  };
