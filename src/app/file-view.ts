/**
 * A stored file as its readers see it (contract: incidentFileSchema): its name, type, size, who
 * uploaded it and when, and the link that downloads it through the policy. The blob key stays here.
 */
import { fileTypeLabel } from "../domain/files.js";
import type { IncidentFile } from "../domain/incident.js";

export const fileView = (f: IncidentFile, downloadUrl: string) => ({
  fileId: f.fileId,
  name: f.name,
  contentType: f.contentType,
  typeLabel: fileTypeLabel(f.contentType),
  size: f.size,
  uploadedBy: { staffId: f.uploadedBy.staffId, name: f.uploadedBy.name },
  ...(f.writtenBy ? { writtenBy: f.writtenBy } : {}),
  uploadedAt: f.uploadedAt,
  downloadUrl,
});

export const incidentFileUrl = (incidentId: string, fileId: string) =>
  `/api/incidents/${encodeURIComponent(incidentId)}/files/${encodeURIComponent(fileId)}`;

export const caseEntryFileUrl = (pupilId: string, caseEntryId: string) =>
  `/api/pupils/${encodeURIComponent(pupilId)}/case-entries/${encodeURIComponent(caseEntryId)}/file`;
