/**
 * The role directory (issue 7): when a school's roles come from Entra, each school keeps the roles
 * its tenant last gave its staff, so doors with no token to read (alert routing, tag approval, the
 * jobs, the bot) act on the tenant's roles rather than staff.csv's. Each entry says when it was
 * true and where it came from; the newest wins, whether a sync read it from Microsoft Graph or a
 * fresh verified token showed it at sign-in. staff.csv still decides who works here: a staff id
 * not on the school's list is never given an entry.
 */
import type { Role } from "./roles.js";

export type DirectoryRoleSource = "sync" | "token";

export interface DirectoryRoleEntry {
  staffId: string;
  role: Role;
  /** When this role was known to be the tenant's: the sync's Graph read, or the token's issue time (ISO). */
  at: string;
  from: DirectoryRoleSource;
}

export interface RoleDirectory {
  schoolId: string;
  /** Goes up by one with every change, so a reader can tell two directories apart. */
  version: number;
  /** When the last successful sync finished (ISO). */
  syncedAt: string;
  entries: DirectoryRoleEntry[];
}

/**
 * A sync's result merged into the directory: every member of staff on the list gets the role the
 * sync read at `readAt`, unless a token issued after that read showed another (newest wins).
 */
export function mergeSynced(
  previous: RoleDirectory | undefined,
  schoolId: string,
  synced: ReadonlyMap<string, Role>,
  readAt: string,
  syncedAt: string,
): RoleDirectory {
  const before = new Map((previous?.entries ?? []).map((e) => [e.staffId, e]));
  const entries: DirectoryRoleEntry[] = [];
  for (const [staffId, role] of synced) {
    const seen = before.get(staffId);
    entries.push(seen && seen.at > readAt ? seen : { staffId, role, at: readAt, from: "sync" });
  }
  entries.sort((a, b) => (a.staffId < b.staffId ? -1 : a.staffId > b.staffId ? 1 : 0));
  return { schoolId, version: (previous?.version ?? 0) + 1, syncedAt, entries };
}

/** The directory with a role a verified token showed, or undefined when it changes nothing (same role, or an older token). */
export function withTokenRole(directory: RoleDirectory, staffId: string, role: Role, issuedAt: string): RoleDirectory | undefined {
  const seen = directory.entries.find((e) => e.staffId === staffId);
  if (seen && (seen.at >= issuedAt || seen.role === role)) return undefined;
  const entry: DirectoryRoleEntry = { staffId, role, at: issuedAt, from: "token" };
  const entries = seen ? directory.entries.map((e) => (e === seen ? entry : e)) : [...directory.entries, entry];
  return { ...directory, version: directory.version + 1, entries };
}
