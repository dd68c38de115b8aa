/**
 * The form drafts (body map and files waiting for their concern to be submitted) in Cosmos DB,
 * so a draft survives a restart and every server process sees the same one.
 *
 * Why a `drafts` container of its own (partition key `/submissionId`, one document per form and
 * owner, `id` = draftDocId(owner, submissionId)) rather than the `submissions` container:
 * - drafts are short-lived scratch data and expire (`ttl` on each document, with the container's
 *   `defaultTtl` -1 so only documents that say so expire); a submission marker must live as long
 *   as its incident, or a late retry could store a second record. Keeping them apart means no
 *   TTL setting can ever touch a marker;
 * - drafts are replaced many times (every upload), markers are written once; separate containers
 *   keep their indexing and throughput apart;
 * - every draft operation names its owner and submissionId, so each is a single-partition point
 *   read or an ETag-conditioned replace of one small document. A form id is not a secret, so the
 *   owner is part of the id: someone else's draft under the same form id is simply not found.
 *
 * Concurrency: every change is read, change in memory, then `replace` with `IfMatch` on the ETag
 * read (or `create` for a new draft). A 412 or 409 means another request or process changed it
 * first, and the change is tried again on what is there now, so the 10-file limit holds across
 * processes: two uploads can never both take the last place.
 *
 * A reservation left behind by a process that died mid-upload would hold a place forever, so a
 * reservation older than RESERVATION_EXPIRY_MS no longer counts (no upload of 40 MB takes that long).
 * The local Cosmos server ignores TTL, so recording an incident also discards its draft.
 */
import { createHash } from "node:crypto";
import type { Container, ItemDefinition } from "@azure/cosmos";
import type { BodyMap } from "../../domain/body-map.js";
import { tooManyFilesError, type DraftFile, type DraftOwner, type DraftStore, type SubmissionDraft } from "../../domain/files.js";
import { systemClock, type Clock } from "../../ports/clock.js";
import { withoutSystemFields } from "./cosmos-docs.js";
import { guarded, statusOf } from "./cosmos-errors.js";

/** A week: long enough to come back to an unfinished form, short enough not to keep scratch data. */
export const DRAFT_TTL_SECONDS = 7 * 24 * 60 * 60;
export const RESERVATION_EXPIRY_MS = 60 * 60 * 1000;
const MAX_ATTEMPTS = 40;

interface DraftDoc extends ItemDefinition {
  id: string;
  submissionId: string;
  staffId: string;
  schoolId: string;
  bodyMap?: BodyMap;
  files: DraftFile[];
  pending: { fileId: string; reservedAt: string }[];
  updatedAt: string;
  ttl: number;
}

type Change = (draft: DraftDoc) => DraftDoc | "unchanged";

/**
 * The owner's draft of a form: the parts hashed together, so no choice of ids makes two owners'
 * ids meet, and the id is safe for Cosmos DB (no "/", "\\", "?" or "#" whatever the ids hold).
 */
export const draftDocId = (owner: DraftOwner, submissionId: string) =>
  `draft-${createHash("sha256")
    .update(JSON.stringify([owner.schoolId, owner.staffId, submissionId]))
    .digest("hex")}`;

export function createCosmosDraftStore(container: Container, clock: Clock = systemClock): DraftStore {
  const item = (owner: DraftOwner, submissionId: string) => container.item(draftDocId(owner, submissionId), submissionId);
  const read = async (owner: DraftOwner, submissionId: string): Promise<(DraftDoc & { _etag?: string }) | undefined> => {
    try {
      return (await item(owner, submissionId).read<DraftDoc & { _etag?: string }>()).resource ?? undefined;
    } catch (e) {
      if (statusOf(e) === 404) return undefined;
      throw e;
    }
  };

  const live = (doc: DraftDoc) => {
    const cutoff = clock.now().getTime() - RESERVATION_EXPIRY_MS;
    return doc.pending.filter((p) => Date.parse(p.reservedAt) >= cutoff);
  };

  /** Applies `change` to the owner's draft (made when missing) with optimistic concurrency. */
  const update = async (owner: DraftOwner, submissionId: string, change: Change): Promise<DraftDoc> => {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const current = await read(owner, submissionId);
      const base: DraftDoc = current
        ? { ...withoutSystemFields<DraftDoc>(current), pending: live(current) }
        : {
            id: draftDocId(owner, submissionId),
            submissionId,
            ...owner,
            files: [],
            pending: [],
            updatedAt: clock.now().toISOString(),
            ttl: DRAFT_TTL_SECONDS,
          };
      const next = change(structuredClone(base));
      if (next === "unchanged") return base;
      // Each change restarts the week: a form being worked on does not expire under its author.
      next.ttl = DRAFT_TTL_SECONDS;
      try {
        if (current) {
          await item(owner, submissionId).replace(next, { accessCondition: { type: "IfMatch", condition: current._etag! } });
        } else {
          await container.items.create(next);
        }
        return next;
      } catch (e) {
        const status = statusOf(e);
        if (status !== 412 && status !== 409 && status !== 404) throw e;
        // Someone else changed (or made, or discarded) it between our read and write: look again.
        await pause(attempt);
      }
    }
    throw new Error("The form's draft kept changing while being saved.");
  };

  const toDraft = (doc: DraftDoc): SubmissionDraft => ({
    submissionId: doc.submissionId,
    staffId: doc.staffId,
    schoolId: doc.schoolId,
    ...(doc.bodyMap ? { bodyMap: doc.bodyMap } : {}),
    files: doc.files,
    pendingFileIds: doc.pending.map((p) => p.fileId),
    updatedAt: doc.updatedAt,
  });

  return {
    get: (owner, submissionId) =>
      guarded("drafts.get", async () => {
        const doc = await read(owner, submissionId);
        if (!doc) return undefined;
        return toDraft({ ...withoutSystemFields<DraftDoc>(doc), pending: live(doc) });
      }),

    saveBodyMap: (owner, submissionId, bodyMap) =>
      guarded("drafts.saveBodyMap", async () =>
        toDraft(await update(owner, submissionId, (d) => ({ ...d, bodyMap: structuredClone(bodyMap), updatedAt: clock.now().toISOString() }))),
      ),

    reserveFile: (owner, submissionId, fileId, limit) =>
      guarded("drafts.reserveFile", async () => {
        await update(owner, submissionId, (d) => {
          if (d.pending.some((p) => p.fileId === fileId)) return "unchanged";
          if (d.files.length + d.pending.length >= limit) throw tooManyFilesError(limit);
          return { ...d, pending: [...d.pending, { fileId, reservedAt: clock.now().toISOString() }] };
        });
      }),

    completeFile: (owner, submissionId, file) =>
      guarded("drafts.completeFile", async () =>
        toDraft(
          await update(owner, submissionId, (d) => ({
            ...d,
            pending: d.pending.filter((p) => p.fileId !== file.fileId),
            files: [...d.files.filter((f) => f.fileId !== file.fileId), structuredClone(file)],
            updatedAt: clock.now().toISOString(),
          })),
        ),
      ),

    releaseFile: (owner, submissionId, fileId) =>
      guarded("drafts.releaseFile", async () => {
        if (!(await read(owner, submissionId))) return;
        await update(owner, submissionId, (d) =>
          d.pending.some((p) => p.fileId === fileId) ? { ...d, pending: d.pending.filter((p) => p.fileId !== fileId) } : "unchanged",
        );
      }),

    discard: (owner, submissionId) =>
      guarded("drafts.discard", async () => {
        try {
          await item(owner, submissionId).delete();
        } catch (e) {
          if (statusOf(e) !== 404) throw e; // gone already is the goal
        }
      }),
  };
}

/** A short, growing, jittered wait so competing writers do not collide again in lockstep. */
const pause = (attempt: number) => new Promise((r) => setTimeout(r, Math.random() * Math.min(50, 5 + attempt * 5)));
