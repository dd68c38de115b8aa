import type { FileClaim } from "./file-store.js";

/** Whether a stored record (an incident, a case entry) holds a file: the orphan clean-up's check, read from the store now, never a cache. */
export interface FileReferences {
  /** True when the record the claim names is stored and holds the file under `key`: one point read in the pupil's partition. */
  holds(claim: FileClaim, key: string): Promise<boolean>;
  /**
   * True when any stored record of the school holds the file: a query across pupils, for files
   * stored before uploads carried their claims (ListedFile.claimsKept false) and for nothing else.
   */
  isReferenced(schoolId: string, key: string): Promise<boolean>;
}
