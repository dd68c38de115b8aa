import type { AuditEvent } from "../domain/incident.js";
import type { SubjectAccessExtension, SubjectAccessPack, SubjectAccessRecord, SubjectAccessRequest } from "../domain/subject-access.js";

/**
 * Subject access requests, their extensions and approved packs. Each is written once with its
 * audit event, atomically (the pupil's partition); there is deliberately no way to change or
 * delete one: a later decision is a new document.
 */
export interface SubjectAccessStore {
  openRequest(request: SubjectAccessRequest, audit: AuditEvent): Promise<void>;
  /** Idempotent on the extension's id (one per request): a second call stores nothing and returns false. */
  extend(extension: SubjectAccessExtension, audit: AuditEvent): Promise<boolean>;
  savePack(pack: SubjectAccessPack, audit: AuditEvent): Promise<void>;
  /** A school's requests with their extensions and packs (packs without their text), oldest received first. */
  listForSchool(schoolId: string): Promise<SubjectAccessRecord[]>;
  /** One request with everything written after it, packs in full. */
  get(schoolId: string, requestId: string): Promise<SubjectAccessRecord | undefined>;
}
