export interface StoredFile {
  id: string;
  contentType: string;
  size: number;
}

/**
 * Which stored record an upload is for, written on the upload right before the batch that stores
 * the record (file-claims.ts). The record itself is the truth: the orphan clean-up reads it with a
 * point read in the pupil's partition, so a claim whose batch never landed keeps nothing for long.
 */
export interface FileClaim {
  record: "incident" | "case-entry";
  pupilId: string;
  recordId: string;
  /** When the claim was written, by Keepsafe's clock. */
  claimedAt: string;
}

/** One stored blob as the orphan clean-up sees it (orphan-upload-job.ts): no content, no name. */
export interface ListedFile {
  key: string;
  /** When Keepsafe stored it, by Keepsafe's clock (the blob's own time when it was stored before that was kept). */
  uploadedAt: Date;
  /** A stored record was found to hold it: it is never a clean-up candidate again. */
  referenced: boolean;
  /** Changes with every write to the file (a claim, a mark): a delete made on an older version does nothing. */
  version: string;
  /**
   * Stored since uploads carry their claims: no claim means no record was ever stored with it.
   * False for a file stored before then, whose holder only a search of the records can find.
   */
  claimsKept: boolean;
  /** The latest claim on it, if any. */
  claim?: FileClaim;
}

/** Evidence files (letters, scanned forms, photos) in blob storage. */
export interface FileStore {
  /** `uploadedAt` (ISO, Keepsafe's clock) is kept with the file so its age is measured on the same clock as the records. */
  put(key: string, content: Buffer, contentType: string, uploadedAt?: string): Promise<void>;
  get(key: string): Promise<{ content: Buffer; contentType: string } | undefined>;
  ping(): Promise<boolean>;
  /** Every stored file, page by page. */
  list(): AsyncIterable<ListedFile>;
  /** Writes the claim on the file; false when the file is no longer stored (the claim is then not written). */
  claim(key: string, claim: FileClaim): Promise<boolean>;
  /** Notes that a stored record holds the file, so later clean-ups pass it by. */
  markReferenced(key: string): Promise<void>;
  /**
   * Deletes the file; a file already gone is fine. Given the `version` it was listed with, deletes
   * only that version: false (nothing deleted) when it was written since, e.g. claimed.
   */
  delete(key: string, version?: string): Promise<boolean>;
}
