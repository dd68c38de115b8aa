/**
 * Entries on a pupil's chronology that are not concerns (domain.md, "The chronology"): a referral
 * to an agency and later its outcome, a decision not to refer, a meeting, a phone call,
 * information disclosed to an agency, and a document put on the pupil's file. Each is its own immutable document in the pupil's partition,
 * written once with its audit event; a referral's outcome is a further document, never an edit.
 */
import type { IncidentFile, StaffRef } from "./incident.js";

export const CASE_ENTRY_KINDS = ["referral", "referral-outcome", "no-referral", "meeting", "phone-call", "disclosure", "document"] as const;
export type CaseEntryKind = (typeof CASE_ENTRY_KINDS)[number];

/** The kinds a DSL adds from "Add to chronology"; an outcome is recorded on its referral. */
export const NEW_CASE_ENTRY_KINDS = ["referral", "no-referral", "meeting", "phone-call", "disclosure", "document"] as const;

export const CASE_ENTRY_LABELS: Record<CaseEntryKind, string> = {
  referral: "Referral",
  "referral-outcome": "Referral outcome",
  "no-referral": "Decision not to refer",
  meeting: "Meeting",
  "phone-call": "Phone call",
  disclosure: "Information disclosed",
  document: "Document",
};

/**
 * What a document on a pupil's file is: the school edits the list in its setup; this is what a new
 * school starts from, "Other" for the rest (its title says what). An entry keeps the type's label it
 * was stored with, so a type the school later removes still reads on its old documents.
 */
export const DEFAULT_DOCUMENT_TYPES: readonly string[] = [
  "Letter from social care",
  "Child protection conference minutes",
  "Core group minutes",
  "Report",
  "Other",
];

export const documentTypesOf = (school: { documentTypes?: string[] }): readonly string[] =>
  school.documentTypes?.length ? school.documentTypes : DEFAULT_DOCUMENT_TYPES;

export const MEETING_TYPES = [
  "Child protection conference",
  "Core group",
  "Child in need meeting",
  "Team around the family",
  "Strategy meeting",
  "Parents / carers",
  "Other",
] as const;
export const CALL_DIRECTIONS = ["in", "out"] as const;

interface Base {
  id: string;
  schoolId: string;
  /** The partition: the pupil whose chronology the entry is on. */
  pupilId: string;
  /** When it happened (the referral's date, the meeting's, the call's); the chronology is ordered by it. */
  occurredAt: string;
  recordedAt: string;
  by: StaffRef;
}

export interface ReferralAgencyRef {
  agencyId: string;
  agencyName: string;
}

export type CaseEntry = Base &
  (
    | ({ kind: "referral"; contact: string; notes?: string; expectedResponseDays: number; dueDate: string } & ReferralAgencyRef)
    | { kind: "referral-outcome"; referralId: string; outcome: string }
    | ({ kind: "no-referral"; reason: string } & Partial<ReferralAgencyRef>)
    | { kind: "meeting"; meetingType: string; attendees: string; notes: string; file?: IncidentFile }
    | { kind: "phone-call"; who: string; direction: (typeof CALL_DIRECTIONS)[number]; notes: string }
    | { kind: "disclosure"; what: string; to: string; authority: string }
    /** occurredAt is the document's own date; the file says who uploaded it and when. */
    | { kind: "document"; title: string; documentType: string; note?: string; file: IncidentFile }
  );

/** The file an entry carries (a document's, or a meeting's minutes), if any. */
export const fileOfCaseEntry = (e: CaseEntry): IncidentFile | undefined => (e.kind === "document" || e.kind === "meeting" ? e.file : undefined);

export type Referral = Extract<CaseEntry, { kind: "referral" }>;
export type ReferralOutcome = Extract<CaseEntry, { kind: "referral-outcome" }>;

/** One outcome per referral: its id follows from the referral, so a second (or a stale form) collides. */
export const outcomeIdFor = (referralId: string) => `${referralId}:outcome`;

/** The chronology line of an entry, in the school's words; the full text stays on the entry. */
export function caseEntrySummary(e: CaseEntry): string {
  switch (e.kind) {
    case "referral":
      return `Referred to ${e.agencyName}; contact ${e.contact}.${e.notes ? ` ${e.notes}` : ""}`;
    case "referral-outcome":
      return `Outcome: ${e.outcome}`;
    case "no-referral":
      return `Decided not to refer${e.agencyName ? ` to ${e.agencyName}` : ""}. Reason: ${e.reason}`;
    case "meeting":
      return `${e.meetingType}. Attendees: ${e.attendees}. ${e.notes}${e.file ? ` Document: ${e.file.name}` : ""}`;
    case "phone-call":
      return `${e.direction === "in" ? "Call from" : "Call to"} ${e.who}. ${e.notes}`;
    case "disclosure":
      return `Disclosed to ${e.to}: ${e.what} (on the authority of ${e.authority})`;
    case "document":
      return `${e.documentType}: ${e.title}.${e.note ? ` ${e.note}` : ""}`;
  }
}

/**
 * A school's referral agencies and how many school days each is expected to take to answer. The
 * school edits the list in its setup; this is what a new school starts from.
 */
export interface ReferralAgency {
  id: string;
  name: string;
  responseDays: number;
}

export const DEFAULT_REFERRAL_AGENCIES: readonly ReferralAgency[] = [
  { id: "social-care", name: "Children's social care / MASH", responseDays: 1 },
  { id: "police", name: "Police", responseDays: 1 },
  { id: "camhs", name: "CAMHS / NHS", responseDays: 20 },
  { id: "early-help", name: "Early help", responseDays: 10 },
  { id: "lado", name: "LADO", responseDays: 1 },
  { id: "other", name: "Other", responseDays: 10 },
];

export const referralAgenciesOf = (school: { referralAgencies?: ReferralAgency[] }): readonly ReferralAgency[] =>
  school.referralAgencies?.length ? school.referralAgencies : DEFAULT_REFERRAL_AGENCIES;
