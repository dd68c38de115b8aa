/**
 * The audit of a DSL's decision declining held alerts (issue 7): one `alert.declined` event per
 * person whose alert was declined, with the incident, the action that records the decision, the
 * person's staff id and the reason as a code (never a name or the record's words). Written in the
 * action's batch, so the decision is audited if and only if it is stored.
 */
import type { Actor } from "../domain/actor.js";
import type { AuditEvent, IncidentAction } from "../domain/incident.js";
import type { HeldAlertDeclineCode } from "../domain/policy/index.js";
import { auditOrigin } from "./audit-origin.js";

export const declinedAlertAudits =
  (actor: Actor, declinedStaffIds: readonly string[], reason: HeldAlertDeclineCode) =>
  (action: IncidentAction): AuditEvent[] =>
    declinedStaffIds.map((staffId) => ({
      // Follows from the action, so a retried batch cannot write a second one.
      id: `alert-declined:${action.id}:${staffId}`,
      schoolId: actor.schoolId,
      pupilId: action.pupilId,
      incidentId: action.incidentId,
      type: "alert.declined",
      actorStaffId: actor.staffId,
      at: action.recordedAt,
      detail: { actionId: action.id, declinedStaffId: staffId, reason },
      ...auditOrigin(actor),
    }));
