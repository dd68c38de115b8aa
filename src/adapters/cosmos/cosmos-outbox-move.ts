/**
 * Moving a pending outbox message to another time (a task's overdue alert, when the school's
 * calendar changes), keeping the due index's rule (cosmos-outbox-due.ts): every pending message
 * has an entry due no later than the message itself. Earlier: the entry moves first, then the
 * message. Later: the message first, then its entry. The message is replaced on the ETag it was
 * read with, so a dispatcher's claim made meanwhile wins and the move is given up.
 */
import type { Container } from "@azure/cosmos";
import type { OutboxMessage } from "../../domain/incident.js";
import { etagOf } from "./cosmos-docs.js";
import { statusOf } from "./cosmos-errors.js";
import { indexDue, settleDue } from "./cosmos-outbox-due.js";
import { query } from "./cosmos-query.js";
import { fromEntityDoc, outboxDoc } from "./record-docs.js";

/**
 * A school's overdue alerts for tasks that no dispatcher has touched yet (never tried, never
 * claimed), by id after `afterId`: a batch at a time, each batch one query on indexed fields.
 */
export async function untriedTaskOverdues(records: Container, schoolId: string, afterId: string | undefined, limit: number) {
  const docs = await query(
    records,
    "SELECT TOP @top * FROM c WHERE c.type = 'outbox' AND c.schoolId = @schoolId AND c.task = 'overdue' AND c.status = 'pending' " +
      "AND c.attempts = 0 AND NOT IS_DEFINED(c.claimToken) AND c.entityId > @after ORDER BY c.entityId ASC",
    { "@schoolId": schoolId, "@after": afterId ?? "", "@top": Math.max(1, Math.floor(limit)) },
  );
  return docs.map((d) => fromEntityDoc<OutboxMessage>(d));
}

/** True when the message now waits until `at`; false when it changed since it was read (left as it is). */
export async function moveOutboxDoc(records: Container, due: Container, message: OutboxMessage, at: string): Promise<boolean> {
  const etag = etagOf(message);
  if (!etag) throw new Error("An outbox message is moved only as it was read (with its ETag).");
  const moved: OutboxMessage = { ...message, nextAttemptAt: at };
  if (at < message.nextAttemptAt) await indexDue(due, [moved]);
  try {
    await records.item(outboxDoc(message).id, message.pupilId).replace(outboxDoc(moved), { accessCondition: { type: "IfMatch", condition: etag } });
  } catch (e) {
    // An earlier entry left behind names a message not yet due: the next reader moves it on.
    if (statusOf(e) === 412) return false;
    throw e;
  }
  await settleDue(due, moved);
  return true;
}
