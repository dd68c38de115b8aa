/** What the tab and the bot are shown: records joined with names, already filtered by the policy. */
import type { PupilPart, StaffRef } from "../domain/incident.js";
import type { PupilSummary } from "./pupil-index.js";
import type { CategoryField } from "../domain/categories.js";

export interface ChronologyRow {
  kind: "incident" | "action";
  incidentId: string;
  reference: string;
  part: PupilPart;
  occurredAt: string;
  recordedAt: string;
  categoryIds: string[];
  categoryNames: string[];
  raisedBy: StaffRef;
  summary: string;
  status: "active" | "closed";
  unacknowledgedAlerts: number;
}

export interface ChronologyView {
  pupil: PupilSummary & { dateOfBirth: string };
  entries: ChronologyRow[];
}

export interface IncidentView {
  incident: {
    id: string;
    reference: string;
    pupilId: string;
    occurredAt: string;
    recordedAt: string;
    session?: string;
    location?: string;
    account: string;
    categoryIds: string[];
    categoryNames: string[];
    subCategoryNames: string[];
    raisedBy: StaffRef;
    status: "active" | "closed";
    urgent: boolean;
    source: string;
    linkedPupils: { pupilId: string; displayName: string; part: PupilPart }[];
  };
  pupil: PupilSummary;
  alerts: { staffId: string; name: string; acknowledgedAt?: string }[];
  myAlert?: { acknowledgedAt?: string };
}

export interface FormOptions {
  categories: {
    id: string;
    name: string;
    guidance?: string;
    subCategories: { id: string; name: string }[];
    /** Safeguarding categories: a non-DSL choosing one is asked whether they told a DSL in person. */
    protected?: boolean;
    /** The category's own fields (multi-selects and text), shown when it is chosen. */
    fields?: CategoryField[];
  }[];
  staff: { id: string; name: string; role: string }[];
  alertGroups: { id: string; name: string }[];
  locations: string[];
  sessions: { id: string; label: string }[];
  timeZone: string;
  now: string;
}

export interface MeView {
  staffId: string;
  name: string;
  role: string;
  mfa: boolean;
  school: { id: string; name: string };
}
