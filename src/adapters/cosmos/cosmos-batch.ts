import type { Container, OperationInput, RequestOptions } from "@azure/cosmos";
import type { CosmosDoc } from "./cosmos-docs.js";
import { statusOf } from "./cosmos-errors.js";

/** Shared by the record store's parts: batches, creates and point reads in one partition. */
export const create = (resourceBody: object): OperationInput => ({ operationType: "Create", resourceBody: resourceBody as never });

/**
 * The SDK rethrows a batch that failed as a whole (429 after its retries, 503, 408, a dropped
 * connection) as a plain Error("Batch request error: <message>"), dropping the status. Named here
 * so the error mapping can tell it from a bug (cosmos-errors.ts): the soak's 503s on batches were
 * answered with the generic internal_error because nothing else was left to read.
 */
export class BatchRequestError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "BatchRequestError";
  }
}

/** One transactional batch in one partition: all operations apply, or none do. */
export async function runBatch(container: Container, pupilId: string, ops: OperationInput[]) {
  if (ops.length > 100) throw new Error("A transactional batch holds at most 100 operations.");
  let res;
  try {
    res = await container.items.batch(ops, pupilId);
  } catch (e) {
    throw e instanceof Error && e.message.startsWith("Batch request error") ? new BatchRequestError(e.message) : e;
  }
  const results = res.result ?? [];
  const ok = res.code !== undefined && res.code < 300 && results.every((r) => r.statusCode < 300);
  return { ok, results };
}

export async function pointRead(container: Container, id: string, pk: string, options?: RequestOptions): Promise<CosmosDoc | undefined> {
  try {
    return (await container.item(id, pk).read<CosmosDoc>(options)).resource ?? undefined;
  } catch (e) {
    if (statusOf(e) === 404) return undefined;
    throw e;
  }
}
