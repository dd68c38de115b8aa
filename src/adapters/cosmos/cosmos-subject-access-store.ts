import type { Container } from "@azure/cosmos";
import type { SubjectAccessExtension, SubjectAccessPack, SubjectAccessRecord, SubjectAccessRequest } from "../../domain/subject-access.js";
import type { SubjectAccessStore } from "../../ports/subject-access-store.js";
import type { SubjectAccessWatch } from "../../domain/subject-access-watch.js";
import { attachEtag, etagOf, withoutSystemFields, type CosmosDoc } from "./cosmos-docs.js";
import { guarded, statusOf } from "./cosmos-errors.js";
import { query } from "./cosmos-query.js";
import { create, runBatch } from "./cosmos-batch.js";
import { indexDue, indexDueOf, readDueOf, settleDueAfter, type DueKind } from "./cosmos-outbox-due.js";
import { auditDoc, auditPartition, outboxDoc } from "./record-docs.js";

/**
 * Subject access documents live in the `records` container beside the pupil's other records
 * (pk /pupilId), so each is written in one batch with its audit event: `sar-request`,
 * `sar-extension` and `sar-pack`, all created and never replaced. A pack's text and redactions
 * sit under `content` (not indexed: nothing filters on them). `sar-watch` is the deadline job's
 * state (subject-access-watch.ts), the one of them that is replaced, and only with its ETag. The
 * job finds due watches through the due index (cosmos-outbox-due.ts, kind SAR_WATCH_DUE).
 */
type SarType = "sar-request" | "sar-extension" | "sar-pack" | "sar-watch";

const docOf = (type: SarType, value: { id: string; pupilId: string; schoolId: string }, requestId: string, content?: object) => ({
  ...(content ? { id: value.id, pupilId: value.pupilId, schoolId: value.schoolId, content } : value),
  id: `${type}:${value.id}`,
  entityId: value.id,
  requestId,
  type,
});

const fromDoc = <T>(d: CosmosDoc): T => {
  const out = withoutSystemFields<Record<string, unknown>>(d, ["type", "entityId", "content"]);
  out.id = d.entityId;
  return { ...(d.content as object | undefined), ...out } as T;
};

const watchFromDoc = (d: CosmosDoc): SubjectAccessWatch => {
  const { requestId: _r, ...watch } = fromDoc<SubjectAccessWatch & { requestId: string }>(d);
  return attachEtag(watch as SubjectAccessWatch, d._etag);
};

export const SAR_WATCH_DUE: DueKind<SubjectAccessWatch> = {
  shards: "sar-due",
  type: "sar-watch",
  openStatus: "open",
  docId: (id) => `sar-watch:${id}`,
  fromDoc: watchFromDoc,
  dueOf: (w) => (w.status === "open" ? w.nextAlertAt : undefined),
};

function fold(docs: CosmosDoc[]): SubjectAccessRecord[] {
  const byId = new Map<string, SubjectAccessRecord>();
  for (const d of docs)
    if (d.type === "sar-request") byId.set(String(d.entityId), { request: fromDoc<SubjectAccessRequest>(d), extensions: [], packs: [] });
  for (const d of docs) {
    const record = byId.get(String(d.requestId));
    if (!record) continue;
    if (d.type === "sar-extension") record.extensions.push(fromDoc<SubjectAccessExtension>(d));
    if (d.type === "sar-pack") {
      const { requestId: _r, ...pack } = fromDoc<SubjectAccessPack & { requestId: string }>(d);
      record.packs.push({ ...pack, requestId: String(d.requestId), blocks: pack.blocks ?? [], redactions: pack.redactions ?? [] });
    }
  }
  for (const r of byId.values()) r.packs.sort((a, b) => a.approvedAt.localeCompare(b.approvedAt));
  return [...byId.values()].sort(
    (a, b) => a.request.receivedOn.localeCompare(b.request.receivedOn) || a.request.openedAt.localeCompare(b.request.openedAt),
  );
}

/** What a list needs of each document: a pack's text and redactions stay behind. */
const LISTED =
  "SELECT c.id, c.entityId, c.type, c.requestId, c.pupilId, c.schoolId, c.requester, c.relationship, c.receivedOn, c.openedBy, c.openedAt, " +
  "c.reason, c['by'], c.at, c.content.approvedBy AS approvedBy, c.content.approvedAt AS approvedAt";

export function createCosmosSubjectAccessStore(records: Container, due: Container): SubjectAccessStore {
  const write = async (pupilId: string, docs: object[], what: string) => {
    const { ok, results } = await runBatch(records, pupilId, docs.map(create));
    if (!ok) throw new Error(`${what} batch failed with status ${results.map((r) => r.statusCode).join(",")}`);
  };
  return {
    openRequest: (request, audit, watch) =>
      guarded("openSubjectAccessRequest", async () => {
        // Write-ahead: the watch is never stored without its entry in the due index.
        await indexDueOf(due, SAR_WATCH_DUE, [watch]);
        await write(request.pupilId, [docOf("sar-request", request, request.id), auditDoc(audit), docOf("sar-watch", watch, request.id)], "request");
      }),
    extend: (extension, audit) =>
      guarded("extendSubjectAccessRequest", async () => {
        const { ok, results } = await runBatch(
          records,
          extension.pupilId,
          [docOf("sar-extension", extension, extension.requestId), auditDoc(audit)].map(create),
        );
        if (ok) return true;
        if (results[0]?.statusCode === 409) return false; // extended already: the first extension stands
        throw new Error(`extension batch failed with status ${results.map((r) => r.statusCode).join(",")}`);
      }),
    savePack: (pack, audit) =>
      guarded("saveSubjectAccessPack", () =>
        write(
          pack.pupilId,
          [
            docOf("sar-pack", pack, pack.requestId, {
              approvedBy: pack.approvedBy,
              approvedAt: pack.approvedAt,
              blocks: pack.blocks,
              redactions: pack.redactions,
              ...(pack.excludedEntryIds ? { excludedEntryIds: pack.excludedEntryIds } : {}),
            }),
            auditDoc(audit),
          ],
          "pack",
        ),
      ),
    listForSchool: (schoolId) =>
      guarded("listSubjectAccessRequests", async () =>
        fold(
          await query(records, `${LISTED} FROM c WHERE c.type IN ('sar-request', 'sar-extension', 'sar-pack') AND c.schoolId = @schoolId`, {
            "@schoolId": schoolId,
          }),
        ).map(dropUndefined),
      ),
    get: (schoolId, requestId, pupilId) =>
      guarded("getSubjectAccessRequest", async () => {
        // With the pupil known, one partition; without it (a request id from the tab), across pupils.
        const inPupil = pupilId !== undefined ? " AND c.pupilId = @pupilId" : "";
        const docs = await query(
          records,
          `SELECT * FROM c WHERE c.type IN ('sar-request', 'sar-extension', 'sar-pack') AND c.schoolId = @schoolId AND c.requestId = @requestId${inPupil}`,
          { "@schoolId": schoolId, "@requestId": requestId, ...(pupilId !== undefined ? { "@pupilId": pupilId } : {}) },
          pupilId,
        );
        return fold(docs)[0];
      }),
    // Through the due index: a few shard queries and point reads, never a query across pupils.
    dueWatches: (now, limit) => guarded("dueSubjectAccessWatches", () => readDueOf(records, due, SAR_WATCH_DUE, now, limit)),
    claimWatch: (read, next, outbox, audit) =>
      guarded("claimSubjectAccessWatch", async () => {
        const etag = etagOf(read);
        if (!etag) throw new Error("A subject access watch is claimed with the ETag it was read with.");
        if (outbox.some((m) => m.pupilId !== read.pupilId) || (audit && auditPartition(audit) !== read.pupilId))
          throw new Error("Deadline alerts must belong to the request's pupil.");
        await indexDue(due, outbox);
        const { ok, results } = await runBatch(records, read.pupilId, [
          {
            operationType: "Replace",
            id: `sar-watch:${read.id}`,
            partitionKey: read.pupilId,
            resourceBody: docOf("sar-watch", next, next.id) as never,
            ifMatch: etag,
          },
          ...outbox.map(outboxDoc).map(create),
          ...(audit ? [create(auditDoc(audit))] : []),
        ]);
        // After the batch: a crash before this leaves the entry earlier than the watch, which the reader mends.
        if (ok) await settleDueAfter(due, SAR_WATCH_DUE, next);
        if (ok) return true;
        // 412: another runner moved it first; 409: that day's alerts already exist.
        if (results.some((r) => r.statusCode === 412 || r.statusCode === 409)) return false;
        throw new Error(`subject access watch batch failed with status ${results.map((r) => r.statusCode).join(",")}`);
      }),
    // One cross-partition query, run once per start by the deadline job: subject access requests are few.
    unwatchedOpenRequests: () =>
      guarded("unwatchedSubjectAccessRequests", async () => {
        const docs = await query(records, `${LISTED} FROM c WHERE c.type IN ('sar-request', 'sar-extension', 'sar-pack', 'sar-watch')`, {});
        const watched = new Set(docs.filter((d) => d.type === "sar-watch").map((d) => String(d.requestId)));
        return fold(docs)
          .filter((r) => !watched.has(r.request.id) && !r.packs.length)
          .map(dropUndefined);
      }),
    addWatch: (watch) =>
      guarded("addSubjectAccessWatch", async () => {
        // Write-ahead, as for a new request: the watch is never stored without its due entry.
        await indexDueOf(due, SAR_WATCH_DUE, [watch]);
        try {
          await records.items.create(docOf("sar-watch", watch, watch.id));
          return true;
        } catch (e) {
          // The id is the request's: another instance (or an earlier run) gave it its watch first.
          if (statusOf(e) === 409) return false;
          throw e;
        }
      }),
  };
}

// A projection names fields a kind lacks (an extension has no requester): leave them out, not undefined.
function dropUndefined(r: SubjectAccessRecord): SubjectAccessRecord {
  const clean = <T extends object>(o: T) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
  return { request: clean(r.request), extensions: r.extensions.map(clean), packs: r.packs.map(clean) };
}
