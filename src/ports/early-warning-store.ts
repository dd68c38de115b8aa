import type { AuditEvent, OutboxMessage } from "../domain/incident.js";
import type { EarlyWarningFiring, EarlyWarningReview } from "../domain/early-warning.js";
import type { EarlyWarningCheck } from "../domain/early-warning-check.js";

/**
 * Early-warning firings and their reviews, in the pupil's partition of the records container.
 * Neither is ever changed: a firing is open until a review with its id exists.
 */
export interface EarlyWarningStore {
  /** The firing, its audit event and its alerts in one batch; `created: false` when that episode's firing exists (409). */
  recordFiring(firing: EarlyWarningFiring, audit: AuditEvent, outbox: OutboxMessage[]): Promise<{ created: boolean }>;
  /** The review and its audit event in one batch; `created: false` when the firing was already reviewed. */
  recordReview(review: EarlyWarningReview, audit: AuditEvent): Promise<{ created: boolean }>;
  firingsForPupil(pupilId: string): Promise<{ firings: EarlyWarningFiring[]; reviews: EarlyWarningReview[] }>;
  /** A school's firings with no review, newest first, at most `limit`. */
  openFirings(schoolId: string, limit: number): Promise<EarlyWarningFiring[]>;
  /** A school's reviewed firings with their reviews, most recently reviewed first, at most `limit`. */
  reviewedFirings(schoolId: string, limit: number): Promise<{ firing: EarlyWarningFiring; review: EarlyWarningReview }[]>;
  /** Checks still there at `now` (their concern's evaluation never finished), oldest first, at most `limit`. */
  dueChecks(now: string, limit: number): Promise<EarlyWarningCheck[]>;
  /** Removes a check and its due entry once its pupil was evaluated; a check already gone is fine. */
  clearCheck(check: EarlyWarningCheck): Promise<void>;
  /** Pupils with concerns recorded since `since` and no check waiting, with how many (early-warning-backfill.ts). */
  backfillCandidates(schoolId: string, since: string): Promise<{ pupilId: string; concerns: number }[]>;
  /** Whether the backfill ran to its end on this store; marked once it has. */
  backfillDone(): Promise<boolean>;
  markBackfillDone(at: string): Promise<void>;
}
