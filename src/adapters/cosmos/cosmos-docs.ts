/** Cosmos DB's system properties, stripped before a document becomes a domain object again. */
const SYSTEM_FIELDS = ["_rid", "_self", "_etag", "_attachments", "_ts", "_lsn"] as const;

export type CosmosDoc = Record<string, unknown> & { id: string; _etag?: string };

export function withoutSystemFields<T>(doc: CosmosDoc, extra: string[] = []): T {
  const out: Record<string, unknown> = { ...doc };
  for (const f of SYSTEM_FIELDS) delete out[f];
  for (const f of extra) delete out[f];
  return out as T;
}

const ETAG = Symbol.for("keepsafe.cosmos.etag");

/**
 * Remembers the ETag a value was read with, without adding an enumerable field to the domain
 * object (so it never leaks into API responses or equality checks). A copy made with spread
 * loses it, and callers then fall back to comparing fields.
 */
export function attachEtag<T extends object>(value: T, etag: string | undefined): T {
  if (etag) Object.defineProperty(value, ETAG, { value: etag, enumerable: false, configurable: true });
  return value;
}

export const etagOf = (value: object): string | undefined => (value as Record<symbol, string | undefined>)[ETAG];
