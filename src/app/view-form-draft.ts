/**
 * What the caller's own form holds so far: its finished files, how many are still uploading and
 * the body map's number of marks, for the dialogs and GET /api/files. Someone else's form under the
 * same id answers as an empty one. The blob keys stay on the server.
 */
import type { Actor } from "../domain/actor.js";
import type { DraftStore } from "../domain/files.js";
import type { AttachedFile } from "./attach-file.js";
import { draftOwner } from "./draft-owner.js";

export interface FormDraftView {
  files: AttachedFile[];
  /** Files reserved but not yet stored. */
  pending: number;
  bodyMapMarks: number;
}

export async function viewFormDraft(deps: { drafts: Pick<DraftStore, "get"> }, actor: Actor, submissionId: string): Promise<FormDraftView> {
  const draft = await deps.drafts.get(draftOwner(actor), submissionId);
  return {
    files: (draft?.files ?? []).map((f) => ({
      fileId: f.fileId,
      name: f.name,
      contentType: f.contentType,
      size: f.size,
      ...(f.writtenBy ? { writtenBy: f.writtenBy } : {}),
    })),
    pending: draft?.pendingFileIds.length ?? 0,
    bodyMapMarks: draft?.bodyMap?.marks.length ?? 0,
  };
}
