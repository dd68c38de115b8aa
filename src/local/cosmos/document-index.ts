import { liveItems, type Doc, type ItemsInternals } from "./server-internals.js";

/**
 * Secondary indexes over one container's documents, so a query reads only the documents that can
 * match instead of all of them. The library keeps documents in one Map by _rid and evaluates every
 * query over all of them (in a way that costs more than linearly); we keep, per indexed path, the
 * rids of the documents holding each scalar value there. An index only narrows: the library's own
 * query engine still evaluates the whole query over the candidates, so results are unchanged.
 *
 * Indexes are built the first time a query needs a path and then kept current by wrapping this
 * container's `_set` and `delete`, the two calls every write goes through (create, replace, upsert,
 * patch, batch, rollback, journal replay and snapshot restore alike).
 */

/** Path segments a query may name that we never read off a document (they are not data). */
const FORBIDDEN_KEYS = new Set(["__proto__", "constructor", "prototype"]);

/** Beyond this many indexed paths a container answers new paths by scanning, to bound memory. */
const MAX_INDEXED_PATHS = 24;

/** The partition's pseudo-path: values are what the library files the document under. */
export const PARTITION = Symbol("partition");

export type IndexPath = readonly string[] | typeof PARTITION;

/**
 * One key per scalar value, distinct across types as the query engine's equality is (1 is not "1").
 * Objects and arrays get none: they never equal a scalar, and we only look scalars up.
 */
export function valueKey(v: unknown): string | undefined {
  switch (typeof v) {
    case "string":
      return `s${v}`;
    case "number":
      return Number.isNaN(v) ? undefined : `n${v}`;
    case "boolean":
      return v ? "t" : "f";
    default:
      return v === null ? "z" : undefined;
  }
}

export const isSafePath = (path: readonly string[]) => path.length > 0 && path.every((k) => !FORBIDDEN_KEYS.has(k));

/** Reads a nested value as the query engine does, but only own properties (see isSafePath). */
function valueAt(doc: unknown, path: readonly string[]): unknown {
  let v = doc;
  for (const key of path) {
    if (typeof v !== "object" || v === null || !Object.hasOwn(v, key)) return undefined;
    v = (v as Record<string, unknown>)[key];
  }
  return v;
}

interface PathIndex {
  extract(doc: Doc): unknown;
  rids: Map<string, Set<string>>;
}

export class DocumentIndex {
  /** Each live rid's position in the library's Map, which is the order queries see documents in. */
  private readonly position = new Map<string, number>();
  private nextPosition = 0;
  private readonly paths = new Map<string, PathIndex>();

  constructor(private readonly docs: ItemsInternals) {
    for (const [doc] of liveItems(docs)) this.position.set(doc._rid, this.nextPosition++);
    const set = docs._set.bind(docs);
    const remove = docs.delete.bind(docs);
    docs._set = (data: Doc) => {
      const prior = docs._data.get(data._rid)?.read();
      const stored = set(data);
      // Setting an existing rid keeps its place in the library's Map, so it keeps its position.
      if (prior) this.unindex(prior);
      else this.position.set(stored._rid, this.nextPosition++);
      this.index(stored);
      return stored;
    };
    docs.delete = (idOrRid: string, partition?: unknown) => {
      const data = docs._item("/id", idOrRid, partition).read();
      remove(idOrRid, partition);
      if (data) {
        this.unindex(data);
        this.position.delete(data._rid);
      }
    };
  }

  /** The rids whose value at `path` has this key; undefined when the path cannot be indexed. */
  lookup(path: IndexPath, key: string): ReadonlySet<string> | undefined {
    const index = this.pathIndex(path);
    return index ? (index.rids.get(key) ?? new Set()) : undefined;
  }

  /** The documents for these rids, in the order the library would have met them. */
  documents(rids: Iterable<string>): Doc[] {
    const found: [number, Doc][] = [];
    for (const rid of rids) {
      const doc = this.docs._data.get(rid)?.read();
      const at = this.position.get(rid);
      if (doc && at !== undefined) found.push([at, doc]);
    }
    return found.sort((a, b) => a[0] - b[0]).map(([, d]) => d);
  }

  private pathIndex(path: IndexPath): PathIndex | undefined {
    const name = path === PARTITION ? "" : JSON.stringify(path);
    const existing = this.paths.get(name);
    if (existing) return existing;
    if (path !== PARTITION && !isSafePath(path)) return undefined;
    if (this.paths.size >= MAX_INDEXED_PATHS) return undefined;
    const extract = path === PARTITION ? (d: Doc) => this.docs._getPartition(d) : (d: Doc) => valueAt(d, path);
    const index: PathIndex = { extract, rids: new Map() };
    for (const [doc] of liveItems(this.docs)) add(index, doc);
    this.paths.set(name, index);
    return index;
  }

  private index(doc: Doc) {
    for (const index of this.paths.values()) add(index, doc);
  }

  private unindex(doc: Doc) {
    for (const index of this.paths.values()) {
      const key = valueKey(index.extract(doc));
      if (key === undefined) continue;
      const rids = index.rids.get(key);
      rids?.delete(doc._rid);
      if (rids?.size === 0) index.rids.delete(key);
    }
  }
}

function add(index: PathIndex, doc: Doc) {
  const key = valueKey(index.extract(doc));
  if (key === undefined) return;
  let rids = index.rids.get(key);
  if (!rids) index.rids.set(key, (rids = new Set()));
  rids.add(doc._rid);
}

const indexes = new WeakMap<ItemsInternals, DocumentIndex>();

/** The container's index, built on first use; it lives as long as the container's documents do. */
export function indexOf(docs: ItemsInternals): DocumentIndex {
  let index = indexes.get(docs);
  if (!index) indexes.set(docs, (index = new DocumentIndex(docs)));
  return index;
}
