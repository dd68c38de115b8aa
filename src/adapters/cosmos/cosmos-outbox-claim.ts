/**
 * Claiming an outbox message so that a lost answer does not hold the alert for a whole lease.
 *
 * The claim replaces the document with the lease (as its nextAttemptAt) and a token the dispatcher
 * chose for this claim, on the ETag it read. When the answer to that replace is lost (a dropped
 * connection or timeout after the store acted), or the SDK's own retry of it meets 412 because our
 * first write already moved the ETag, the document is read again: our token on it means the claim
 * is ours and the alert goes now, not after the lease. Without that, the soak saw alerts held back
 * for the full 60 s lease. If even the read-back fails, the lease still bounds the delay.
 */
import type { Container } from "@azure/cosmos";
import type { OutboxMessage } from "../../domain/incident.js";
import { childLogger } from "../../logger.js";
import { pointRead } from "./cosmos-batch.js";
import { etagOf, type CosmosDoc } from "./cosmos-docs.js";
import { isUnavailable, statusOf } from "./cosmos-errors.js";
import { fromEntityDoc, recordDocId } from "./record-docs.js";

const log = childLogger("cosmos-outbox");

/** Waits between read-backs; short, because the message is otherwise held until the lease ends. */
const READ_BACK_DELAYS_MS = [0, 50, 200, 500];

export async function claimOutboxDoc(
  records: Container,
  message: OutboxMessage,
  leaseUntil: string,
  claimToken: string,
): Promise<OutboxMessage | undefined> {
  const docId = recordDocId("outbox", message.id);
  const current = await pointRead(records, docId, message.pupilId);
  if (!current || current.status !== "pending") return undefined;
  // Without the ETag we read it with (the caller copied the object), compare what matters.
  const etag =
    etagOf(message) ?? (current.attempts === message.attempts && current.nextAttemptAt === message.nextAttemptAt ? current._etag : undefined);
  if (!etag) return undefined;
  try {
    // The lease is the next attempt time: until it passes, no other dispatcher sees the message as due.
    const { resource } = await records
      .item(current.id, message.pupilId)
      .replace<CosmosDoc>({ ...current, nextAttemptAt: leaseUntil, claimToken }, { accessCondition: { type: "IfMatch", condition: etag } });
    return resource ? fromEntityDoc<OutboxMessage>(resource) : undefined;
  } catch (e) {
    const status = statusOf(e);
    if (status !== 412 && !isUnavailable(e)) throw e;
    const after = await readBack(records, docId, message.pupilId);
    if (after && after.claimToken === claimToken && after.status === "pending") {
      log.info({ messageId: message.id, status, code: (e as { code?: unknown }).code }, "outbox claim answer lost; the claim is ours");
      return fromEntityDoc<OutboxMessage>(after);
    }
    // Another dispatcher's claim, or ours never landed (the message is still due for the next run).
    if (status === 412 || after) return undefined;
    throw e;
  }
}

async function readBack(records: Container, docId: string, pupilId: string): Promise<CosmosDoc | undefined> {
  for (const ms of READ_BACK_DELAYS_MS) {
    if (ms) await new Promise((r) => setTimeout(r, ms));
    try {
      return await pointRead(records, docId, pupilId);
    } catch (e) {
      if (!isUnavailable(e)) throw e;
    }
  }
  return undefined;
}
