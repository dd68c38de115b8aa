/**
 * Evidence files and the draft a form collects before it is submitted (domain.md, step 9 "Files"
 * and the "No account" row: a DSL scans a paper form and notes who wrote it). A concern is
 * recorded in one go and never edited, so its body map and files are kept against the form's
 * submissionId until then. The in-memory DraftStore here is for tests and single-process use;
 * src/adapters/cosmos/cosmos-draft-store.ts keeps the same rules (one owner per draft, the file
 * limit atomic) across processes, and test/support/draft-store-suite.ts holds both to them.
 */
import type { BodyMap } from "./body-map.js";
import { ConflictError } from "./errors.js";

/** What Keepsafe accepts, decided from the content, never from the name or the Content-Type. */
export const ACCEPTED_FILE_TYPES = [
  { mime: "application/pdf", label: "PDF" },
  { mime: "image/png", label: "PNG image" },
  { mime: "image/jpeg", label: "JPEG image" },
  { mime: "image/heic", label: "HEIC photo" },
  { mime: "image/heif", label: "HEIF photo" },
  { mime: "application/vnd.openxmlformats-officedocument.wordprocessingml.document", label: "Word document (.docx)" },
  { mime: "text/plain; charset=utf-8", label: "plain text" },
] as const;
export type AcceptedFileType = (typeof ACCEPTED_FILE_TYPES)[number]["mime"];

/** The school's words for a stored file's type ("PDF", "Word document (.docx)"). */
export const fileTypeLabel = (contentType: string): string => ACCEPTED_FILE_TYPES.find((t) => t.mime === contentType)?.label ?? contentType;

export const ACCEPTED_FILES_SUMMARY = "PDF, PNG, JPEG, HEIC, Word (.docx) or plain text";
export const FILE_NAME_MAX_LENGTH = 200;
export const WRITTEN_BY_MAX_LENGTH = 120;

/** A stored file as the form and (later) the incident refer to it. */
export interface DraftFile {
  fileId: string;
  /** The blob key: "{schoolId}/{fileId}". Never holds the original name, which may name a pupil. */
  key: string;
  name: string;
  contentType: AcceptedFileType;
  size: number;
  uploadedBy: { staffId: string; name: string };
  /** For a scanned paper form: the person without an account who wrote it, as the DSL noted. */
  writtenBy?: string;
  uploadedAt: string;
}

/** A finished upload as a stored record keeps it: its own copy, with only the fields a file has. */
export const storedFileOf = (f: DraftFile): DraftFile => ({
  fileId: f.fileId,
  key: f.key,
  name: f.name,
  contentType: f.contentType,
  size: f.size,
  uploadedBy: { staffId: f.uploadedBy.staffId, name: f.uploadedBy.name },
  ...(f.writtenBy ? { writtenBy: f.writtenBy } : {}),
  uploadedAt: f.uploadedAt,
});

/** A draft's finished uploads by its owner: a file still uploading (or anyone else's) is not part of it. */
export const finishedFilesOf = (draft: SubmissionDraft): DraftFile[] =>
  draft.files.filter((f) => !draft.pendingFileIds.includes(f.fileId) && f.uploadedBy.staffId === draft.staffId);

export interface DraftOwner {
  staffId: string;
  schoolId: string;
}

export interface SubmissionDraft extends DraftOwner {
  submissionId: string;
  bodyMap?: BodyMap;
  files: DraftFile[];
  /** Files being uploaded now: they count towards the limit so parallel uploads cannot pass it. */
  pendingFileIds: string[];
  updatedAt: string;
}

/**
 * Drafts keyed by their owner and submissionId. A form id is not a secret, so each person (in each
 * school) has drafts of their own: another person's draft under the same id is not there for them
 * at all, and using that id just starts their own form. Nothing tells them it exists (finding 7).
 */
export interface DraftStore {
  get(owner: DraftOwner, submissionId: string): Promise<SubmissionDraft | undefined>;
  saveBodyMap(owner: DraftOwner, submissionId: string, bodyMap: BodyMap): Promise<SubmissionDraft>;
  /** Holds a place for one more file, or throws a conflict when the draft already has `limit`. */
  reserveFile(owner: DraftOwner, submissionId: string, fileId: string, limit: number): Promise<void>;
  /** Turns a reservation into a stored file. */
  completeFile(owner: DraftOwner, submissionId: string, file: DraftFile): Promise<SubmissionDraft>;
  /** Gives a reservation back (the upload failed or was refused). */
  releaseFile(owner: DraftOwner, submissionId: string, fileId: string): Promise<void>;
  /** Forgets the draft once its incident is stored (the incident holds its own copy); missing is fine. */
  discard(owner: DraftOwner, submissionId: string): Promise<void>;
}

export const tooManyFilesError = (limit: number) => ConflictError(`A record can have at most ${limit} files. Remove one before adding another.`);

export class InMemoryDraftStore implements DraftStore {
  private readonly drafts = new Map<string, SubmissionDraft>();

  constructor(private readonly now: () => Date = () => new Date()) {}

  async get(owner: DraftOwner, submissionId: string): Promise<SubmissionDraft | undefined> {
    const draft = this.drafts.get(draftKey(owner, submissionId));
    return draft ? structuredClone(draft) : undefined;
  }

  async saveBodyMap(owner: DraftOwner, submissionId: string, bodyMap: BodyMap): Promise<SubmissionDraft> {
    const draft = this.draftFor(owner, submissionId);
    draft.bodyMap = structuredClone(bodyMap);
    draft.updatedAt = this.now().toISOString();
    return structuredClone(draft);
  }

  async reserveFile(owner: DraftOwner, submissionId: string, fileId: string, limit: number): Promise<void> {
    const draft = this.draftFor(owner, submissionId);
    if (draft.files.length + draft.pendingFileIds.length >= limit) throw tooManyFilesError(limit);
    draft.pendingFileIds.push(fileId);
  }

  async completeFile(owner: DraftOwner, submissionId: string, file: DraftFile): Promise<SubmissionDraft> {
    const draft = this.draftFor(owner, submissionId);
    draft.pendingFileIds = draft.pendingFileIds.filter((id) => id !== file.fileId);
    draft.files.push(structuredClone(file));
    draft.updatedAt = this.now().toISOString();
    return structuredClone(draft);
  }

  async releaseFile(owner: DraftOwner, submissionId: string, fileId: string): Promise<void> {
    const draft = this.drafts.get(draftKey(owner, submissionId));
    if (!draft) return;
    draft.pendingFileIds = draft.pendingFileIds.filter((id) => id !== fileId);
  }

  async discard(owner: DraftOwner, submissionId: string): Promise<void> {
    this.drafts.delete(draftKey(owner, submissionId));
  }

  private draftFor(owner: DraftOwner, submissionId: string): SubmissionDraft {
    const key = draftKey(owner, submissionId);
    let draft = this.drafts.get(key);
    if (!draft) {
      draft = { ...owner, submissionId, files: [], pendingFileIds: [], updatedAt: this.now().toISOString() };
      this.drafts.set(key, draft);
    }
    return draft;
  }
}

/** One key per owner and form; JSON keeps the parts apart, so no choice of ids makes two keys meet. */
const draftKey = (owner: DraftOwner, submissionId: string) => JSON.stringify([owner.schoolId, owner.staffId, submissionId]);

/** A display name for a file: no path, no control characters, bounded. Kept only in metadata. */
export function cleanFileName(raw: string | undefined): string {
  const base = (raw ?? "").split(/[\\/]/).pop() ?? "";
  const cleaned = base
    .replace(/[\u0000-\u001f\u007f]/g, "")
    .trim()
    .slice(0, FILE_NAME_MAX_LENGTH);
  return cleaned || "Untitled file";
}
