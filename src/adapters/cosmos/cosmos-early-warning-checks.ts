/**
 * Early-warning checks (domain/early-warning-check.ts) in the pupil's partition of `records`,
 * found through the due index (cosmos-outbox-due.ts) under their own shards (`ew-due-*`), as the
 * referral and subject access watches are. The check's entry is written before the incident's
 * batch that stores the check (write-ahead: an entry may name nothing, a check is never without
 * an entry); clearing deletes the check, then its entry (a crash in between leaves an entry naming
 * nothing, which the reader removes once old).
 */
import type { Container, OperationInput } from "@azure/cosmos";
import type { EarlyWarningCheck } from "../../domain/early-warning-check.js";
import { create } from "./cosmos-batch.js";
import { statusOf } from "./cosmos-errors.js";
import { indexDueOf, readDueOf, settleDueAfter, type DueKind } from "./cosmos-outbox-due.js";
import { fromEntityDoc, recordDocId } from "./record-docs.js";

/** A stored check is always due at its time; once done it is deleted, so nothing is "finished" in place. */
export const EARLY_WARNING_CHECK_DUE: DueKind<EarlyWarningCheck> = {
  shards: "ew-due",
  type: "earlyWarningCheck",
  openStatus: "pending",
  docId: (id) => recordDocId("earlyWarningCheck", id),
  fromDoc: (d) => fromEntityDoc<EarlyWarningCheck>(d),
  dueOf: (c) => c.dueAt,
};

const checkDoc = (c: EarlyWarningCheck) => ({
  ...c,
  id: recordDocId("earlyWarningCheck", c.id),
  entityId: c.id,
  type: "earlyWarningCheck" as const,
  status: "pending" as const,
});

/** Before the incident's batch: the entry first, then the check's create goes in that batch. */
export async function checkOps(due: Container, check: EarlyWarningCheck | undefined): Promise<OperationInput[]> {
  if (!check) return [];
  await indexDueOf(due, EARLY_WARNING_CHECK_DUE, [check]);
  return [create(checkDoc(check))];
}

export const dueChecks = (records: Container, due: Container, now: string, limit: number) =>
  readDueOf(records, due, EARLY_WARNING_CHECK_DUE, now, limit);

// The same kind with nothing due: settling a check through it deletes its entry.
const CLEARED: DueKind<EarlyWarningCheck> = { ...EARLY_WARNING_CHECK_DUE, dueOf: () => undefined };

/** The check, then its entry; either already gone is fine (the other evaluator cleared it). */
export async function clearCheck(records: Container, due: Container, check: EarlyWarningCheck): Promise<void> {
  try {
    await records.item(recordDocId("earlyWarningCheck", check.id), check.pupilId).delete();
  } catch (e) {
    if (statusOf(e) !== 404) throw e;
  }
  // A failure here is logged, not thrown: the reader removes an entry naming nothing once it is old.
  await settleDueAfter(due, CLEARED, check);
}
