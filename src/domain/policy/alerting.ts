/** Alerting: who the school's rules add to an alert whoever raised it. */
import type { Actor } from "../actor.js";
import type { Incident } from "../incident.js";
import type { School, StaffMember } from "../school.js";
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
