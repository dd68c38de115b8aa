import { createHash } from "node:crypto";

const hash = (...parts: string[]) => createHash("sha256").update(parts.join("\u0000")).digest();

/** The incident id follows from the form instance, so a retried or double-clicked submit finds the same record. */
export const incidentIdFor = (schoolId: string, submissionId: string) => `inc-${hash(schoolId, submissionId).toString("hex").slice(0, 24)}`;

const REFERENCE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"; // no 0/O or 1/I: staff read these aloud

/** A short reference staff can quote on the phone; derived, so it needs no counter. */
export function referenceFor(incidentId: string): string {
  const bytes = hash("reference", incidentId);
  let out = "";
  for (let i = 0; i < 7; i++) out += REFERENCE_ALPHABET[bytes[i] % REFERENCE_ALPHABET.length];
  return `KS-${out}`;
}

export const pupilIdFor = (schoolId: string, upn: string) => `pupil-${hash(schoolId, upn.trim().toUpperCase()).toString("hex").slice(0, 20)}`;
