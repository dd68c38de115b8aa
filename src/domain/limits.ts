/** Limits shared by the server, the cards and the tab, defined once. */
export const LIMITS = {
  /** Chronology rows come a page of entries at a time; a page holds at most this many. */
  chronologyPageDefault: 100,
  chronologyPageMax: 200,
  /** A continuation is Cosmos DB's token wrapped; longer than this is not one of ours. */
  continuationMaxLength: 8_000,
  accountMaxLength: 10_000,
  accountMinLength: 10,
  actionMaxLength: 5_000,
  locationMaxLength: 120,
  /** Rows for linked pupils on the form (others involved, victims, witnesses). */
  linkedPupilsMax: 5,
  agencyMaxLength: 200,
  categoryTextMaxLength: 1_000,
  plannerNoteMaxLength: 500,
  /** A DSL's note on reviewing an early warning (what was looked at, what was decided). */
  earlyWarningNoteMaxLength: 2_000,
  allegationStaffMax: 10,
  pupilSearchMaxResults: 15,
  pupilSearchMinQuery: 1,
  /** "My concerns" shows this many, newest first, and says when there are more. */
  myConcernsMax: 100,
  /** An audit trail shows (and exports) this many events, newest first, and says when there are more. */
  auditTrailMax: 2_000,
  filesPerRecord: 10,
  fileMaxBytes: 40 * 1024 * 1024,
  // Each recipient costs three writes in the incident's single transactional batch (100 operations at most).
  alertRecipientsMax: 30,
} as const;
