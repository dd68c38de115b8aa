/** Alerting: who the school's rules add to an alert whoever raised it. */
import type { Actor } from "../actor.js";
import type { Incident } from "../incident.js";
import type { School, StaffMember } from "../school.js";
import type { Role } from "../roles.js";
import { splitTags } from "./action.js";
import { touchesProtected, type IncidentAccessFacts, type PolicySchool, type TaggedIn } from "./incident.js";
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

/** Whether the form says so: the same rule as tags (splitTags), for whoever fills it in and the categories chosen. */
export const alertsWaitForApproval = (
  who: { role: Role } | undefined,
  categories: readonly { id: string; protected?: boolean }[],
  categoryIds: readonly string[],
) => !isSafeguardingLead(who?.role) && touchesProtected(categoryIds, categories);

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

/** Alerts held at submit and not yet given by a later tag (a DSL's approval is an action tagging them). */
export const alertsStillHeld = (incident: Pick<Incident, "pendingAlertStaffIds" | "alertedStaffIds">, actions: TaggedIn) =>
  (incident.pendingAlertStaffIds ?? []).filter((id) => !incident.alertedStaffIds.includes(id) && !actions.some((a) => a.taggedStaffIds.includes(id)));
