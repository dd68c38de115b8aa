/**
 * Case entries (referrals and their outcomes, decisions not to refer, meetings, calls, disclosures,
 * documents) as entries of an exported chronology, in words, each with its full text: a conference
 * reads the referral and what came of it alongside the concerns. A document is listed (its name,
 * type, who uploaded it and when), never its content: the file is downloaded on its own, audited.
 */
import { CASE_ENTRY_LABELS, type CaseEntry } from "../domain/case-entries.js";
import type { IncidentFile } from "../domain/incident.js";
import { fileTypeLabel } from "../domain/files.js";
import type { ChronologyDocumentEntry } from "../ports/chronology-document.js";

const fileLine = (f: IncidentFile, when: (iso: string) => string) =>
  `File: ${f.name} (${fileTypeLabel(f.contentType)}), uploaded by ${f.uploadedBy.name} on ${when(f.uploadedAt)}.`;

function detailLines(e: CaseEntry, when: (iso: string) => string): string[] {
  switch (e.kind) {
    case "referral":
      return [
        `Agency: ${e.agencyName}. Contact: ${e.contact}.`,
        `Response expected within ${e.expectedResponseDays} school days, by ${e.dueDate}.`,
        ...(e.notes ? [e.notes] : []),
      ];
    case "referral-outcome":
      return [e.outcome];
    case "no-referral":
      return [...(e.agencyName ? [`Agency considered: ${e.agencyName}.`] : []), `Reason: ${e.reason}`];
    case "meeting":
      return [`Type: ${e.meetingType}.`, `Attendees: ${e.attendees}.`, e.notes, ...(e.file ? [fileLine(e.file, when)] : [])];
    case "phone-call":
      return [`${e.direction === "in" ? "Call received from" : "Call made to"} ${e.who}.`, e.notes];
    case "disclosure":
      return [`Shared with: ${e.to}.`, `On the authority of: ${e.authority}.`, e.what];
    case "document":
      return [`${e.documentType}: ${e.title}.`, fileLine(e.file, when), ...(e.note ? [e.note] : [])];
  }
}

export function caseEntryDocumentEntry(e: CaseEntry, when: (iso: string) => string): ChronologyDocumentEntry {
  return {
    heading: `${when(e.occurredAt)} · ${CASE_ENTRY_LABELS[e.kind]}`,
    lines: [`Recorded by ${e.by.name} on ${when(e.recordedAt)}.`, ...detailLines(e, when)],
    actions: [],
  };
}
