// The labels of the case-entry forms' inputs, by the names the server gives their problems, and
// the forms' problems: each beside its input (At) and summarised at the top by that label.
import { ApiError } from "../api-client.js";
import { errorsFrom, type FieldErrors } from "../concern-form.js";
import { ErrorBar } from "./error-bar.js";
import { ErrorSummary } from "./error-summary.js";

/** Shown on the inputs (with "(optional)" where it is) and named so in the summary. */
export const CASE_ENTRY_FIELD_LABELS = {
  occurredAt: "When",
  agencyId: "Agency",
  contact: "Contact (name, team or number)",
  notes: "Notes",
  reason: "Why it was decided not to refer",
  meetingType: "Type of meeting",
  attendees: "Attendees",
  who: "Who the call was with",
  direction: "Direction",
  what: "What was shared",
  to: "Shared with",
  authority: "On whose authority",
  title: "Title",
  documentType: "Type of document",
  note: "Note",
  fileId: "The document",
} as const;

export const OUTCOME_FIELD_LABELS = { occurredAt: "When the answer came", outcome: "Outcome" } as const;

/** The server's problems by field, for the inputs to show beside them (none without an answer). */
export const fieldErrorsOf = (error?: Error): FieldErrors => errorsFrom(error instanceof ApiError ? error.fields : []);

/** The problems of a save: by label, with focus moved to the first; a problem with no field as an error bar. */
export function CaseEntryProblems({ error, labels }: { error?: Error; labels: Record<string, string> }) {
  if (!error) return null;
  const fields = error instanceof ApiError ? error.fields : [];
  if (!fields.length) return <ErrorBar error={error} />;
  // A Map: the server's field names are looked up, never used as keys into an object.
  const labelOf = new Map(Object.entries(labels));
  return <ErrorSummary problems={fields.map((f) => ({ ...f, label: labelOf.get(f.field) }))} attempt={error} testId="case-entry-errors" />;
}
