import type { IncomingMessage, ServerResponse } from "node:http";
import { indexOf, PARTITION, valueKey } from "./document-index.js";
import { useLinearCode } from "./linear-query-code.js";
import { candidates, narrowingOf, type Narrowing } from "./query-narrowing.js";
import { groupByPlan, groupRows } from "./group-by-query.js";
import {
  isTrueHeader,
  parsePartitionKey,
  readItems,
  readJsonBody,
  type AccountInternals,
  type CollectionInternals,
  type Doc,
} from "./server-internals.js";

/**
 * Document queries, answered as the library's own handler (handler/query-documents.js) answers
 * them, except that the library's query engine runs over the candidate documents only: those of
 * the partition the request names (as Cosmos DB scopes a query sent with a partition key), narrowed
 * further by the index for equalities in the WHERE clause. Paging, continuation tokens, ORDER BY,
 * TOP, aggregates and errors are the engine's, over the same documents in the same order.
 */

/** The partition a request names in x-ms-documentdb-partitionkey, as an index key; undefined if none. */
function partitionKeyOf(req: IncomingMessage): string | undefined {
  const header = req.headers["x-ms-documentdb-partitionkey"];
  if (typeof header !== "string") return undefined;
  try {
    return valueKey(parsePartitionKey(header, undefined));
  } catch {
    return undefined; // the library never read this header on queries; an odd one scopes nothing
  }
}

/** The documents the query needs to see: a subset, in the library's order, or all of them. */
function candidateDocuments(collection: CollectionInternals, sql: string, parameters: unknown, partition: string | undefined): Doc[] {
  const docs = collection.documents;
  const parts: Narrowing[] = [];
  if (partition !== undefined) parts.push({ kind: "values", path: PARTITION, keys: [partition] });
  const where = narrowingOf(docs._getQuery(sql).ast, parameters);
  if (where) parts.push(where);
  const rids = parts.length > 0 ? candidates({ kind: "and", parts }, indexOf(docs)) : undefined;
  if (rids) return indexOf(docs).documents(rids);
  return [...docs._data.values()].map((item) => item.read()) as Doc[];
}

function runQuery(
  collection: CollectionInternals,
  body: Record<string, unknown>,
  page: { continuation: unknown; maxItemCount: number | null },
  partition: string | undefined,
) {
  const meta = collection.read();
  if (!meta) return null;
  const docs = collection.documents;
  const plan = groupByPlan(body.query as string);
  const sql = plan ? plan.inner : (body.query as string);
  const query = useLinearCode(docs._getQuery(sql)); // a syntax error propagates to readItems, which answers 400
  const policy = meta.indexingPolicy as { compositeIndexes?: unknown } | undefined;
  const options = {
    parameters: body.parameters,
    udf: docs._userDefinedFunctions(),
    maxItemCount: page.maxItemCount,
    continuation: page.continuation,
    compositeIndexes: policy?.compositeIndexes ?? [],
  };
  try {
    const candidatesOf = candidateDocuments(collection, sql, body.parameters, partition);
    if (!plan) return query.exec(candidatesOf, options);
    // Every group in one page (group-by-query.ts): the engine gives all the rows' group values.
    const all = query.exec(candidatesOf, { ...options, maxItemCount: undefined, continuation: undefined }) as { result: Record<string, unknown>[] };
    return { result: groupRows(plan, all.result), continuation: null };
  } catch (err) {
    (err as { badRequest?: boolean }).badRequest = true;
    throw err;
  }
}

export const queryDocuments = (account: AccountInternals, req: IncomingMessage, res: ServerResponse, params: Record<string, string>) =>
  readItems(req, res, "Documents", async (page) => {
    const body = await readJsonBody(req);
    if (!body.query) {
      res.statusCode = 400;
      return { message: "missing query" };
    }
    const collection = account.database(params.dbId).collection(params.collId);
    try {
      if (!isTrueHeader(req, "x-ms-documentdb-query-enablecrosspartition")) {
        const paths = ((collection.read()?.partitionKey as { paths?: string[] } | undefined)?.paths ?? []) as string[];
        const sql = groupByPlan(body.query as string)?.inner ?? (body.query as string);
        if (paths.length && !collection.documents._getQuery(sql).containsPartitionKeys(paths)) {
          res.statusCode = 400;
          return { message: "missing partition keys" };
        }
      }
      return runQuery(collection, body, page, partitionKeyOf(req));
    } catch (err) {
      if ((err as { badRequest?: boolean }).badRequest) {
        res.statusCode = 400;
        return { message: (err as Error).message };
      }
      throw err;
    }
  });
