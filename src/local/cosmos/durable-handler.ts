import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { Readable } from "node:stream";
import { childLogger } from "../../logger.js";
import { putDoc, type Effect } from "./account-state.js";
import type { Compactor } from "./compaction.js";
import { queryDocuments } from "./indexed-query.js";
import type { Journal } from "./journal.js";
import { collectionKey, PendingWrites, readScope, type ReadScope } from "./pending-writes.js";
import {
  isTrueHeader,
  libraryQueryDocuments,
  matchRoute,
  parsePartitionKey,
  type AccountInternals,
  type Doc,
  type ItemsInternals,
} from "./server-internals.js";

const log = childLogger("local-cosmos");

type WriteKind = "create-db" | "delete-db" | "create-coll" | "delete-coll" | "put-doc" | "delete-doc" | "batch" | "unsupported";

/** Which writes we journal; reads (GET, queries) are undefined. Mirrors the library's router. */
function writeKind(req: IncomingMessage, params: Record<string, string>): WriteKind | undefined {
  const method = req.method ?? "GET";
  if (method === "GET") return undefined;
  if (method === "POST" && (isTrueHeader(req, "x-ms-documentdb-isquery") || req.headers["content-type"] === "application/query+json")) {
    return undefined;
  }
  if (params.udfId !== undefined || (req.url ?? "").includes("/udfs")) return "unsupported";
  if (method === "POST") {
    if (isTrueHeader(req, "x-ms-documentdb-is-upsert")) return "put-doc";
    if (isTrueHeader(req, "x-ms-cosmos-is-batch-request")) return "batch";
    if (params.collId !== undefined) return "put-doc";
    return params.dbId !== undefined ? "create-coll" : "create-db";
  }
  if (method === "PUT" || method === "PATCH") return params.docId !== undefined ? "put-doc" : "unsupported";
  if (method === "DELETE") {
    if (params.docId !== undefined) return "delete-doc";
    return params.collId !== undefined ? "delete-coll" : "delete-db";
  }
  return "unsupported";
}

const readBody = async (req: IncomingMessage) => {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
};

/** A stand-in request whose body we have already read (and so can inspect) for the library's handler. */
const replayableRequest = (req: IncomingMessage, body: Buffer) =>
  Object.assign(Readable.from([body]), { headers: req.headers, method: req.method, url: req.url }) as unknown as IncomingMessage;

interface BatchOp {
  operationType?: string;
  id?: string;
  partitionKey?: string;
  resourceBody?: Record<string, unknown>;
}

/** The (id, partition) each batch operation touches, so a failed batch can be put back exactly. */
function batchTargets(docs: ItemsInternals, ops: BatchOp[]) {
  return ops.map((op) => {
    if (op.resourceBody?.id !== undefined) return { id: String(op.resourceBody.id), partition: docs._getPartition(op.resourceBody) };
    try {
      return { id: String(op.id), partition: parsePartitionKey(op.partitionKey, op.id) };
    } catch {
      return { id: String(op.id), partition: undefined };
    }
  });
}

class JournalWriteError extends Error {
  constructor(override readonly cause: unknown) {
    super("journal write failed");
  }
}

/** Serialises writes so journal order is exactly the order writes were applied in memory. */
class Mutex {
  private tail: Promise<unknown> = Promise.resolve();
  run<T>(fn: () => Promise<T>): Promise<T> {
    const result = this.tail.then(fn);
    this.tail = result.catch(() => undefined);
    return result;
  }
}

/**
 * The request handler of the durable local server. Reads go straight to the library's handlers.
 * Writes are applied one at a time: the library applies them in memory, we derive the resulting
 * state and append it to the journal, then let the next write in; the response waits until the
 * journal's group commit has synced that entry, so concurrent writes share one fdatasync. The
 * library's batch is not atomic, so a batch with any failed operation is rolled back here before
 * answering, as Cosmos DB's transactional batch does.
 *
 * Read-your-writes and no dirty reads: memory runs ahead of the disk by the entries awaiting their
 * sync, so every answer waits until every write it could have seen is durable: a write's answer
 * (or its refusal) everything applied before it; a read only the writes to what it reads, its
 * partition or collection (see pending-writes.ts). No client is told of a state a crash could
 * undo. A read with no such write pending answers at once; otherwise it waits at most for the sync
 * in flight and the next one, the price a read already paid when each write blocked the event loop
 * on its own sync.
 */
export function createDurableHandler(account: AccountInternals, journal: Journal, compactor?: Compactor) {
  const mutex = new Mutex();
  let broken = false;
  /** The write being applied in memory and not yet in the journal, if any. */
  let applying: Promise<{ seq: number }> | undefined;
  /** Which undurable entries changed which collection and partition (see pending-writes.ts). */
  const pending = new PendingWrites(() => journal.durableSeq);

  /** Waits until everything an answer computed just now could show is durable. */
  async function durableUpTo(seq: number) {
    try {
      await journal.whenDurable(seq);
    } catch (err) {
      throw new JournalWriteError(err);
    }
  }

  /** The journal entry that covers what a read in `scope`, computed just now, could have seen. */
  async function readHorizon(scope: ReadScope) {
    // A write part-applied in memory may be in what the read saw: once applied (no sync needed)
    // it is in the journal and in `pending`, which then say how far the read must wait.
    await applying?.catch(() => undefined);
    return scope.kind === "everything" ? journal.lastSeq : pending.horizon(scope);
  }

  async function runWrite(
    kind: WriteKind,
    req: IncomingMessage,
    res: ServerResponse,
    params: Record<string, string>,
    handler: (r: IncomingMessage) => unknown,
    received: Buffer,
  ) {
    let raw = received;
    const db = params.dbId !== undefined ? account.database(params.dbId) : undefined;
    const coll = db && params.collId !== undefined ? db.collection(params.collId) : undefined;
    const dbId = db?.read()?.id ?? params.dbId;
    const collId = coll?.read()?.id ?? params.collId;
    let before: Doc[] = [];
    let targets: { id: string; partition: unknown }[] = [];
    let ops: BatchOp[] = [];
    if (kind === "delete-doc" && coll?.read()) {
      const pk = parsePartitionKey(req.headers["x-ms-documentdb-partitionkey"], params.docId);
      const d = coll.document(params.docId, pk).read();
      if (d) before = [d];
    }
    if (kind === "batch" && coll?.read()) {
      ops = JSON.parse(raw.toString("utf8") || "[]") as BatchOp[];
      if (Array.isArray(ops)) {
        // Cosmos DB applies the batch's partition key to operations that name none; the library
        // instead fails on them (Upsert, Replace, Delete), so we fill it in.
        const header = req.headers["x-ms-documentdb-partitionkey"];
        for (const op of ops) if (op && op.partitionKey === undefined && typeof header === "string") op.partitionKey = header;
        raw = Buffer.from(JSON.stringify(ops));
      }
      targets = Array.isArray(ops) ? batchTargets(coll.documents, ops) : [];
      before = targets.map((t) => coll.documents._item("/id", t.id, t.partition).read()) as Doc[];
    }
    const fake = replayableRequest(req, raw);

    let body: Record<string, unknown> | Record<string, unknown>[] | undefined;
    try {
      body = (await handler(fake)) as typeof body;
    } catch (err) {
      // The library can throw part-way through a batch (e.g. a malformed operation): undo it.
      if (kind === "batch" && coll?.read()) rollback(coll.documents, targets, before);
      throw err;
    }
    const status = res.statusCode;
    const effects: Effect[] = [];
    if (status < 300) {
      switch (kind) {
        case "create-db":
          effects.push({ op: "put-db", data: body as Doc, ridCount: account.databases._ridCount });
          break;
        case "delete-db":
          effects.push({ op: "del-db", dbId: dbId! });
          break;
        case "create-coll":
          effects.push({ op: "put-coll", dbId: dbId!, data: body as Doc, ridCount: db!.collections._ridCount });
          break;
        case "delete-coll":
          effects.push({ op: "del-coll", dbId: dbId!, collId: collId! });
          break;
        case "put-doc":
          effects.push({ op: "put-doc", dbId: dbId!, collId: collId!, doc: body as Doc, ridCount: coll!.documents._ridCount });
          break;
        case "delete-doc":
          if (before[0]) effects.push({ op: "del-doc", dbId: dbId!, collId: collId!, rid: before[0]._rid });
          break;
        case "batch": {
          const results = Array.isArray(body) ? (body as { statusCode: number; resourceBody?: Doc }[]) : [];
          if (results.some((r) => r.statusCode >= 400)) {
            rollback(coll!.documents, targets, before);
            res.statusCode = 207; // as Cosmos DB: per-operation statuses tell which one failed
            break;
          }
          results.forEach((r, i) => {
            const type = ops[i]?.operationType;
            if (type === "Delete" && before[i]) effects.push({ op: "del-doc", dbId: dbId!, collId: collId!, rid: before[i]._rid });
            else if (type !== "Read" && r.resourceBody) {
              effects.push({ op: "put-doc", dbId: dbId!, collId: collId!, doc: r.resourceBody, ridCount: coll!.documents._ridCount });
            }
          });
          break;
        }
      }
    } else if (kind === "batch" && coll?.read()) {
      rollback(coll.documents, targets, before); // e.g. an unsupported operation after applied ones
    }
    if (effects.length > 0) {
      let seq: number;
      try {
        seq = journal.append(effects);
      } catch (err) {
        throw new JournalWriteError(err);
      }
      const docs = kind !== "batch" && kind !== "put-doc" && kind !== "delete-doc" ? undefined : coll?.documents;
      pending.record(seq, docs && { coll: collectionKey(account, params.dbId, params.collId), docs }, effects, before);
    }
    // A write sees nothing applied after it (writes are exclusive), so its answer needs only this far.
    return { body, seq: journal.lastSeq };
  }

  /** Applies and journals under the mutex; the caller then waits for durability outside it. */
  const applyWrite = async (
    kind: WriteKind,
    req: IncomingMessage,
    res: ServerResponse,
    params: Record<string, string>,
    handler: (r: IncomingMessage) => unknown,
  ) => {
    const received = await readBody(req); // outside the mutex: a slow upload must not hold up other writes
    return mutex.run(() => {
      const run = runWrite(kind, req, res, params, handler, received);
      applying = run;
      return run.finally(() => {
        if (applying === run) applying = undefined;
      });
    });
  };

  return (req: IncomingMessage, res: ServerResponse) => {
    (async () => {
      let body: unknown;
      const route = matchRoute(req);
      if (broken) {
        res.statusCode = 503;
        body = { code: "ServiceUnavailable", message: "The local store could not write its journal." };
      } else if (!route) {
        res.statusCode = 400;
        body = { message: "no route" };
      } else {
        const [params, handler] = route;
        const kind = writeKind(req, params);
        try {
          if (kind === "unsupported") {
            res.statusCode = 400;
            body = { code: "BadRequest", message: "This operation is not supported by the durable local server." };
          } else if (kind) {
            const write = await applyWrite(kind, req, res, params, (r) => handler(account, r, res, params));
            body = write.body;
            // Under the mutex, so no write falls between snapshot and truncation; this response
            // does not wait for it. A snapshot taken before this entry's sync makes it durable too.
            if (compactor) mutex.run(async () => compactor.maybeCompact()).catch((err) => log.error({ err }, "local cosmos compaction check failed"));
            await durableUpTo(write.seq);
          } else {
            const scope = readScope(account, req, params, handler);
            // Document queries read only the documents that can match (see indexed-query.ts).
            body = await (handler === libraryQueryDocuments ? queryDocuments : handler)(account, req, res, params);
            await durableUpTo(await readHorizon(scope));
          }
        } catch (err) {
          if (err instanceof JournalWriteError) {
            // The journal could not be written: memory may now be ahead of disk, so refuse all
            // further work rather than acknowledge writes that would vanish on restart.
            broken = true;
            log.fatal({ err: err.cause }, "journal write failed; local store is now refusing requests");
          } else {
            log.error({ err }, "local cosmos handler failed");
          }
          res.statusCode = err instanceof JournalWriteError ? 503 : 500;
          body = { message: "internal error" };
        }
      }
      const payload = (body ?? {}) as Record<string, unknown>;
      if (res.statusCode > 399 && typeof payload.message !== "string") payload.message = "";
      if (typeof payload._etag === "string") res.setHeader("etag", payload._etag);
      res.setHeader("content-type", "application/json");
      res.setHeader("content-location", `https://${req.headers.host}${req.url}`);
      res.setHeader("x-ms-activity-id", randomUUID());
      res.setHeader("x-ms-request-charge", "1");
      if (req.headers["a-im"] && res.statusCode === 200) {
        if (req.headers["if-none-match"]) res.statusCode = 304;
        res.setHeader("etag", "1");
      }
      res.end(JSON.stringify(payload));
    })().catch((err) => {
      log.error({ err }, "local cosmos response failed");
      if (!res.writableEnded) {
        res.statusCode = 500;
        res.end("");
      }
    });
  };
}

function rollback(docs: ItemsInternals, targets: { id: string; partition: unknown }[], before: (Doc | undefined)[]) {
  for (let i = targets.length - 1; i >= 0; i--) {
    const { id, partition } = targets[i];
    if (docs._item("/id", id, partition).read()) docs.delete(id, partition);
    const prior = before[i];
    if (prior) putDoc(docs, prior);
  }
}
