/**
 * Which stored records hold a file, for the orphan clean-up (orphan-upload-job.ts). An incident
 * keeps its files in `files`, a document or meeting case entry its one file in `file`; an action
 * or any later record that keeps files the same way is found by the same query.
 *
 * `/files/*` is left out of the index (it is read with the record, never filtered on), so the query
 * asks for a scan: it runs only for uploads past the clean-up age that no record was yet found to
 * hold, and each one found held is marked on the blob and never asked about again.
 */
import type { Container } from "@azure/cosmos";
import type { FileReferences } from "../../ports/file-references.js";
import { guarded } from "./cosmos-errors.js";
import { sqlParameters } from "./cosmos-query.js";

const HELD_BY = `SELECT TOP 1 VALUE c.id FROM c WHERE c.schoolId = @schoolId
  AND (c.file.key = @key OR EXISTS(SELECT VALUE f FROM f IN c.files WHERE f.key = @key))`;

export function createCosmosFileReferences(records: Container): FileReferences {
  return {
    isReferenced: (schoolId, key) =>
      guarded("isFileReferenced", async () => {
        const { resources } = await records.items
          .query<string>({ query: HELD_BY, parameters: sqlParameters({ "@schoolId": schoolId, "@key": key }) }, { enableScanInQuery: true })
          .fetchAll();
        return resources.length > 0;
      }),
  };
}
