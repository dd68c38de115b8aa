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

/** Enough to spread the writes of a busy trust; each dispatcher run asks every shard once. */
export const DUE_SHARDS = 4;
/** Far longer than any submit takes (its store calls time out at 10 s, retried a few times). */
export const ORPHAN_AFTER_MS = 10 * 60_000;
const BACKFILL_MARKER = { id: "backfilled", shard: "meta" };

export interface DueEntry {
  /** The outbox message's id. */
  id: string;
  shard: string;
  pupilId: string;
  dueAt: string;
  /** Real time the entry was written, for telling an in-flight batch from one that never landed. */
  writtenAt: number;
}

export const shardOf = (messageId: string) => `due-${createHash("sha1").update(messageId).digest().readUInt32BE(0) % DUE_SHARDS}`;
const SHARDS = Array.from({ length: DUE_SHARDS }, (_, i) => `due-${i}`);

const entryOf = (m: OutboxMessage): DueEntry => ({
  id: m.id,
  shard: shardOf(m.id),
  pupilId: m.pupilId,
  dueAt: m.nextAttemptAt,
  writtenAt: Date.now(),
});

/** Written before the batch that stores these messages; a failure here means nothing was stored. */
export async function indexDue(due: Container, messages: readonly OutboxMessage[]): Promise<void> {
  await Promise.all(messages.filter((m) => m.status === "pending").map((m) => due.items.upsert(entryOf(m))));
}

/** After a message was saved: a pending one's entry moves to its new time, a finished one's goes. */
export async function settleDue(due: Container, message: OutboxMessage): Promise<void> {
  if (message.status === "pending") {
    await due.items.upsert(entryOf(message));
    return;
  }
  try {
    await due.item(message.id, shardOf(message.id)).delete();
  } catch (e) {
    if (statusOf(e) !== 404) throw e;
  }
}

/** The pending messages due at `now`, oldest first, found through the index; mends stale entries. */
export async function readDue(records: Container, due: Container, now: string, limit: number): Promise<OutboxMessage[]> {
  const top = Math.max(1, Math.floor(limit));
  const perShard = await Promise.all(
    SHARDS.map((shard) =>
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
  const found = await Promise.all(entries.map((entry) => messageFor(records, due, entry, now)));
  return found.filter((m): m is OutboxMessage => m !== undefined);
}

async function messageFor(records: Container, due: Container, entry: CosmosDoc, now: string): Promise<OutboxMessage | undefined> {
  const doc = await pointRead(records, recordDocId("outbox", entry.id), String(entry.pupilId));
  if (!doc) {
    if (Date.now() - Number(entry.writtenAt) > ORPHAN_AFTER_MS) await mend(due, entry, undefined, "orphan");
    return undefined;
  }
  if (doc.status !== "pending") await mend(due, entry, undefined, "finished");
  else if (String(doc.nextAttemptAt) > now) await mend(due, entry, String(doc.nextAttemptAt), "not yet due");
  else return fromEntityDoc<OutboxMessage>(doc);
  return undefined;
}

/** Deletes or moves an entry only if nobody wrote it since it was read; a lost race changes nothing. */
async function mend(due: Container, entry: CosmosDoc, dueAt: string | undefined, why: string): Promise<void> {
  const accessCondition = { type: "IfMatch", condition: String(entry._etag) };
  try {
    const item = due.item(entry.id, String(entry.shard));
    if (dueAt === undefined) await item.delete({ accessCondition });
    else await item.replace({ ...entry, dueAt }, { accessCondition });
    if (why === "orphan") log.info({ messageId: entry.id }, "due entry with no outbox message removed");
  } catch (e) {
    const status = statusOf(e);
    if (status === 404 || status === 412) return;
    log.warn({ messageId: entry.id, status }, "due entry not mended; tried again on the next run");
  }
}

/**
 * Once per store: messages written before the index existed get their entries. One cross-partition
 * query over the pending outbox, then a marker so no instance does it again.
 */
export async function backfillDue(records: Container, due: Container): Promise<void> {
  if (await pointRead(due, BACKFILL_MARKER.id, BACKFILL_MARKER.shard)) return;
  const pending = (await query(records, "SELECT * FROM c WHERE c.type = 'outbox' AND c.status = 'pending'", {})).map((d) =>
    fromEntityDoc<OutboxMessage>(d),
  );
  for (let i = 0; i < pending.length; i += 50) await indexDue(due, pending.slice(i, i + 50));
  await due.items.upsert(BACKFILL_MARKER);
  if (pending.length) log.info({ messages: pending.length }, "outbox due index filled from existing messages");
}
