import type { RoleDirectory } from "../domain/role-directory.js";

/**
 * Each school's role directory, and the lease that lets one instance at a time sync it. Writes are
 * conditional on the ETag read, so a sync and a sign-in updating one entry never lose each other's
 * change: the loser reads again and merges (newest wins, domain/role-directory.ts).
 */
export interface RoleDirectoryStore {
  get(schoolId: string): Promise<{ directory: RoleDirectory; etag: string } | undefined>;
  /** Writes when nobody changed it since `etag` was read (no etag: only when none exists yet); false when someone did. */
  put(directory: RoleDirectory, etag: string | undefined): Promise<boolean>;
  /** Takes the named lease for `holder` until `until` (ISO) unless another holder's is live at `now`; true when taken. */
  claimLease(name: string, holder: string, now: string, until: string): Promise<boolean>;
  /** Gives the lease back early, if `holder` still has it. */
  releaseLease(name: string, holder: string, now: string): Promise<void>;
}
