/**
 * Attach a file to a form before it is submitted: letters, notes, reports, photos and scanned
 * paper forms. The type is decided from the content (a "report.pdf" that is really a program is
 * refused), the size and the number of files per record are limited, and the file is stored
 * under a key that never holds its name. Two steps, so the edge can refuse an 11th file before
 * reading 40 MB: `begin` checks and reserves a place, the upload's `complete` stores it.
 */
import { randomUUID } from "node:crypto";
import { fileTypeFromBuffer } from "file-type";
import type { Actor } from "../domain/actor.js";
import { KeepsafeError, ValidationError } from "../domain/errors.js";
import { authorize } from "../domain/policy/index.js";
import {
  ACCEPTED_FILES_SUMMARY,
  ACCEPTED_FILE_TYPES,
  WRITTEN_BY_MAX_LENGTH,
  cleanFileName,
  type AcceptedFileType,
  type DraftFile,
  type DraftStore,
} from "../domain/files.js";
import { LIMITS } from "../domain/limits.js";
import type { Clock } from "../ports/clock.js";
import type { FileStore } from "../ports/file-store.js";

export interface AttachFileDeps {
  files: FileStore;
  drafts: DraftStore;
  clock: Clock;
  newFileId?: () => string;
}

export interface AttachFileRequest {
  submissionId: string;
  name?: string;
  /** Only a DSL (or deputy) uploading a scanned paper form says who wrote it. */
  writtenBy?: string;
}

/** What the uploader gets back; the blob key stays on the server. */
export interface AttachedFile {
  fileId: string;
  contentType: AcceptedFileType;
  size: number;
  name: string;
  writtenBy?: string;
}

export interface FileUpload {
  readonly fileId: string;
  readonly maxBytes: number;
  /** Checks the content's type and stores it; the reservation is given back if anything fails. */
  complete(content: Buffer): Promise<AttachedFile>;
  /** Gives the reservation back (the upload was cut off or too big). */
  abandon(): Promise<void>;
}

export const fileTooLargeError = () =>
  new KeepsafeError("payload_too_large", `Files can be at most ${LIMITS.fileMaxBytes / (1024 * 1024)} MB. Nothing was stored.`);
export const unsupportedFileError = () =>
  new KeepsafeError("unsupported_file_type", `Keepsafe accepts ${ACCEPTED_FILES_SUMMARY} files. Nothing was stored.`);

const SUBMISSION_ID = /^[A-Za-z0-9_-]{8,100}$/;

export class FileAttacher {
  constructor(private readonly deps: AttachFileDeps) {}

  async begin(actor: Actor, request: AttachFileRequest): Promise<FileUpload> {
    const submissionId = request.submissionId?.trim() ?? "";
    if (!SUBMISSION_ID.test(submissionId))
      throw ValidationError([{ field: "submissionId", message: "The form is missing its id; open a new form." }]);
    const writtenBy = request.writtenBy?.trim() || undefined;
    if (writtenBy) authorize(actor, "note-writer", { kind: "upload" });
    if (writtenBy && writtenBy.length > WRITTEN_BY_MAX_LENGTH)
      throw ValidationError([{ field: "writtenBy", message: `Give the writer's name in at most ${WRITTEN_BY_MAX_LENGTH} characters.` }]);
    const name = cleanFileName(request.name);

    const owner = { staffId: actor.staffId, schoolId: actor.schoolId };
    const fileId = (this.deps.newFileId ?? randomUUID)();
    await this.deps.drafts.reserveFile(owner, submissionId, fileId, LIMITS.filesPerRecord);
    let settled = false;
    const release = async () => {
      if (settled) return;
      settled = true;
      await this.deps.drafts.releaseFile(owner, submissionId, fileId);
    };

    return {
      fileId,
      maxBytes: LIMITS.fileMaxBytes,
      abandon: release,
      complete: async (content) => {
        try {
          if (content.length === 0) throw ValidationError([{ field: "file", message: "The file is empty. Nothing was stored." }]);
          if (content.length > LIMITS.fileMaxBytes) throw fileTooLargeError();
          const contentType = await detectFileType(content);
          if (!contentType) throw unsupportedFileError();
          const key = `${actor.schoolId}/${fileId}`;
          const uploadedAt = this.deps.clock.now().toISOString();
          await this.deps.files.put(key, content, contentType, uploadedAt);
          const file: DraftFile = {
            fileId,
            key,
            name,
            contentType,
            size: content.length,
            uploadedBy: { staffId: actor.staffId, name: actor.name },
            ...(writtenBy ? { writtenBy } : {}),
            uploadedAt,
          };
          await this.deps.drafts.completeFile(owner, submissionId, file);
          settled = true;
          return { fileId, contentType, size: file.size, name, ...(writtenBy ? { writtenBy } : {}) };
        } catch (error) {
          await release().catch(() => undefined);
          throw error;
        }
      },
    };
  }
}

const ACCEPTED_MIMES: ReadonlySet<string> = new Set(ACCEPTED_FILE_TYPES.map((t) => t.mime));

/**
 * The type from the content's own signature. Text has no signature, so it is accepted only when
 * nothing binary was recognised and it is valid UTF-8 without NUL bytes.
 */
export async function detectFileType(content: Buffer): Promise<AcceptedFileType | undefined> {
  const sniffed = await fileTypeFromBuffer(content);
  if (sniffed) return ACCEPTED_MIMES.has(sniffed.mime) ? (sniffed.mime as AcceptedFileType) : undefined;
  if (content.includes(0)) return undefined;
  try {
    new TextDecoder("utf-8", { fatal: true }).decode(content);
    return "text/plain; charset=utf-8";
  } catch {
    return undefined;
  }
}
