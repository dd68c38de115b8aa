/**
 * One request's memory of what it has already read. A submit or a search asks for the school
 * from several use cases (who the actor is, the form's options, the pupil index, the checks);
 * within one request these are the same read, so it is made once. The scope is opened at the
 * edges (the tab API's routes, POST /api/messages) and closed when the request ends: work a
 * request started and left running (the alert dispatcher, early warning) reads afresh after that.
 */
import { AsyncLocalStorage } from "node:async_hooks";

interface Scope {
  open: boolean;
  reads: Map<string, Promise<unknown>>;
}

const current = new AsyncLocalStorage<Scope>();

/** Runs one request's work with its own memory of reads, forgotten when it settles. */
export async function withinRequest<T>(work: () => Promise<T>): Promise<T> {
  const scope: Scope = { open: true, reads: new Map() };
  try {
    return await current.run(scope, work);
  } finally {
    scope.open = false;
    scope.reads.clear();
  }
}

/** The request's earlier read under `key`, or `read()` once; outside a request, always `read()`. A failed read is not kept. */
export function readOncePerRequest<T>(key: string, read: () => Promise<T>): Promise<T> {
  const scope = current.getStore();
  if (!scope?.open) return read();
  const earlier = scope.reads.get(key);
  if (earlier) return earlier as Promise<T>;
  const reading = read();
  scope.reads.set(key, reading);
  reading.catch(() => scope.reads.delete(key));
  return reading;
}

/** After a write within the request, its next read of `key` goes to the store. */
export function forgetInRequest(key: string): void {
  current.getStore()?.reads.delete(key);
}
