/**
 * A DSL approves the tags another member of staff asked for on a protected record. Actions are
 * append-only (a safeguarding record is never edited), so the approval is itself an action by the
 * DSL tagging the people waiting: it alerts them and opens the record, and it is audited as any
 * action is. Approving twice adds nothing (the request id follows from the action approved).
 */
import type { Actor } from "../domain/actor.js";
import { NotFoundError, ValidationError, type FieldProblem } from "../domain/errors.js";
import type { IncidentAction } from "../domain/incident.js";
import { authorize, decideHeldAlerts, HELD_ALERT_DECLINE_CODES, HELD_ALERT_DECLINED_REASON, tagsStillPending } from "../domain/policy/index.js";
import { declinedAlertAudits } from "./held-alert-declines.js";
import { actionIdFor, addAction, toActionView, type AddActionDecision, type AddActionDeps } from "./add-action.js";
import { openIncident } from "./incident-access.js";
import { auditedRefusal } from "./audited-refusal.js";
import type { ActionView } from "./views.js";

export interface ApprovePendingTagsInput {
  incidentId: string;
  actionId: string;
}

export const approvePendingTags =
  (deps: AddActionDeps) =>
  async (actor: Actor, input: ApprovePendingTagsInput): Promise<{ action: ActionView; created: boolean }> => {
    const { actions, incident, school } = await openIncident(deps, actor, input.incidentId, "action.approve-tags");
    const asked = actions.find((a) => a.id === input.actionId);
    if (!asked) throw NotFoundError("The action");
    await auditedRefusal(deps, actor, { pupilId: incident.pupilId, incidentId: incident.id }, "action.approve-tags", () =>
      authorize(actor, "approve-tags", { kind: "action", action: asked }),
    );
    const waiting = tagsStillPending(asked, actions);
    // As with held alerts: on an allegation a tag opens nothing, so those it cannot open are declined.
    const { approved, declined } = decideHeldAlerts({ incident, school, actions }, await deps.schools.listStaff(actor.schoolId), waiting);
    const by = asked.recordedBy.name;
    const approvedText = `Approved the tags asked for by ${by}: they are alerted and may now read this record.`;
    const declinedText = `Declined ${declined.length === 1 ? "a tag" : `${declined.length} tags`} asked for by ${by}. ${HELD_ALERT_DECLINED_REASON}`;
    return approvalTagging(deps, actor, {
      incidentId: input.incidentId,
      requestId: `approve:${asked.id}`,
      waiting,
      tag: approved,
      actions,
      nobody: { field: "actionId", message: "Nobody is waiting for approval on this action." },
      ...decidedHeld(actor, approved, declined, approvedText, declinedText),
    });
  };

/** A decision's words and its declines, for held tags and held alerts alike: what it approved, then what it declined and why. */
export const decidedHeld = (actor: Actor, approved: string[], declined: string[], approvedText: string, declinedText: string) => ({
  text: [approved.length ? approvedText : "", declined.length ? declinedText : ""].filter(Boolean).join(" "),
  decision: { declinedStaffIds: declined, alsoAudited: declinedAlertAudits(actor, declined, HELD_ALERT_DECLINE_CODES.allegation) },
});

/**
 * The approval itself, for held tags and held alerts alike: an action by the DSL tagging those
 * waiting. Its id follows from the request, so approving again answers with the first approval.
 */
export async function approvalTagging(
  deps: AddActionDeps,
  actor: Actor,
  a: {
    incidentId: string;
    requestId: string;
    waiting: string[];
    actions: IncidentAction[];
    nobody: FieldProblem;
    text: string;
    /** Those of `waiting` the approval tags, when not all (an allegation's declined alerts); all of them by default. */
    tag?: string[];
    /** Those of `waiting` declined (an allegation an approval cannot open), and their audit events. */
    decision?: AddActionDecision;
  },
): Promise<{ action: ActionView; created: boolean }> {
  const approved = a.actions.find((x) => x.id === actionIdFor(actor.schoolId, a.incidentId, actor.staffId, a.requestId));
  if (!a.waiting.length && approved) return { action: toActionView(approved, new Map()), created: false };
  if (!a.waiting.length) throw ValidationError([a.nobody]);
  return addAction(
    deps,
    actor,
    {
      incidentId: a.incidentId,
      requestId: a.requestId,
      kind: "action",
      text: a.text,
      occurredAt: deps.clock.now().toISOString(),
      taggedStaffIds: a.tag ?? a.waiting,
    },
    "viewer",
    a.decision,
  );
}
