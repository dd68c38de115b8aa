/** Alerting: who the school's rules add to an alert whoever raised it. */
import type { StaffMember } from "../school.js";
import { isSafeguardingLead } from "./roles.js";

/** A safeguarding concern must always reach the safeguarding team. */
export const alwaysAlertedToProtected = (member: Pick<StaffMember, "role">) => isSafeguardingLead(member.role);
