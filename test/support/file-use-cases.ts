/**
 * The file routes' use cases over a real file store and draft store, for tests that serve only
 * the file routes (no Cosmos DB): the same modules KeepsafeService forwards to, with the caller's
 * stand-in staff list. Downloads need the record store, so they are not offered here.
 */
import { FileAttacher } from "../../src/app/attach-file.js";
import { viewFormDraft } from "../../src/app/view-form-draft.js";
import type { FileRoutesService } from "../../src/api/file-routes.js";
import type { DraftStore } from "../../src/domain/files.js";
import { systemClock } from "../../src/ports/clock.js";
import type { FileStore } from "../../src/ports/file-store.js";

export function fileUseCases(deps: { files: FileStore; drafts: DraftStore; resolveActor: FileRoutesService["resolveActor"] }): FileRoutesService {
  const attacher = new FileAttacher({ files: deps.files, drafts: deps.drafts, clock: systemClock });
  return {
    resolveActor: deps.resolveActor,
    beginFileUpload: (actor, request) => attacher.begin(actor, request),
    viewFormDraft: (actor, submissionId) => viewFormDraft(deps, actor, submissionId),
    downloadFile: () => Promise.reject(new Error("These tests serve no downloads: they need the record store.")),
  };
}
