/**
 * The outbox's due index: how the dispatcher finds due alerts without a cross-partition query.
 *
 * Outbox messages live in their pupil's partition of `records`, written in the same transactional
 * batch as the record that raised them. Finding the due ones across every pupil was a query over
 * all partitions. Instead, each pending message has an entry in the `outbox-due` container,
 * partitioned by a small fixed number of shards, naming the message (id and pupil) and when it is
 * due. The dispatcher queries only those shards, then point-reads each message it names.
 *
 * A batch is single-partition, so the entry cannot be written with it. It is written FIRST
 * (write-ahead): a crash or failure after the entry and before the batch leaves an entry that
 * names no message (an orphan), never a message without an entry. So no alert is lost and no
 * sweep is needed. The index may say more than is true, never less; readDue() mends what it finds:
 * - the message is missing: its batch is still in flight or never landed. Left alone while young
 *   (real time, not the dispatcher's clock), deleted once older than ORPHAN_AFTER_MS;
 * - the message is sent, failed or cancelled: the entry is deleted (a crash between the save and
 *   the delete);
 * - the message is not due yet (claimed under a lease, or deferred): the entry moves to its time.
 * Each mend is conditional on the entry's ETag, so it never undoes a newer write. The rule that
 * keeps it safe: every pending message has an entry due no later than the message itself. A
 * message is saved before its entry is moved (settleDue), and the entry is read before the
 * message (readDue), so a reader that moves an entry has seen the newest message.
 *
 * The same index serves the watch jobs (referral overdue, subject access deadline) and early
 * warning's checks: a `DueKind` says where a kind's documents are, when one is due and when it is
 * finished, and each kind has its own shards (`due-*` for the outbox, `referral-due-*`,
 * `sar-due-*`, `ew-due-*`), so a reader asks only its kind's partitions. A watch's entry is
 * written before the batch that creates it; a move to a later time or the end of the watch is
 * settled after its batch (settleDueAfter), as an outbox save.
 */
import { createHash } from "node:crypto";
import type { Container } from "@azure/cosmos";
import type { OutboxMessage } from "../../domain/incident.js";
import { childLogger } from "../../logger.js";
import { pointRead } from "./cosmos-batch.js";
import { type CosmosDoc } from "./cosmos-docs.js";
import { statusOf } from "./cosmos-errors.js";
import { query } from "./cosmos-query.js";
import { fromEntityDoc, recordDocId } from "./record-docs.js";

const log = childLogger("cosmos-outbox-due");

/** Enough to spread the writes of a busy trust; each reader run asks every shard of its kind once. */
export const DUE_SHARDS = 4;
/** Far longer than any submit takes (its store calls time out at 10 s, retried a few times). */
export const ORPHAN_AFTER_MS = 10 * 60_000;

/** One kind of document in `records` that is found through the index when it is due. */
export interface DueKind<T extends { id: string; pupilId: string }> {
  /** The kind's shards are `${shards}-0` to `${shards}-3`. */
  shards: string;
  /** The `type` of its documents in `records`, and the status they have while they need an entry. */
  type: string;
  openStatus: string;
  /** Its document's id in the pupil's partition. */
  docId(id: string): string;
  fromDoc(doc: CosmosDoc): T;
  /** When it is next due, or undefined once it is finished (needs no entry). */
  dueOf(value: T): string | undefined;
}

export const OUTBOX_DUE: DueKind<OutboxMessage> = {
  shards: "due",
  type: "outbox",
  openStatus: "pending",
  docId: (id) => recordDocId("outbox", id),
  fromDoc: (d) => fromEntityDoc<OutboxMessage>(d),
  dueOf: (m) => (m.status === "pending" ? m.nextAttemptAt : undefined),
};

export interface DueEntry {
  /** The outbox message's (or watch's) id. */
  id: string;
  shard: string;
  pupilId: string;
  dueAt: string;
  /** Real time the entry was written, for telling an in-flight batch from one that never landed. */
  writtenAt: number;
}

const shardsOf = (kind: { shards: string }) => Array.from({ length: DUE_SHARDS }, (_, i) => `${kind.shards}-${i}`);
export const shardOf = (id: string, kind: { shards: string } = OUTBOX_DUE) =>
  `${kind.shards}-${createHash("sha1").update(id).digest().readUInt32BE(0) % DUE_SHARDS}`;
// The outbox's marker keeps its first name: stores already marked must not backfill again.
export const markerOf = (kind: { shards: string }) => ({ id: kind === OUTBOX_DUE ? "backfilled" : `backfilled:${kind.shards}`, shard: "meta" });

/** Written before the batch that stores these; a failure here means nothing was stored. */
export async function indexDueOf<T extends { id: string; pupilId: string }>(due: Container, kind: DueKind<T>, values: readonly T[]): Promise<void> {
  await Promise.all(
    values.map((v) => {
      const dueAt = kind.dueOf(v);
      return dueAt === undefined
        ? undefined
        : due.items.upsert({ id: v.id, shard: shardOf(v.id, kind), pupilId: v.pupilId, dueAt, writtenAt: Date.now() });
    }),
  );
}

/** After a value was saved: an open one's entry moves to its new time, a finished one's goes. */
export async function settleDueOf<T extends { id: string; pupilId: string }>(due: Container, kind: DueKind<T>, value: T): Promise<void> {
  if (kind.dueOf(value) !== undefined) {
    await indexDueOf(due, kind, [value]);
    return;
  }
  try {
    await due.item(value.id, shardOf(value.id, kind)).delete();
  } catch (e) {
    if (statusOf(e) !== 404) throw e;
  }
}

/** After a batch that landed: a settle that fails is mended by the next reader, so it is logged, not thrown. */
export async function settleDueAfter<T extends { id: string; pupilId: string }>(due: Container, kind: DueKind<T>, value: T): Promise<void> {
  try {
    await settleDueOf(due, kind, value);
  } catch (e) {
    log.warn({ entryId: value.id, kind: kind.type, status: statusOf(e) }, "due entry not settled; the next reader mends it");
  }
}

/** The open values due at `now`, oldest first, found through the kind's shards; mends stale entries. */
export async function readDueOf<T extends { id: string; pupilId: string }>(
  records: Container,
  due: Container,
  kind: DueKind<T>,
  now: string,
  limit: number,
): Promise<T[]> {
  const top = Math.max(1, Math.floor(limit));
  const perShard = await Promise.all(
    shardsOf(kind).map((shard) =>
      query(
        due,
        "SELECT TOP @top * FROM c WHERE c.shard = @shard AND c.dueAt <= @now ORDER BY c.dueAt ASC",
        { "@top": top, "@shard": shard, "@now": now },
        shard,
      ),
    ),
  );
  const entries = perShard
    .flat()
    .sort((a, b) => String(a.dueAt).localeCompare(String(b.dueAt)))
    .slice(0, top);
  const found: (T | undefined)[] = await Promise.all(entries.map((entry) => valueFor(records, due, kind, entry, now)));
  return found.filter((v): v is T => v !== undefined);
}

async function valueFor<T extends { id: string; pupilId: string }>(
  records: Container,
  due: Container,
  kind: DueKind<T>,
  entry: CosmosDoc,
  now: string,
): Promise<T | undefined> {
  const doc = await pointRead(records, kind.docId(entry.id), String(entry.pupilId));
  if (!doc || doc.type !== kind.type) {
    if (Date.now() - Number(entry.writtenAt) > ORPHAN_AFTER_MS) await mend(due, entry, undefined, "orphan");
    return undefined;
  }
  const value = kind.fromDoc(doc);
  const dueAt = kind.dueOf(value);
  if (dueAt === undefined) await mend(due, entry, undefined, "finished");
  else if (dueAt > now) await mend(due, entry, dueAt, "not yet due");
  else return value;
  return undefined;
}

/** Deletes or moves an entry only if nobody wrote it since it was read; a lost race changes nothing. */
async function mend(due: Container, entry: CosmosDoc, dueAt: string | undefined, why: string): Promise<void> {
  const accessCondition = { type: "IfMatch", condition: String(entry._etag) };
  try {
    const item = due.item(entry.id, String(entry.shard));
    if (dueAt === undefined) await item.delete({ accessCondition });
    else await item.replace({ ...entry, dueAt }, { accessCondition });
    if (why === "orphan") log.info({ entryId: entry.id, shard: entry.shard }, "due entry naming no record removed");
  } catch (e) {
    const status = statusOf(e);
    if (status === 404 || status === 412) return;
    log.warn({ entryId: entry.id, shard: entry.shard, status }, "due entry not mended; tried again on the next run");
  }
}

/**
 * Once per store and kind: documents written before the index existed get their entries. One
 * cross-partition query over the kind's open documents, then a marker so no instance does it again.
 */
export async function backfillDueOf<T extends { id: string; pupilId: string }>(records: Container, due: Container, kind: DueKind<T>): Promise<void> {
  const marker = markerOf(kind);
  if (await pointRead(due, marker.id, marker.shard)) return;
  const open = (
    await query(records, "SELECT * FROM c WHERE c.type = @type AND c.status = @status", { "@type": kind.type, "@status": kind.openStatus })
  ).map((d) => kind.fromDoc(d));
  for (let i = 0; i < open.length; i += 50) await indexDueOf(due, kind, open.slice(i, i + 50));
  await due.items.upsert(marker);
  if (open.length) log.info({ kind: kind.type, documents: open.length }, "due index filled from existing documents");
}

/** The outbox's uses, by their first names. */
export const indexDue = (due: Container, messages: readonly OutboxMessage[]) => indexDueOf(due, OUTBOX_DUE, messages);
export const settleDue = (due: Container, message: OutboxMessage) => settleDueOf(due, OUTBOX_DUE, message);
export const readDue = (records: Container, due: Container, now: string, limit: number) => readDueOf(records, due, OUTBOX_DUE, now, limit);
export const backfillDue = (records: Container, due: Container) => backfillDueOf(records, due, OUTBOX_DUE);
