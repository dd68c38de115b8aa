export interface StoredFile {
  id: string;
  contentType: string;
  size: number;
}

/** One stored blob as the orphan clean-up sees it (orphan-upload-job.ts): no content, no name. */
export interface ListedFile {
  key: string;
  /** When Keepsafe stored it, by Keepsafe's clock (the blob's own time when it was stored before that was kept). */
  uploadedAt: Date;
  /** A stored record was found to hold it: it is never a clean-up candidate again. */
  referenced: boolean;
}

/** Evidence files (letters, scanned forms, photos) in blob storage. */
export interface FileStore {
  /** `uploadedAt` (ISO, Keepsafe's clock) is kept with the file so its age is measured on the same clock as the records. */
  put(key: string, content: Buffer, contentType: string, uploadedAt?: string): Promise<void>;
  get(key: string): Promise<{ content: Buffer; contentType: string } | undefined>;
  ping(): Promise<boolean>;
  /** Every stored file, page by page. */
  list(): AsyncIterable<ListedFile>;
  /** Notes that a stored record holds the file, so later clean-ups pass it by. */
  markReferenced(key: string): Promise<void>;
  /** Deletes the file; a file already gone is fine. */
  delete(key: string): Promise<void>;
}
