import {
  liveItems,
  type AccountInternals,
  type CollectionInternals,
  type DatabaseInternals,
  type Doc,
  type ItemsInternals,
} from "./server-internals.js";

/**
 * What a successful write did, as the resulting state rather than the request. Replaying state
 * (the stored document with its _rid, _etag and _ts) reproduces exactly what clients were told,
 * ETags included, which replaying requests could not: the server mints a fresh random ETag each time.
 * `ridCount` carries the server's id counter so rids minted after a restart never collide.
 */
export type Effect =
  | { op: "put-db"; data: Doc; ridCount: number }
  | { op: "del-db"; dbId: string }
  | { op: "put-coll"; dbId: string; data: Doc; ridCount: number }
  | { op: "del-coll"; dbId: string; collId: string }
  | { op: "put-doc"; dbId: string; collId: string; doc: Doc; ridCount: number }
  | { op: "del-doc"; dbId: string; collId: string; rid: string };

export interface Snapshot {
  version: 1;
  /** The journal sequence number the snapshot includes; journal entries up to it are skipped. */
  lastSeq: number;
  databasesRidCount: number;
  databases: {
    data: Doc;
    collectionsRidCount: number;
    collections: { data: Doc; documentsRidCount: number; docs: Doc[] }[];
  }[];
}

const bumpRidCount = (items: ItemsInternals, ridCount: number) => {
  items._ridCount = Math.max(items._ridCount, ridCount);
};

/** Removes a document if present; a replay may meet state that already includes the effect. */
function removeDoc(items: ItemsInternals, idOrRid: string, partition?: unknown) {
  if (items._item("/id", idOrRid, partition).read()) items.delete(idOrRid, partition);
}

/** Puts a document exactly as stored before (same _rid/_etag/_ts), replacing any older version. */
export function putDoc(items: ItemsInternals, doc: Doc) {
  removeDoc(items, doc.id, items._getPartition(doc));
  items._set(doc);
}

/** Applies one effect to the in-memory account. Idempotent, so replaying over newer state is safe. */
export function applyEffect(account: AccountInternals, e: Effect) {
  switch (e.op) {
    case "put-db":
      if (!account.database(e.data.id).read()) account.databases._set(e.data);
      bumpRidCount(account.databases, e.ridCount);
      return;
    case "del-db":
      removeDoc(account.databases, e.dbId, e.dbId);
      return;
    case "put-coll": {
      const db = account.database(e.dbId);
      if (!db.read()) return;
      if (!db.collection(e.data.id).read()) db.collections._set(e.data);
      bumpRidCount(db.collections, e.ridCount);
      return;
    }
    case "del-coll": {
      const db = account.database(e.dbId);
      if (db.read()) removeDoc(db.collections, e.collId, e.collId);
      return;
    }
    case "put-doc": {
      const coll = account.database(e.dbId).collection(e.collId);
      if (!coll.read()) return;
      putDoc(coll.documents, e.doc);
      bumpRidCount(coll.documents, e.ridCount);
      return;
    }
    case "del-doc": {
      const coll = account.database(e.dbId).collection(e.collId);
      // Deleting by _rid: the library falls back to treating the key as a rid when no id matches.
      if (coll.read()) removeDoc(coll.documents, e.rid);
      return;
    }
  }
}

export function takeSnapshot(account: AccountInternals, lastSeq: number): Snapshot {
  const databases: Snapshot["databases"] = [];
  for (const [dbData, db] of liveItems<DatabaseInternals & { read(): Doc | undefined }>(account.databases)) {
    const collections: Snapshot["databases"][number]["collections"] = [];
    for (const [collData, coll] of liveItems<CollectionInternals & { read(): Doc | undefined }>(db.collections)) {
      const docs = [...liveItems(coll.documents)].map(([d]) => d);
      collections.push({ data: collData, documentsRidCount: coll.documents._ridCount, docs });
    }
    databases.push({ data: dbData, collectionsRidCount: db.collections._ridCount, collections });
  }
  return { version: 1, lastSeq, databasesRidCount: account.databases._ridCount, databases };
}

export function restoreSnapshot(account: AccountInternals, snap: Snapshot) {
  for (const db of snap.databases) {
    account.databases._set(db.data);
    const database = account.database(db.data.id);
    for (const c of db.collections) {
      database.collections._set(c.data);
      const docs = database.collection(c.data.id).documents;
      for (const d of c.docs) docs._set(d);
      bumpRidCount(docs, c.documentsRidCount);
    }
    bumpRidCount(database.collections, db.collectionsRidCount);
  }
  bumpRidCount(account.databases, snap.databasesRidCount);
}
