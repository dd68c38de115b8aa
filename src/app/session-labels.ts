/** The school day's sessions in the words staff use, for the form's choices and a record's details. */
import type { Session } from "../domain/school.js";

export const SESSION_LABELS: Record<Session, string> = {
  "before-school": "Before school",
  morning: "Morning",
  lunch: "Lunchtime",
  afternoon: "Afternoon",
  "after-school": "After school",
  "outside-school": "Outside school hours",
};

/** A stored session's label; one the labels no longer know is shown as stored. */
export const sessionLabel = (session: string): string => SESSION_LABELS[session as Session] ?? session;
