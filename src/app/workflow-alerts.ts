/**
 * Alerts about running a case, content-free like every alert (who, and the record's reference or
 * that there is one; never the pupil, the categories or any words of the record), sent through the
 * outbox so a Graph outage or a restart never loses or repeats one.
 *
 * The alert that a record was assigned (or re-assigned) to someone: content-free like every alert,
 * saying only who assigned it and the record's reference is in Keepsafe; never the pupil, the
 * categories or any words of the record. Sent through the outbox with the change that made it.
 */
import type { Incident, OutboxMessage } from "../domain/incident.js";
import { wallClockToIso } from "../domain/wall-clock.js";
import type { IncidentChange } from "../domain/incident-changes.js";
import { CATEGORY_SEPARATOR, outboxMessages } from "./alert-content.js";

const oneLine = (text: string) => text.replace(/\s+/g, " ").trim() || "a member of staff";

export function buildAssignedOutboxMessages(change: IncidentChange, recipients: string[], reassigned: boolean): OutboxMessage[] {
  const who = oneLine(change.by.name);
  const verb = reassigned ? "re-assigned" : "assigned";
  const content = {
    subject: `Keepsafe: a record was ${verb} to you by ${who}`.slice(0, 200),
    preview: `${who} ${verb} a record to you. Open Keepsafe to read it.`.slice(0, 150),
    deepLinkSubEntityId: `incident:${change.incidentId}`,
    urgent: false,
  };
  const about = {
    schoolId: change.schoolId,
    pupilId: change.pupilId,
    incidentId: change.incidentId,
    changeId: change.id,
    assignment: reassigned ? ("reassigned" as const) : ("assigned" as const),
  };
  return outboxMessages(`change:${change.id}`, about, recipients, content, change.at);
}

/**
 * The note to the member of staff who raised a concern that the safeguarding team has read it
 * (when the school turns it on): who read it and the reference, nothing of the record. Keyed by the
 * incident, so however many DSLs mark it as read the raiser hears once.
 */
export function buildReadByTeamOutboxMessages(incident: Incident, reader: { name: string }, at: string): OutboxMessage[] {
  const who = oneLine(reader.name);
  const content = {
    // The reference stands where other alerts put the category, so the feed's template shows it.
    subject: `Keepsafe: ${who} has read the concern you recorded${CATEGORY_SEPARATOR}${incident.reference}`.slice(0, 200),
    preview: `${who} from the safeguarding team has read your concern ${incident.reference}.`.slice(0, 150),
    deepLinkSubEntityId: `incident:${incident.id}`,
    urgent: false,
  };
  const about = { schoolId: incident.schoolId, pupilId: incident.pupilId, incidentId: incident.id, readByTeam: true as const };
  return outboxMessages(`read:${incident.id}`, about, [incident.raisedBy.staffId], content, at);
}

/**
 * The planner reminder ("add to planner" on the form): written with the incident, due at the date
 * and time chosen in the school's time zone, so the dispatcher's lease sends it once at that time,
 * whatever restarts happen in between. It says whose reminder it is and the reference; the note
 * stays in Keepsafe (it may name the child).
 */
export function buildReminderOutboxMessages(incident: Incident, timeZone: string, now: Date): OutboxMessage[] {
  const reminder = incident.plannerReminder;
  if (!reminder) return [];
  const due = wallClockToIso(reminder.date, reminder.time, timeZone);
  if (!due) return [];
  const at = new Date(due).getTime() < now.getTime() ? now.toISOString() : due;
  const who = oneLine(incident.raisedBy.name);
  const content = {
    subject: `Keepsafe reminder for ${who}: ${incident.reference}`.slice(0, 200),
    preview: `${who}, your Keepsafe reminder for record ${incident.reference} is due. Open Keepsafe to see it.`.slice(0, 150),
    deepLinkSubEntityId: `incident:${incident.id}`,
    urgent: false,
  };
  const about = { schoolId: incident.schoolId, pupilId: incident.pupilId, incidentId: incident.id, reminder: true as const };
  return outboxMessages(`reminder:${incident.id}`, about, [incident.raisedBy.staffId], content, at);
}
