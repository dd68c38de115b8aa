/** What the alert-dispatcher tests share: a school's staff, an incident with its outbox, and what Graph got for it. */
import assert from "node:assert/strict";
import { buildAlertContent, buildOutboxMessages } from "../../../src/app/alert-content.js";
import type { Incident } from "../../../src/domain/incident.js";
import type { StaffMember } from "../../../src/domain/school.js";
import type { GraphSandbox, RecordedGraphRequest } from "../../../src/local/graph-sandbox/index.js";
import type { NewIncidentWrite, RecordStore } from "../../../src/ports/record-store.js";

export const SCHOOL = "school-dispatch";
export const TEAMS_APP_ID = "0f5e1c1e-7d0e-4c55-9a53-5b0c7c2f9e11";
export const MAILBOX = "keepsafe-alerts@school.example";
export const PUPIL_NAME = "Jamie Brookes";
export const ACCOUNT = `${PUPIL_NAME} told me at breaktime that his stepfather locked him outside overnight without shoes.`;

export const staff: StaffMember[] = [
  { id: "staff-dsl", schoolId: SCHOOL, displayName: "Mrs Dee Lead", email: "dee.lead@school.example", role: "DSL", active: true },
  { id: "staff-ddsl", schoolId: SCHOOL, displayName: "Mr Dan Deputy", email: "dan.deputy@school.example", role: "DDSL", active: true },
  { id: "staff-gone", schoolId: SCHOOL, displayName: "Ms Left", email: "left@school.example", role: "DSL", active: false },
];

/** Controlled time: the dispatcher only knows "now" through its Clock. */
export class SteppingClock {
  constructor(private t: number) {}
  now = () => new Date(this.t);
  advance(ms: number) {
    this.t += ms;
  }
}

/** What record-incident writes for one incident: the incident, its outbox and its audit event. */
export function incidentWrite(id: string, now: string, recipients: string[], urgent = false): NewIncidentWrite {
  const incident: Incident = {
    id: `inc-${id}`,
    schoolId: SCHOOL,
    reference: `KS-${id.toUpperCase()}`,
    pupilId: `pupil-${id}`,
    linkedPupils: [],
    submissionId: `sub-${id}`,
    categoryIds: ["safeguarding"],
    subCategoryIds: ["neglect"],
    occurredAt: now,
    account: ACCOUNT,
    raisedBy: { staffId: "staff-ana", name: "Ms Ana Teacher" },
    recordedAt: now,
    alertedStaffIds: recipients,
    urgent,
    status: "active",
    source: "bot",
  };
  const outbox = buildOutboxMessages(incident, recipients, buildAlertContent(incident, ["Safeguarding"]), now);
  return {
    incident,
    alerts: [],
    outbox,
    audit: {
      id: `audit-${id}`,
      schoolId: SCHOOL,
      pupilId: incident.pupilId,
      incidentId: incident.id,
      type: "incident.recorded",
      actorStaffId: "staff-ana",
      at: now,
    },
    links: [],
  };
}

/** Records an incident with its outbox through the real RecordStore, as record-incident does. */
export async function recordIncident(records: RecordStore, id: string, now: string, recipients: string[], urgent = false): Promise<Incident> {
  const write = incidentWrite(id, now, recipients, urgent);
  const { created } = await records.createIncident(write);
  assert.equal(created, true);
  return write.incident;
}

/** Every request Graph received for the incident's alerts, repeats included. */
export const sentFor = (sandbox: GraphSandbox, i: Incident): RecordedGraphRequest[] =>
  sandbox
    .requests()
    .filter((r) =>
      r.kind === "mail"
        ? r.body.message.internetMessageHeaders?.some((h) => h.value.startsWith(`outbox:${i.id}:`))
        : r.body.topic.webUrl?.includes(encodeURIComponent(`incident:${i.id}`)),
    );
