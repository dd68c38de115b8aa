/** Alerting: who the school's rules add to an alert whoever raised it. */
import type { Actor } from "../actor.js";
import type { Incident, IncidentAction } from "../incident.js";
import type { School, StaffMember } from "../school.js";
import type { Role } from "../roles.js";
import { splitTags } from "./action.js";
import { canViewIncident, isAllegation, touchesProtected, type IncidentAccessFacts, type PolicySchool, type TaggedIn } from "./incident.js";
import { isSafeguardingLead } from "./roles.js";

/** A safeguarding concern must always reach the safeguarding team. */
export const alwaysAlertedToProtected = (member: Pick<StaffMember, "role">) => isSafeguardingLead(member.role);

/**
 * Whether marking a concern as read tells the member of staff who raised it: only where the school
 * has turned it on, only when the reader is on the safeguarding team (the raiser wants to know a DSL
 * has it), and never for someone reading their own concern.
 */
export const tellsRaiserWhenRead = (
  school: Pick<School, "tellRaiserWhenRead">,
  reader: Pick<Actor, "role" | "staffId">,
  incident: Pick<Incident, "raisedBy">,
) => school.tellRaiserWhenRead === true && isSafeguardingLead(reader.role) && reader.staffId !== incident.raisedBy.staffId;

/** What the alert box says on a protected record raised by anyone but a DSL, on the card and in the tab alike. */
export const ALERT_APPROVAL_NOTE =
  "On a Child Protection, Child in Need or Safeguarding record, an alert you choose to someone who could not otherwise see it " +
  "waits for a DSL to approve it: they are not alerted and cannot read the record until then. The DSLs are alerted at once.";

/** The alert box's note instead, when the record is also an allegation about an adult who works here. */
export const ALERT_ALLEGATION_NOTE =
  "This is an allegation about an adult who works here: only the head teacher (the chair of governors when the head is named) " +
  "and DSLs who are not named may see it. An alert you choose to anyone else is held and will be declined: a DSL's approval never opens an allegation to them.";

/** What the DSL is told, in the API's answer and on the tab, when approving such alerts declines them. */
export const HELD_ALERT_DECLINED_REASON =
  "Not approved: this is an allegation about an adult who works here, which only the head teacher (the chair of governors when the head is named) " +
  "and DSLs who are not named may see. An approval cannot open it to anyone else, so their alerts are declined.";

/**
 * Why a held alert was declined, as a code the audit event keeps (never names or text) and the
 * words the audit trail shows for it. One reason today: an allegation an approval cannot open.
 */
export const HELD_ALERT_DECLINE_CODES = { allegation: "allegation-not-openable" } as const;
export type HeldAlertDeclineCode = (typeof HELD_ALERT_DECLINE_CODES)[keyof typeof HELD_ALERT_DECLINE_CODES];
/** A Map, so a code read back from a stored event is looked up safely (never as an object key). */
export const HELD_ALERT_DECLINE_WORDS: ReadonlyMap<string, string> = new Map<HeldAlertDeclineCode, string>([
  ["allegation-not-openable", "the record is an allegation about an adult who works here, which an approval cannot open to them"],
]);

/** Whether the form says so: the same rule as tags (splitTags), for whoever fills it in, the categories chosen and the allegation box. */
export const alertsWaitForApproval = (
  who: { role: Role } | undefined,
  categories: readonly { id: string; protected?: boolean }[],
  categoryIds: readonly string[],
  allegation = false,
) => allegation || (!isSafeguardingLead(who?.role) && touchesProtected(categoryIds, categories));

/**
 * The alerts a new record sends at once and those kept for the DSLs (issue 7, README "Who sees
 * what"). On a protected record raised by anyone but a DSL, an alert to someone who could not see
 * the record without it (the raiser, the DSLs, the allegation's head) is held exactly as a tag is:
 * not sent, no access, until a DSL approves. The rules' own recipients always see it, so are never held.
 */
export function splitAlerts(
  actor: Actor,
  record: { incident: Omit<IncidentAccessFacts, "alertedStaffIds">; school: PolicySchool },
  staff: readonly Pick<StaffMember, "id" | "schoolId" | "role">[],
  recipients: readonly string[],
): { alerted: string[]; held: string[] } {
  const { tagged, pending } = splitTags(
    actor,
    { incident: { ...record.incident, alertedStaffIds: [] }, school: record.school, actions: [] },
    staff,
    recipients,
  );
  return { alerted: tagged, held: pending };
}

/** The request id of a DSL's decision on a record's held alerts: one decision settles them all, approved or declined. */
export const heldAlertsDecisionId = (incidentId: string) => `approve-alerts:${incidentId}`;

/**
 * Alerts held at submit and not yet decided: not given by a later tag, and no DSL's decision on the
 * held alerts yet (that action tags those approved; those declined stay unalerted, decided).
 */
export const alertsStillHeld = (
  incident: Pick<Incident, "id" | "pendingAlertStaffIds" | "alertedStaffIds">,
  actions: readonly Pick<IncidentAction, "taggedStaffIds" | "requestId">[],
) =>
  actions.some((a) => a.requestId === heldAlertsDecisionId(incident.id))
    ? []
    : (incident.pendingAlertStaffIds ?? []).filter(
        (id) => !incident.alertedStaffIds.includes(id) && !actions.some((a) => a.taggedStaffIds.includes(id)),
      );

/**
 * Which held alerts a DSL's approval may give (issue 7, README "Who sees what"): approving is a tag,
 * so it gives only those the tag would let read the record. A tag never opens an allegation about an
 * adult who works here, so there an approval can never open it to anyone the allegation rule
 * excludes: those are declined, never approved.
 */
export function decideHeldAlerts(
  record: { incident: IncidentAccessFacts; school: PolicySchool; actions: TaggedIn },
  staff: readonly Pick<StaffMember, "id" | "schoolId" | "role">[],
  waiting: readonly string[],
): { approved: string[]; declined: string[] } {
  // Elsewhere an approval is the tag the raiser asked for, as it always was.
  if (!isAllegation(record.incident)) return { approved: [...waiting], declined: [] };
  const byId = new Map(staff.map((s) => [s.id, s]));
  const opensTo = (id: string) => {
    const member = byId.get(id);
    const as: Actor = { staffId: id, schoolId: member?.schoolId ?? "", name: "", role: member?.role ?? "STAFF", mfa: true };
    return !!member && canViewIncident(as, record.incident, record.school, [...record.actions, { taggedStaffIds: [id] }]);
  };
  return { approved: waiting.filter(opensTo), declined: waiting.filter((id) => !opensTo(id)) };
}
