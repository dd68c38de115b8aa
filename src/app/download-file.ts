/**
 * Open a file kept with an incident. Only someone who may read the incident may have its files
 * (the same policy as the incident itself), and every download is audited like a view, since a
 * scanned form or a photo is as sensitive as the account.
 */
import { randomUUID } from "node:crypto";
import type { Actor } from "../domain/actor.js";
import { NotFoundError } from "../domain/errors.js";
import type { IncidentFile } from "../domain/incident.js";
import type { Clock } from "../ports/clock.js";
import type { FileStore } from "../ports/file-store.js";
import type { RecordStore } from "../ports/record-store.js";
import type { SchoolStore } from "../ports/school-store.js";
import { openIncident } from "./incident-access.js";
import { auditOrigin } from "./audit-origin.js";

export interface DownloadFileDeps {
  schools: SchoolStore;
  records: RecordStore;
  files: FileStore;
  clock: Clock;
}

export interface DownloadedFile {
  file: IncidentFile;
  content: Buffer;
}

export async function downloadIncidentFile(deps: DownloadFileDeps, actor: Actor, incidentId: string, fileId: string): Promise<DownloadedFile> {
  // A record the actor may not read answers exactly as a missing one does, and is audited.
  const { incident } = await openIncident(deps, actor, incidentId, "file.download");
  const file = incident.files?.find((f) => f.fileId === fileId);
  if (!file) throw NotFoundError("The file");
  const stored = await deps.files.get(file.key);
  if (!stored) throw NotFoundError("The file");
  // Audited before a byte is sent: a download that cannot be audited does not happen.
  await deps.records.appendAudit({
    id: `audit:${randomUUID()}`,
    schoolId: actor.schoolId,
    pupilId: incident.pupilId,
    incidentId: incident.id,
    type: "file.downloaded",
    actorStaffId: actor.staffId,
    at: deps.clock.now().toISOString(),
    detail: { fileId: file.fileId, size: file.size, contentType: file.contentType },
    ...auditOrigin(actor),
  });
  return { file, content: stored.content };
}
