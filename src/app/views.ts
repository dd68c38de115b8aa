/** What the tab and the bot are shown: records joined with names, already filtered by the policy. */
import type { ActionKind, PupilPart, StaffRef } from "../domain/incident.js";
import type { PupilSummary } from "./pupil-index.js";
import type { CategoryField } from "../domain/categories.js";
import type { BodyMapMark } from "../domain/body-map.js";

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
  /** On `kind: "action"` rows: the action, its kind, and its date (occurredAt) and author (raisedBy). */
  actionId?: string;
  actionKind?: ActionKind;
}

/** An action on an incident as its readers see it (only those tagged, its author and DSLs). */
export interface ActionView {
  id: string;
  kind: ActionKind;
  text: string;
  occurredAt: string;
  recordedAt: string;
  recordedBy: StaffRef;
  taggedStaffIds: string[];
  taggedNames: string[];
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
    linkedPupils: { pupilId: string; displayName: string; part: PupilPart; partLabel: string }[];
    /** Everything else the form recorded, already in words (IncidentDetailFields). */
  } & IncidentDetailFields;
  pupil: PupilSummary;
  alerts: { staffId: string; name: string; acknowledgedAt?: string }[];
  myAlert?: { acknowledgedAt?: string };
  /** Actions the reader may see, oldest first by occurredAt. */
  actions: ActionView[];
}

/** The rest of an incident as the form recorded it, joined with names and labels for reading. */
export interface IncidentDetailFields {
  /** "Monday" etc., in the school's zone. */
  dayOfWeek?: string;
  sessionLabel?: string;
  /** Each chosen sub-category with the category it belongs to. */
  subCategories: { categoryName: string; name: string }[];
  /** A category's own fields, e.g. {label: "De-escalation strategies used", value: "Calm talking, Distraction"}. */
  categoryFields: { categoryName: string; label: string; value: string }[];
  disclosure: boolean;
  /** Asked of non-DSLs raising a disclosure or a protected category; absent when not asked. */
  toldDslInPerson?: boolean;
  /** Only for DSL-level readers; the named adults never get this far (the policy refuses them). */
  allegation?: { note: string };
  assignedTo?: StaffRef;
  agencyInvolved?: string;
  plannerReminder?: { date: string; time: string; note: string };
  /** Recorded from a Teams message (the message extension). */
  origin?: { kind: "teams-message"; sender?: string; sentAt?: string };
  /** The tab draws it with renderBodyMapSvg, the drawing the body map dialog uses. */
  bodyMap?: { marks: BodyMapMark[]; recordedAt: string };
  files: { fileId: string; name: string; contentType: string; typeLabel: string; size: number; uploadedBy: StaffRef; writtenBy?: string; uploadedAt: string; downloadUrl: string }[];
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

/**
 * What the alert card in Teams chat shows its recipient: who raised the concern and its categories,
 * never the pupil or the account (a chat preview or a shared screen may show it).
 */
export interface AlertCardView {
  incidentId: string;
  raisedByName: string;
  categoryNames: string[];
  urgent: boolean;
  /** When this recipient marked it read, if they have. */
  acknowledgedAt?: string;
  timeZone: string;
}
