/**
 * Early warning's promise to look (issue 9): a concern's batch also stores a check naming its
 * pupil, so a crash between the concern being stored and the rules being looked at (which happens
 * off the response's path) is caught by the check job a minute later, not only at the pupil's
 * next concern. The in-process evaluation clears the check when it is done; evaluation is
 * idempotent (one firing per episode), so a check looked at twice still alerts once.
 */
import type { Incident } from "./incident.js";

/** Long enough for the in-process evaluation to finish and clear it first in the normal case. */
export const EARLY_WARNING_CHECK_AFTER_MS = 60_000;

export interface EarlyWarningCheck {
  /** The concern's id: one check per concern, so clearing one never clears another's. */
  id: string;
  schoolId: string;
  pupilId: string;
  /** When the job may look at it, if it is still there. */
  dueAt: string;
}

export function earlyWarningCheckFor(incident: Pick<Incident, "id" | "schoolId" | "pupilId" | "recordedAt">): EarlyWarningCheck {
  return {
    id: incident.id,
    schoolId: incident.schoolId,
    pupilId: incident.pupilId,
    dueAt: new Date(Date.parse(incident.recordedAt) + EARLY_WARNING_CHECK_AFTER_MS).toISOString(),
  };
}
