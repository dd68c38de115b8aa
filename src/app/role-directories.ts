/**
 * Each school's role directory as the app reads and changes it (domain/role-directory.ts has the
 * rules). Reads are kept for a few seconds, because every request and every staff list in Entra
 * mode asks; changes always re-read the store and write on its ETag, so two instances, or a sync
 * and a sign-in, never lose each other's change. A sign-in writes only when its token shows a role
 * the directory does not hold, so a day of ordinary sign-ins writes nothing.
 */
import { ConflictError } from "../domain/errors.js";
import type { Role } from "../domain/roles.js";
import { withTokenRole, type RoleDirectory } from "../domain/role-directory.js";
import type { RoleDirectoryStore } from "../ports/role-directory-store.js";
import { childLogger } from "../logger.js";

export const roleDirectoryLog = childLogger("role-directory");

/** No directory was ever synced for the school: alerts to DSLs go to staff.csv's DSLs meanwhile. */
export const NEVER_SYNCED = "role_directory.never_synced";

/** Long enough to spare the store on a busy morning, short enough that another instance's sync shows soon. */
const CACHE_MS = 5_000;
/** How often one school's "never synced" warning may repeat in a process. */
const WARN_EVERY_MS = 10 * 60_000;
const MAX_WRITE_ATTEMPTS = 5;

export class RoleDirectories {
  private readonly cache = new Map<string, { readAt: number; directory: RoleDirectory | undefined }>();
  private readonly warnedAt = new Map<string, number>();

  constructor(private readonly store: RoleDirectoryStore) {}

  /** The school's directory, or undefined when none was ever synced. */
  async current(schoolId: string): Promise<RoleDirectory | undefined> {
    const cached = this.cache.get(schoolId);
    if (cached && performance.now() - cached.readAt < CACHE_MS) return cached.directory;
    const directory = (await this.store.get(schoolId))?.directory;
    this.cache.set(schoolId, { readAt: performance.now(), directory });
    return directory;
  }

  /** A member of staff's role in the directory (STAFF when it lists them with none), or undefined with no directory. */
  async roleOf(schoolId: string, staffId: string): Promise<Role | undefined> {
    const directory = await this.current(schoolId);
    if (!directory) return undefined;
    return directory.entries.find((e) => e.staffId === staffId)?.role ?? "STAFF";
  }

  /**
   * Applies `change` to the stored directory and writes it on its ETag, re-reading when another
   * writer won; `change` answering undefined means nothing to write.
   */
  async update(schoolId: string, change: (current: RoleDirectory | undefined) => RoleDirectory | undefined): Promise<RoleDirectory | undefined> {
    for (let attempt = 0; attempt < MAX_WRITE_ATTEMPTS; attempt++) {
      const stored = await this.store.get(schoolId);
      const next = change(stored?.directory);
      if (!next) return stored?.directory;
      if (await this.store.put(next, stored?.etag)) {
        this.cache.set(schoolId, { readAt: performance.now(), directory: next });
        return next;
      }
    }
    throw ConflictError("The role directory kept changing while it was written; try again.");
  }

  /**
   * A role a fresh verified token showed at sign-in: the newest wins. Only into a directory that
   * exists: a first entry would make everyone else on the list STAFF until the first sync.
   */
  async noteTokenRole(schoolId: string, staffId: string, role: Role, issuedAt: string): Promise<void> {
    const known = await this.current(schoolId);
    if (!known || !withTokenRole(known, staffId, role, issuedAt)) return;
    const written = await this.update(schoolId, (d) => d && withTokenRole(d, staffId, role, issuedAt));
    roleDirectoryLog.info(
      { event: "role_directory.token_role", schoolId, staffId, role, version: written?.version },
      "a sign-in updated the role directory",
    );
  }

  /** Says plainly, now and then, that a school's roles fall back to staff.csv for want of a sync. */
  warnNeverSynced(schoolId: string): void {
    const last = this.warnedAt.get(schoolId);
    if (last !== undefined && performance.now() - last < WARN_EVERY_MS) return;
    this.warnedAt.set(schoolId, performance.now());
    roleDirectoryLog.warn(
      { event: NEVER_SYNCED, schoolId },
      "no role directory has been synced from Entra yet: alerts to DSLs, tag approvals and jobs use staff.csv's roles until the first sync succeeds",
    );
  }
}
