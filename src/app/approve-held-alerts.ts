/**
 * A DSL approves the alerts held when a concern was recorded: on a protected record, an alert
 * chosen by anyone but a DSL to someone who could not see it otherwise waits (policy.splitAlerts).
 * The incident is never edited, so the approval is an action by the DSL tagging the people waiting,
 * exactly as approving a held tag is: it alerts them through the outbox, opens the record to them,
 * and is audited as any action is. Approving twice adds nothing (the request id follows from the record).
 *
 * On an allegation about an adult who works here a tag opens nothing, so an approval could only
 * alert people the allegation rule keeps out (policy.decideHeldAlerts): their alerts are declined,
 * with the reason, in the same action (so the decision is on the record) and in the answer; each is
 * audited as `alert.declined` in the action's batch (held-alert-declines.ts).
 */
import type { Actor } from "../domain/actor.js";
import { alertsStillHeld, authorize, decideHeldAlerts, heldAlertsDecisionId, HELD_ALERT_DECLINED_REASON } from "../domain/policy/index.js";
import type { AddActionDeps } from "./add-action.js";
import { approvalTagging, decidedHeld } from "./approve-pending-tags.js";
import { openIncident } from "./incident-access.js";
import { auditedRefusal } from "./audited-refusal.js";
import type { ActionView } from "./views.js";

export interface HeldAlertsDecision {
  action: ActionView;
  created: boolean;
  /** Held alerts an approval cannot give, and why (shown to the DSL). */
  declined?: { staffIds: string[]; reason: string };
}

export const approveHeldAlerts =
  (deps: AddActionDeps) =>
  async (actor: Actor, incidentId: string): Promise<HeldAlertsDecision> => {
    const opened = await openIncident(deps, actor, incidentId, "incident.approve-alerts");
    const { incident, school, actions } = opened;
    await auditedRefusal(deps, actor, { pupilId: incident.pupilId, incidentId: incident.id }, "incident.approve-alerts", () =>
      authorize(actor, "approve-alerts", { kind: "incident", incident, school, actions }),
    );
    const waiting = alertsStillHeld(incident, actions);
    const held = (incident.pendingAlertStaffIds ?? []).filter((id) => !incident.alertedStaffIds.includes(id));
    const { declined } = decideHeldAlerts({ incident, school, actions }, await deps.schools.listStaff(actor.schoolId), held);
    const approved = waiting.filter((id) => !declined.includes(id));
    const by = incident.raisedBy.name;
    const approvedText = `Approved the alerts asked for by ${by} when recording: they are alerted and may now read this record.`;
    const declinedText = `Declined ${declined.length === 1 ? "an alert" : `${declined.length} alerts`} asked for by ${by} when recording. ${HELD_ALERT_DECLINED_REASON}`;
    const decided = await approvalTagging(deps, actor, {
      incidentId: incident.id,
      requestId: heldAlertsDecisionId(incident.id),
      waiting,
      tag: approved,
      actions,
      nobody: { field: "incidentId", message: "Nobody is waiting for an alert on this record." },
      ...decidedHeld(actor, approved, declined, approvedText, declinedText),
    });
    return declined.length ? { ...decided, declined: { staffIds: declined, reason: HELD_ALERT_DECLINED_REASON } } : decided;
  };
