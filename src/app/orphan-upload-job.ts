/**
 * Deletes orphaned uploads (issue 8): a file put up through POST /api/files for a form that was
 * never completed is reachable from nothing (a download goes through a stored record), so once it
 * is older than the set age (KEEPSAFE_ORPHAN_UPLOAD_HOURS, default 24) and no stored incident,
 * action or case entry holds it, it is deleted. A draft that still names it does not keep it.
 *
 * - What it costs (issue 10): the listing of the blobs, and for each candidate at most one point
 *   read. A form's files are claimed for its record right before the batch that stores it
 *   (file-claims.ts), so an upload with no claim was never stored with a record and is deleted
 *   with no store read at all; one with a claim is held when the record it names, read in its
 *   pupil's partition, holds it. Only files stored before claims were kept are searched for.
 * - Never a stored record's file: each delete is made on the version of the blob the listing saw,
 *   and a claim writes a new version, so a form sent between the listing and the delete keeps its
 *   file (the delete does nothing); a form sent after the delete finds its file gone and is refused
 *   (file-claims.ts). One found held is marked on the blob and is never a candidate again.
 * - A claim whose record is not stored (a crash, or a refused batch, between claim and batch) is
 *   given CLAIM_SETTLE_MS for its batch to land, then deleted as any orphan.
 * - One instance at a time: a lease in the store, like the role directory sync.
 * - Each run is audited per school as a system event with counts only, and logged with counts.
 */
import { randomUUID } from "node:crypto";
import type { AuditEvent } from "../domain/incident.js";
import { childLogger } from "../logger.js";
import type { Clock } from "../ports/clock.js";
import type { FileReferences } from "../ports/file-references.js";
import type { FileStore, ListedFile } from "../ports/file-store.js";
import type { RecordStore } from "../ports/record-store.js";
import type { RoleDirectoryStore } from "../ports/role-directory-store.js";
import { RepeatingRun } from "./repeating-run.js";

const log = childLogger("orphan-upload-job");

export const ORPHAN_CHECK_INTERVAL_MS = 60 * 60_000;
export const DEFAULT_ORPHAN_UPLOAD_HOURS = 24;
const LEASE = "orphan-upload-cleanup";
/** Far longer than a run takes; a holder that dies mid-run frees the lease after this. */
const LEASE_MS = 30 * 60_000;
/** Far longer than a claim's batch takes to follow it, retries and all. */
export const CLAIM_SETTLE_MS = 60 * 60_000;
/** An upload's key as attach-file.ts makes it: "{schoolId}/{fileId}". Anything else is not an upload. */
const UPLOAD_KEY = /^([^/]+)\/([A-Za-z0-9-]+)$/;

export interface OrphanUploadJobDeps {
  files: FileStore;
  references: FileReferences;
  records: Pick<RecordStore, "appendAudit">;
  leases: Pick<RoleDirectoryStore, "claimLease" | "releaseLease">;
  clock: Clock;
  /** How old an upload no record holds must be before it is deleted. */
  maxAgeMs: number;
}

export interface SchoolCleanup {
  schoolId: string;
  /** Uploads past the age that no record was known to hold. */
  checked: number;
  deleted: number;
  /** Found held by a stored record (marked, never checked again), or claimed and still settling or since the listing (checked again next run). */
  kept: number;
  failed: number;
}

export type OrphanCleanupOutcome = { outcome: "cleaned"; schools: SchoolCleanup[] } | { outcome: "leased-elsewhere" };

export interface OrphanRunOptions {
  /** Runs between the listing and the deletes: lets a test store a record in the race's window. */
  afterListing?: () => Promise<void>;
}

export class OrphanUploadJob {
  private readonly holder = `orphan-uploads:${randomUUID()}`;
  private readonly repeat = new RepeatingRun(
    () => this.runOnce(),
    (e) => log.warn({ err: e instanceof Error ? e.name : "unknown" }, "orphan upload clean-up failed; will retry"),
  );

  constructor(private readonly deps: OrphanUploadJobDeps) {}

  async runOnce(opts: OrphanRunOptions = {}): Promise<OrphanCleanupOutcome> {
    const started = this.deps.clock.now();
    const until = new Date(started.getTime() + LEASE_MS).toISOString();
    if (!(await this.deps.leases.claimLease(LEASE, this.holder, started.toISOString(), until))) return { outcome: "leased-elsewhere" };
    try {
      const candidates = await this.candidates(started.getTime() - this.deps.maxAgeMs);
      await opts.afterListing?.();
      const schools: SchoolCleanup[] = [];
      for (const [schoolId, keys] of candidates) schools.push(await this.cleanSchool(schoolId, keys));
      return { outcome: "cleaned", schools };
    } finally {
      await this.deps.leases.releaseLease(LEASE, this.holder, this.deps.clock.now().toISOString()).catch(() => undefined);
    }
  }

  /** Uploads older than the cutoff that no record was yet found to hold, by school. */
  private async candidates(cutoffMs: number): Promise<Map<string, ListedFile[]>> {
    const bySchool = new Map<string, ListedFile[]>();
    for await (const file of this.deps.files.list()) {
      const schoolId = isCandidate(file, cutoffMs);
      if (schoolId === undefined) continue;
      const files = bySchool.get(schoolId) ?? [];
      files.push(file);
      bySchool.set(schoolId, files);
    }
    return bySchool;
  }

  private async cleanSchool(schoolId: string, files: ListedFile[]): Promise<SchoolCleanup> {
    const counts: SchoolCleanup = { schoolId, checked: files.length, deleted: 0, kept: 0, failed: 0 };
    for (const file of files) {
      try {
        const verdict = await this.verdictOn(schoolId, file);
        if (verdict === "held") await this.deps.files.markReferenced(file.key);
        // On the listed version only: claimed since, it is kept and checked again next run.
        const deleted = verdict === "orphan" && (await this.deps.files.delete(file.key, file.version));
        if (deleted) counts.deleted++;
        else counts.kept++;
      } catch (e) {
        // One failure never stops the others; the file is a candidate again next run.
        counts.failed++;
        log.warn({ schoolId, err: e instanceof Error ? e.name : "unknown" }, "orphan upload check failed");
      }
    }
    await this.deps.records.appendAudit(cleanupAudit(counts, this.deps.clock.now()));
    log.info({ event: "files.orphans-cleaned", ...counts }, "orphaned uploads cleaned");
    return counts;
  }

  /** What the store says of one candidate: a point read at most, a search only for a file from before claims. */
  private async verdictOn(schoolId: string, file: ListedFile): Promise<"held" | "settling" | "orphan"> {
    if (!file.claimsKept) return (await this.deps.references.isReferenced(schoolId, file.key)) ? "held" : "orphan";
    if (!file.claim) return "orphan";
    if (await this.deps.references.holds(file.claim, file.key)) return "held";
    const claimedAt = Date.parse(file.claim.claimedAt);
    return this.deps.clock.now().getTime() - claimedAt < CLAIM_SETTLE_MS ? "settling" : "orphan";
  }

  /** Runs at once, then every `intervalMs` (hourly). */
  start(intervalMs = ORPHAN_CHECK_INTERVAL_MS): void {
    this.repeat.start(intervalMs, { atOnce: true });
  }

  stop(): Promise<void> {
    return this.repeat.stop();
  }
}

/** The school of an upload old enough to clean, or undefined. */
function isCandidate(file: ListedFile, cutoffMs: number): string | undefined {
  if (file.referenced || file.uploadedAt.getTime() > cutoffMs) return undefined;
  return UPLOAD_KEY.exec(file.key)?.[1];
}

/** Counts only: no file names, no pupils, no keys. */
function cleanupAudit(counts: SchoolCleanup, at: Date): AuditEvent {
  return {
    id: `audit:${randomUUID()}`,
    schoolId: counts.schoolId,
    type: "files.orphans-cleaned",
    actorStaffId: "keepsafe",
    at: at.toISOString(),
    detail: { checked: counts.checked, deleted: counts.deleted, kept: counts.kept, failed: counts.failed },
    via: "job",
    outcome: "allowed",
  };
}
