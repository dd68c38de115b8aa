/**
 * Chronology entries that are not concerns (referrals and their outcomes, decisions not to refer,
 * meetings, phone calls, disclosures to agencies) are the safeguarding team's casework: only DSLs
 * and deputies, with the second factor, add them or see them. They are protected whatever the
 * pupil's records are categorised as: a referral to social care says as much as a CP record.
 */
import type { Actor } from "../actor.js";
import type { StaffMember } from "../school.js";
import { isSafeguardingLead } from "./roles.js";

export const canRecordCaseEntry = (actor: Pick<Actor, "role" | "mfa">) => isSafeguardingLead(actor.role) && actor.mfa;
export const canViewCaseEntries = canRecordCaseEntry;

/** An overdue referral is chased by the safeguarding team (every active DSL and deputy). */
export const chasesOverdueReferrals = (member: Pick<StaffMember, "role" | "active">) => member.active && isSafeguardingLead(member.role);
