import type { AuditEvent, OutboxMessage } from "../domain/incident.js";
import type { SubjectAccessWatch } from "../domain/subject-access-watch.js";
import type { SubjectAccessExtension, SubjectAccessPack, SubjectAccessRecord, SubjectAccessRequest } from "../domain/subject-access.js";

/**
 * Subject access requests, their extensions and approved packs. Each is written once with its
 * audit event, atomically (the pupil's partition); there is deliberately no way to change or
 * delete one: a later decision is a new document.
 */
export interface SubjectAccessStore {
  /** The request with its audit event and the deadline job's watch, in one batch: no request the job does not know of. */
  openRequest(request: SubjectAccessRequest, audit: AuditEvent, watch: SubjectAccessWatch): Promise<void>;
  /** Idempotent on the extension's id (one per request): a second call stores nothing and returns false. */
  extend(extension: SubjectAccessExtension, audit: AuditEvent): Promise<boolean>;
  savePack(pack: SubjectAccessPack, audit: AuditEvent): Promise<void>;
  /** A school's requests with their extensions and packs (packs without their text), oldest received first. */
  listForSchool(schoolId: string): Promise<SubjectAccessRecord[]>;
  /**
   * One request with everything written after it, packs in full. A caller that knows the pupil
   * (the deadline job's watch does) names it, so the read stays in that pupil's partition.
   */
  get(schoolId: string, requestId: string, pupilId?: string): Promise<SubjectAccessRecord | undefined>;
  /** Open watches whose next alert is due by `now` (ISO), across schools, earliest first. */
  dueWatches(now: string, limit: number): Promise<SubjectAccessWatch[]>;
  /**
   * Replaces the watch as read (its ETag) with `next`, writing the day's alerts and audit in the
   * same batch; false when another runner moved it first or that day's alerts already exist.
   */
  claimWatch(read: SubjectAccessWatch, next: SubjectAccessWatch, outbox: OutboxMessage[], audit?: AuditEvent): Promise<boolean>;
  /**
   * Requests across schools with no watch and no released pack (stored before the deadline job
   * existed), with their extensions; packs without their text.
   */
  unwatchedOpenRequests(): Promise<SubjectAccessRecord[]>;
  /** Creates the watch if the request has none: false (nothing written) when it already has one. */
  addWatch(watch: SubjectAccessWatch): Promise<boolean>;
}
