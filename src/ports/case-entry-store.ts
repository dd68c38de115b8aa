import type { AuditEvent, OutboxMessage } from "../domain/incident.js";
import type { CaseEntry, Referral, ReferralOutcome } from "../domain/case-entries.js";
import type { ReferralWatch } from "../domain/referral-watch.js";

/**
 * Chronology entries that are not concerns (src/domain/case-entries.ts), stored in the pupil's
 * partition of the records container with their audit event, and the referral watches the overdue
 * job runs from. There is deliberately no way to change or delete an entry.
 */
export interface CaseEntryStore {
  /**
   * Stores the entry and its audit event atomically, with the referral's watch when given (opened
   * with a referral, closed with its outcome). `created: false` when an entry with that id exists:
   * nothing was written (a second outcome, or a retried form).
   */
  addCaseEntry(entry: CaseEntry, audit: AuditEvent, watch?: ReferralWatch): Promise<{ created: boolean }>;
  getCaseEntry(pupilId: string, id: string): Promise<CaseEntry | undefined>;
  /** The outcomes recorded for these referrals of a pupil, in one query. */
  outcomesFor(pupilId: string, referralIds: string[]): Promise<ReferralOutcome[]>;
  /**
   * A school's referrals made in [from, until) (instants), and the outcomes of those referrals
   * whenever recorded: one query each, for the reports' referral timeliness.
   */
  referralsForSchool(schoolId: string, from: string, until: string): Promise<{ referrals: Referral[]; outcomes: ReferralOutcome[] }>;
  /** All of a pupil's case entries, oldest first (for the chronology PDF). */
  caseEntriesForPupil(pupilId: string): Promise<CaseEntry[]>;
  /** Open watches whose next alert is due at `now`, across schools, oldest first. */
  dueReferralWatches(now: string, limit: number): Promise<ReferralWatch[]>;
  /**
   * Moves a watch on (ETag of the copy read) and writes the alerts and their audit event in one
   * batch. False when another runner or the outcome changed it first: nothing was written.
   */
  claimReferralWatch(read: ReferralWatch, next: ReferralWatch, outbox: OutboxMessage[], audit?: AuditEvent): Promise<boolean>;
}
