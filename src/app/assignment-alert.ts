/**
 * The alert that a record was assigned (or re-assigned) to someone: content-free like every alert,
 * saying only who assigned it and the record's reference is in Keepsafe; never the pupil, the
 * categories or any words of the record. Sent through the outbox with the change that made it.
 */
import type { OutboxMessage } from "../domain/incident.js";
import type { IncidentChange } from "../domain/incident-changes.js";
import { outboxMessages } from "./alert-content.js";

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
  const about = { schoolId: change.schoolId, pupilId: change.pupilId, incidentId: change.incidentId, changeId: change.id, assignment: reassigned ? "reassigned" as const : "assigned" as const };
  return outboxMessages(`change:${change.id}`, about, recipients, content, change.at);
}
