/** Actions on an incident: who sees each one. */
import type { Actor } from "../actor.js";
import type { IncidentAction } from "../incident.js";
import type { StaffMember } from "../school.js";
import type { Role } from "../roles.js";
import { canViewIncident, isAllegation, touchesProtected, type IncidentAccessFacts, type PolicySchool, type TaggedIn } from "./incident.js";
import { isSafeguardingLead } from "./roles.js";

/** An action is seen by those tagged in it, by whoever recorded it, and by DSLs. */
export const canViewAction = (actor: Actor, action: Pick<IncidentAction, "recordedBy" | "taggedStaffIds">) =>
  isSafeguardingLead(actor.role) || action.recordedBy.staffId === actor.staffId || action.taggedStaffIds.includes(actor.staffId);

/** What the tag box says, on the card and in the tab alike. */
export const TAG_APPROVAL_NOTE =
  "On a Child Protection, Child in Need or Safeguarding record, a tag by anyone but a DSL waits for a DSL to approve it: " +
  "the person is not alerted and cannot read the record until then.";

/**
 * Tagging alerts a person and opens the record to them. On a protected record (Child Protection,
 * Child in Need, Safeguarding) only a DSL or deputy may open it to someone who could not see it
 * otherwise; anyone else's tag of such a person is kept pending for the DSLs to approve. On other
 * categories whoever may add an action may tag, as schools do today.
 */
export function splitTags(
  actor: Actor,
  record: { incident: IncidentAccessFacts; school: PolicySchool; actions: TaggedIn },
  staff: readonly Pick<StaffMember, "id" | "schoolId" | "role">[],
  tagged: readonly string[],
): { tagged: string[]; pending: string[] } {
  // An allegation about an adult who works here is held whatever its categories and whoever tags:
  // a tag never opens it, so a tag sent at once would tell someone (perhaps the adult it names)
  // that a record exists which they cannot read. Those are kept for a DSL, who declines them.
  if (!isAllegation(record.incident) && (isSafeguardingLead(actor.role) || !touchesProtected(record.incident.categoryIds, record.school.categories)))
    return { tagged: [...tagged], pending: [] };
  const byId = new Map(staff.map((s) => [s.id, s]));
  const seesAlready = (id: string) => {
    const member = byId.get(id);
    const as: Actor = { staffId: id, schoolId: member?.schoolId ?? "", name: "", role: member?.role ?? "STAFF", mfa: true };
    return !!member && canViewIncident(as, record.incident, record.school, record.actions);
  };
  return { tagged: tagged.filter(seesAlready), pending: tagged.filter((id) => !seesAlready(id)) };
}

/** Who the tab offers the approve button to (the API decides again). */
export const canApproveTags = (who: { role: Role } | undefined) => isSafeguardingLead(who?.role);

/** Tags still waiting: pending on an action and not yet given by a later tag (approval adds one). */
export const tagsStillPending = (
  action: Pick<IncidentAction, "pendingTaggedStaffIds">,
  actions: readonly Pick<IncidentAction, "taggedStaffIds" | "declinedStaffIds">[],
) => (action.pendingTaggedStaffIds ?? []).filter((id) => !actions.some((a) => a.taggedStaffIds.includes(id) || a.declinedStaffIds?.includes(id)));

/** A task is marked done or not done by its owner, whoever set it, or a DSL (who run the case). */
export const canMarkTask = (actor: Actor, action: Pick<IncidentAction, "recordedBy" | "task">) =>
  !!action.task && (isSafeguardingLead(actor.role) || action.task.ownerStaffId === actor.staffId || action.recordedBy.staffId === actor.staffId);
