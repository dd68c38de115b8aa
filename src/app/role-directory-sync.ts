/**
 * The role directory sync (issue 7): with KEEPSAFE_ROLE_SOURCE naming app-roles or groups, each
 * school's staff roles are read from Microsoft Graph at start-up and every few minutes, so the doors
 * with no token (alert routing, tag approval, jobs, the bot) act on the tenant's roles.
 *
 * - App roles: the assignments of Keepsafe's service principal; a group assigned an app role gives
 *   it to its direct members, as Entra does. Groups: the transitive members of each mapped group.
 * - Each listed member of staff gets the role by the same rule as a token (policy/role-claims.ts).
 * - One instance at a time: a lease in the store, as the watch jobs claim their watches.
 * - If Graph cannot be read, or answers with something unsafe, every school keeps its last good
 *   directory and a structured warning says why (ids, codes and counts only).
 */
import { randomUUID } from "node:crypto";
import { rolesFromDirectory, type RoleClaimSettings } from "../domain/policy/index.js";
import { mergeSynced } from "../domain/role-directory.js";
import type { Clock } from "../ports/clock.js";
import type { EntraDirectoryReader } from "../ports/entra-directory.js";
import type { RoleDirectoryStore } from "../ports/role-directory-store.js";
import type { SchoolStore } from "../ports/school-store.js";
import { roleDirectoryLog as log, type RoleDirectories } from "./role-directories.js";
import { RepeatingRun } from "./repeating-run.js";

export const SYNC_FAILED = "role_directory.sync_failed";
export const DEFAULT_ROLE_SYNC_MINUTES = 15;
const LEASE = "role-directory-sync";
/** Far longer than a sync takes; a holder that dies mid-sync frees the lease after this. */
const LEASE_MS = 5 * 60_000;

export type RoleSyncOutcome =
  | { outcome: "synced"; schools: { schoolId: string; version: number; staff: number }[] }
  | { outcome: "leased-elsewhere" }
  | { outcome: "failed"; reason: string };

export interface RoleDirectorySyncDeps {
  settings: RoleClaimSettings;
  reader: EntraDirectoryReader;
  /** staff.csv's lists as imported: who works here (never the directory's roles). */
  schools: Pick<SchoolStore, "listSchools" | "listStaff">;
  directories: RoleDirectories;
  leases: Pick<RoleDirectoryStore, "claimLease" | "releaseLease">;
  clock: Clock;
}

export class RoleDirectorySync {
  private readonly holder = `role-sync:${randomUUID()}`;
  private chain: Promise<unknown> = Promise.resolve();
  private readonly repeat = new RepeatingRun(
    () => this.runOnce(),
    (e) => log.warn({ event: SYNC_FAILED, err: e instanceof Error ? e.name : "unknown" }, "role directory sync failed; will retry"),
  );

  constructor(private readonly deps: RoleDirectorySyncDeps) {}

  /** One sync now, after any this process is already running. */
  runOnce(): Promise<RoleSyncOutcome> {
    const run = this.chain.then(() => this.sync());
    this.chain = run.catch(() => undefined);
    return run;
  }

  /** Syncs at once, then every `intervalMs`. */
  start(intervalMs: number): void {
    this.repeat.start(intervalMs, { atOnce: true });
  }

  /** Waits for the timer's run and for any sync asked for directly. */
  async stop(): Promise<void> {
    await this.repeat.stop();
    await this.chain;
  }

  private async sync(): Promise<RoleSyncOutcome> {
    const now = this.deps.clock.now();
    const until = new Date(now.getTime() + LEASE_MS).toISOString();
    if (!(await this.deps.leases.claimLease(LEASE, this.holder, now.toISOString(), until))) return { outcome: "leased-elsewhere" };
    try {
      const readAt = now.toISOString();
      let facts: Awaited<ReturnType<RoleDirectorySync["readFacts"]>>;
      try {
        facts = await this.readFacts();
      } catch (e) {
        return await this.keepLastGood(e);
      }
      const schools = [];
      for (const school of await this.deps.schools.listSchools()) {
        const staffIds = (await this.deps.schools.listStaff(school.id)).filter((s) => s.active).map((s) => s.id);
        const roles = rolesFromDirectory(this.deps.settings, staffIds, facts);
        const written = await this.deps.directories.update(school.id, (prev) =>
          mergeSynced(prev, school.id, roles, readAt, this.deps.clock.now().toISOString()),
        );
        schools.push({ schoolId: school.id, version: written?.version ?? 0, staff: staffIds.length });
        log.info(
          { event: "role_directory.synced", schoolId: school.id, version: written?.version, staff: staffIds.length },
          "role directory synced from Entra",
        );
      }
      return { outcome: "synced", schools };
    } finally {
      await this.deps.leases.releaseLease(LEASE, this.holder, this.deps.clock.now().toISOString()).catch(() => undefined);
    }
  }

  /** Who holds which app role values and mapped groups, keyed by lower-case object id. */
  private async readFacts() {
    const { settings, reader } = this.deps;
    const appRoles = new Map<string, string[]>();
    const groups = new Map<string, string[]>();
    const add = (into: Map<string, string[]>, id: string, value: string) => {
      const key = id.toLowerCase();
      into.set(key, [...(into.get(key) ?? []), value]);
    };
    if (settings.sources.has("app-roles")) {
      for (const holder of await reader.appRoleHolders()) {
        if (holder.principalType === "User") add(appRoles, holder.principalId, holder.value);
        // Entra gives a group's app role to its direct members only.
        else for (const member of await reader.groupUserIds(holder.principalId, { transitive: false })) add(appRoles, member, holder.value);
      }
    }
    if (settings.sources.has("groups")) {
      for (const groupId of settings.groups.keys()) {
        for (const member of await reader.groupUserIds(groupId, { transitive: true })) add(groups, member, groupId);
      }
    }
    return { appRoles, groups };
  }

  private async keepLastGood(e: unknown): Promise<RoleSyncOutcome> {
    const reason = e instanceof Error ? e.message : "unknown";
    const schools = await this.deps.schools.listSchools();
    const kept = await Promise.all(schools.map(async (s) => ({ schoolId: s.id, version: (await this.deps.directories.current(s.id))?.version })));
    const neverSynced = kept.filter((k) => k.version === undefined).map((k) => k.schoolId);
    log.warn(
      { event: SYNC_FAILED, err: e instanceof Error ? e.name : "unknown", reason, kept, neverSynced },
      neverSynced.length
        ? "role directory sync could not read Entra, and some schools were never synced: their DSL alerts go to staff.csv's DSLs until a sync succeeds"
        : "role directory sync could not read Entra: each school keeps its last good directory",
    );
    return { outcome: "failed", reason };
  }
}
