import type { Container, SqlParameter } from "@azure/cosmos";
import type { CosmosDoc } from "./cosmos-docs.js";

export type QueryParams = Record<string, string | number>;

export const sqlParameters = (params: QueryParams): SqlParameter[] => Object.entries(params).map(([name, value]) => ({ name, value }));

/**
 * Runs a query to the end. Partition-scoped queries also filter on the partition key in SQL:
 * Cosmos DB needs no such filter, but the local server ignores the partition-key option on queries.
 */
export async function query(container: Container, sql: string, params: QueryParams, partitionKey?: string) {
  const { resources } = await container.items
    .query<CosmosDoc>({ query: sql, parameters: sqlParameters(params) }, partitionKey !== undefined ? { partitionKey } : {})
    .fetchAll();
  return resources;
}

/** `@prefix0, @prefix1, ...` for an IN list, with the parameters that fill it. */
export function inList(prefix: string, values: string[]): { sql: string; params: QueryParams } {
  const params: QueryParams = Object.create(null);
  values.forEach((v, i) => (params[`@${prefix}${i}`] = v));
  return { sql: Object.keys(params).join(", "), params };
}
