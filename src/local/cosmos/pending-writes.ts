import type { IncomingMessage } from "node:http";
import type { Effect } from "./account-state.js";
import { valueKey } from "./document-index.js";
import {
  libraryQueryDocuments,
  libraryReadDocument,
  libraryReadDocuments,
  parsePartitionKey,
  type AccountInternals,
  type Doc,
  type ItemsInternals,
  type RouteHandler,
} from "./server-internals.js";

/**
 * Which journal entries a read has to wait for, so that it waits only for writes it could have
 * seen. Memory runs ahead of the disk by the entries awaiting their sync; a read must not answer
 * with any of them before they are durable (durable-handler.ts), but a read of one partition
 * cannot show a write to another, so it need not wait for that write's sync. During a burst of
 * submits that is the difference between every chronology read waiting for the next fdatasync and
 * only the reads of the pupils being written to doing so.
 *
 * What a read can see:
 * - a point read: the document the library files under its partition slot, or else, by the
 *   library's fallback, the document whose _rid is the id asked for;
 * - a query sent with a partition key: the documents of that partition (indexed-query.ts);
 * - a read feed or a cross-partition query: the whole collection;
 * - anything else (databases, collections, partition key ranges): everything, as before.
 * Creating or deleting a database or collection changes what every read sees, so every read
 * waits for those (they are rare: start-up and tests).
 */
export type ReadScope = { kind: "everything" } | { kind: "collection"; coll: string; keys?: string[] };

/** A collection, by the ids its writes are journalled under (a request may name it by _rid). */
export function collectionKey(account: AccountInternals, dbId: string, collId: string) {
  const db = account.database(dbId);
  return JSON.stringify([db.read()?.id ?? dbId, db.collection(collId).read()?.id ?? collId]);
}

/** The library files a document under `partition || id`, as a string (items.js `_getId`). */
const slotKey = (partition: unknown, id: unknown) => `p${String(partition || id)}`;
const ridKey = (rid: string) => `r${rid}`;

/** The keys under which a read could find `doc`: its partition slot and its _rid. */
const documentKeys = (docs: ItemsInternals, doc: Doc) => [slotKey(docs._getPartition(doc), doc.id), ridKey(doc._rid)];

/** The partition slot a query's x-ms-documentdb-partitionkey confines it to, if any. */
function queryKeys(req: IncomingMessage): string[] | undefined {
  const header = req.headers["x-ms-documentdb-partitionkey"];
  if (typeof header !== "string") return undefined;
  try {
    const value = parsePartitionKey(header, undefined);
    // As indexed-query.ts narrows: only a scalar confines the query, and a falsy one files each
    // document under its own id, so neither names one slot.
    return value && valueKey(value) !== undefined ? [slotKey(value, undefined)] : undefined;
  } catch {
    return undefined;
  }
}

/** The point read's slot and, for the library's fallback, the document with that _rid. */
function pointReadKeys(req: IncomingMessage, docId: string): string[] | undefined {
  try {
    return [slotKey(parsePartitionKey(req.headers["x-ms-documentdb-partitionkey"], docId), docId), ridKey(docId)];
  } catch {
    return undefined; // the library fails this read too; waiting for the collection is safe
  }
}

export function readScope(account: AccountInternals, req: IncomingMessage, params: Record<string, string>, handler: RouteHandler): ReadScope {
  if (handler !== libraryQueryDocuments && handler !== libraryReadDocument && handler !== libraryReadDocuments) return { kind: "everything" };
  const coll = collectionKey(account, params.dbId, params.collId);
  if (handler === libraryReadDocuments) return { kind: "collection", coll };
  return { kind: "collection", coll, keys: handler === libraryReadDocument ? pointReadKeys(req, params.docId) : queryKeys(req) };
}

interface CollectionWrites {
  /** The last entry that changed any document of the collection. */
  seq: number;
  /** The last entry that changed a document found under each key. */
  keys: Map<string, number>;
}

const STRUCTURAL = new Set<Effect["op"]>(["put-db", "del-db", "put-coll", "del-coll"]);

/**
 * The last journal entry that changed each collection, partition slot and document _rid. Entries
 * already durable are forgotten in sweeps whose cost is amortised over the writes recorded.
 */
export class PendingWrites {
  private structural = 0;
  private readonly collections = new Map<string, CollectionWrites>();
  private recorded = 0;
  private sweepAbove = 4096;

  constructor(private readonly durableSeq: () => number) {}

  /**
   * Records journal entry `seq`, of `effects` on the documents of `target` (none for a database or
   * collection). `before` holds the documents as they were: a deleted one's partition is read there.
   */
  record(seq: number, target: { coll: string; docs: ItemsInternals } | undefined, effects: Effect[], before: (Doc | undefined)[]) {
    for (const e of effects) {
      const doc = e.op === "put-doc" ? e.doc : e.op === "del-doc" ? before.find((d) => d?._rid === e.rid) : undefined;
      if (!target || STRUCTURAL.has(e.op) || !doc) {
        this.structural = seq; // also a document we could not place: every read waits, which is safe
        continue;
      }
      let writes = this.collections.get(target.coll);
      if (!writes) this.collections.set(target.coll, (writes = { seq, keys: new Map() }));
      writes.seq = seq;
      for (const key of documentKeys(target.docs, doc)) writes.keys.set(key, seq);
      this.recorded += 2;
    }
    if (this.recorded > this.sweepAbove) this.sweep();
  }

  /** The last entry a read in `scope` could have seen; waiting until it is durable is enough. */
  horizon(scope: Exclude<ReadScope, { kind: "everything" }>) {
    const writes = this.collections.get(scope.coll);
    if (!writes) return this.structural;
    if (!scope.keys) return Math.max(this.structural, writes.seq);
    return Math.max(this.structural, ...scope.keys.map((k) => writes.keys.get(k) ?? 0));
  }

  private sweep() {
    const durable = this.durableSeq();
    this.recorded = 0;
    for (const [coll, writes] of this.collections) {
      if (writes.seq <= durable) {
        this.collections.delete(coll);
        continue;
      }
      for (const [key, seq] of writes.keys) if (seq <= durable) writes.keys.delete(key);
      this.recorded += writes.keys.size;
    }
    this.sweepAbove = Math.max(4096, 2 * this.recorded);
  }
}
