/**
 * Which stored records hold a file, for the orphan clean-up (orphan-upload-job.ts). An incident
 * keeps its files in `files`, a document or meeting case entry its one file in `file`.
 *
 * `holds` is the check for every upload since uploads carry their claims: the claim names the
 * record and its pupil, so it is one point read in that partition, whatever the school's size.
 *
 * `isReferenced` is kept only for files stored before then: `/files/*` is left out of the index
 * (it is read with the record, never filtered on), so it asks for a scan across pupils. Such files
 * are either found held (and marked on the blob, never asked about again) or deleted within one
 * clean-up age of the upgrade, after which it is never called.
 */
import type { Container } from "@azure/cosmos";
import type { FileReferences } from "../../ports/file-references.js";
import type { FileClaim } from "../../ports/file-store.js";
import type { CosmosDoc } from "./cosmos-docs.js";
import { guarded } from "./cosmos-errors.js";
import { pointRead } from "./cosmos-batch.js";
import { sqlParameters } from "./cosmos-query.js";
import { recordDocId } from "./record-docs.js";

const HELD_BY = `SELECT TOP 1 VALUE c.id FROM c WHERE c.schoolId = @schoolId
  AND (c.file.key = @key OR EXISTS(SELECT VALUE f FROM f IN c.files WHERE f.key = @key))`;

/** The claimed record's document id and type in the pupil's partition. */
const docOf = (claim: FileClaim) =>
  claim.record === "incident" ? { id: claim.recordId, type: "incident" } : { id: recordDocId("caseEntry", claim.recordId), type: "caseEntry" };

const keysOf = (doc: CosmosDoc): unknown[] => [
  (doc.file as { key?: unknown } | undefined)?.key,
  ...(Array.isArray(doc.files) ? doc.files.map((f: { key?: unknown } | undefined) => f?.key) : []),
];

export function createCosmosFileReferences(records: Container): FileReferences {
  return {
    holds: (claim, key) =>
      guarded("fileClaimHeld", async () => {
        const { id, type } = docOf(claim);
        const doc = await pointRead(records, id, claim.pupilId);
        return doc?.type === type && keysOf(doc).includes(key);
      }),

    isReferenced: (schoolId, key) =>
      guarded("isFileReferenced", async () => {
        const { resources } = await records.items
          .query<string>({ query: HELD_BY, parameters: sqlParameters({ "@schoolId": schoolId, "@key": key }) }, { enableScanInQuery: true })
          .fetchAll();
        return resources.length > 0;
      }),
  };
}
