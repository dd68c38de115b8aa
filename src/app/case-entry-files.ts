/**
 * Files on a pupil's file: a document (a letter from social care, conference minutes) and a
 * meeting's papers. They come in through the one upload path (POST /api/files, with its size, type
 * and emptiness checks), kept with the uploader's draft under the form's requestId; the entry takes
 * its own copy of the file from there when it is stored, and the draft is then forgotten.
 *
 * A blob whose entry was never stored (the store refused the batch, the form was abandoned) is
 * reachable from nothing: a download goes through an entry, so it is as good as absent. The draft
 * keeps pointing at it, so sending the same form again stores the entry with that file.
 *
 * A download is the safeguarding team's alone (policy: case-entry download-file) and audited on
 * every view; anyone else, and any id that names no file, is answered "The file was not found",
 * the refusal audited.
 */
import { randomUUID } from "node:crypto";
import type { Actor } from "../domain/actor.js";
import { fileOfCaseEntry } from "../domain/case-entries.js";
import { isKeepsafeError, NotFoundError, ValidationError } from "../domain/errors.js";
import { finishedFilesOf, storedFileOf, type DraftStore } from "../domain/files.js";
import type { IncidentFile } from "../domain/incident.js";
import { authorize } from "../domain/policy/index.js";
import { childLogger } from "../logger.js";
import type { CaseEntryStore } from "../ports/case-entry-store.js";
import type { Clock } from "../ports/clock.js";
import type { FileStore } from "../ports/file-store.js";
import type { RecordStore } from "../ports/record-store.js";
import type { SchoolStore } from "../ports/school-store.js";
import { auditOrigin } from "./audit-origin.js";
import { auditRefusal } from "./incident-access.js";

const log = childLogger("case-entry-files");

const owner = (actor: Actor) => ({ staffId: actor.staffId, schoolId: actor.schoolId });

/** The finished upload the form names, from the actor's own draft for this form. */
export async function draftFileFor(deps: { drafts?: DraftStore }, actor: Actor, requestId: string, fileId: string): Promise<IncidentFile> {
  const draft = await deps.drafts?.get(owner(actor), requestId);
  const file = draft ? finishedFilesOf(draft).find((f) => f.fileId === fileId) : undefined;
  if (!file)
    throw ValidationError([{ field: "fileId", message: "Keepsafe has no finished upload of this file for this form. Choose the file again." }]);
  return storedFileOf(file);
}

/** The entry holds its own copy now; failing to forget the draft costs only storage until it expires. */
export async function forgetDraft(deps: { drafts?: DraftStore }, actor: Actor, requestId: string): Promise<void> {
  await deps.drafts
    ?.discard(owner(actor), requestId)
    .catch((e: unknown) => log.warn({ event: "draft.discard-failed", code: isKeepsafeError(e) ? e.code : "unknown" }, "draft kept until it expires"));
}

export interface CaseEntryFileDeps {
  schools: SchoolStore;
  records: RecordStore;
  caseEntries: CaseEntryStore;
  files: FileStore;
  clock: Clock;
}

export async function downloadCaseEntryFile(
  deps: CaseEntryFileDeps,
  actor: Actor,
  pupilId: string,
  caseEntryId: string,
): Promise<{ file: IncidentFile; content: Buffer }> {
  const noFile = () => NotFoundError("The file");
  try {
    authorize(actor, "download-file", { kind: "case-entry" });
  } catch (e) {
    // Asking for the second factor is not a refusal; anything else is answered as a missing file.
    if (!isKeepsafeError(e) || e.code !== "not_found") throw e;
    const pupil = await deps.schools.getPupil(actor.schoolId, pupilId);
    await auditRefusal(deps, actor, pupil ? { pupilId: pupil.id } : {}, "case-entry.file");
    throw noFile();
  }
  const entry = await deps.caseEntries.getCaseEntry(pupilId, caseEntryId);
  const file = entry && entry.schoolId === actor.schoolId ? fileOfCaseEntry(entry) : undefined;
  if (!entry || !file) throw noFile();
  const stored = await deps.files.get(file.key);
  if (!stored) throw noFile();
  // Audited before a byte is sent: a download that cannot be audited does not happen.
  await deps.records.appendAudit({
    id: `audit:${randomUUID()}`,
    schoolId: actor.schoolId,
    pupilId: entry.pupilId,
    type: "file.downloaded",
    actorStaffId: actor.staffId,
    at: deps.clock.now().toISOString(),
    detail: { caseEntryId: entry.id, kind: entry.kind, fileId: file.fileId, size: file.size, contentType: file.contentType },
    ...auditOrigin(actor),
  });
  return { file, content: stored.content };
}
