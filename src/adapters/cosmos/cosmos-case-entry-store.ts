/**
 * Case entries (referrals, outcomes, meetings, calls, disclosures) in the pupil's partition of the
 * records container, each created once with its audit event in one transactional batch. A
 * referral's watch is written in the same batch, so a referral never exists without the job
 * knowing of it, and its outcome closes the watch atomically. The job finds due watches through
 * the due index (cosmos-outbox-due.ts, kind REFERRAL_WATCH_DUE): a watch's entry is written
 * before the batch that opens it, moved or removed after the batch that moves or closes it.
 */
import type { Container, OperationInput } from "@azure/cosmos";
import type { CaseEntry, Referral, ReferralOutcome } from "../../domain/case-entries.js";
import type { ReferralWatch } from "../../domain/referral-watch.js";
import type { CaseEntryStore } from "../../ports/case-entry-store.js";
import { etagOf } from "./cosmos-docs.js";
import { guarded } from "./cosmos-errors.js";
import { inList, query } from "./cosmos-query.js";
import { create, pointRead, runBatch } from "./cosmos-batch.js";
import { indexDue, indexDueOf, readDueOf, settleDueAfter, type DueKind } from "./cosmos-outbox-due.js";
import { auditDoc, auditPartition, caseEntryDoc, fromEntityDoc, outboxDoc, recordDocId, referralWatchDoc } from "./record-docs.js";

export const REFERRAL_WATCH_DUE: DueKind<ReferralWatch> = {
  shards: "referral-due",
  type: "referralWatch",
  openStatus: "open",
  docId: (id) => recordDocId("referralWatch", id),
  fromDoc: (d) => fromEntityDoc<ReferralWatch>(d),
  dueOf: (w) => (w.status === "open" ? w.nextAlertAt : undefined),
};

export function createCosmosCaseEntryStore(records: Container, due: Container): CaseEntryStore {
  return {
    addCaseEntry: (entry, audit, watch) =>
      guarded("addCaseEntry", async () => {
        if (auditPartition(audit) !== entry.pupilId || (watch && watch.pupilId !== entry.pupilId))
          throw new Error("A case entry's audit and watch must belong to the entry's pupil.");
        const ops: OperationInput[] = [create(caseEntryDoc(entry)), create(auditDoc(audit))];
        // Upsert: the outcome closes whatever state the job left the watch in.
        if (watch) ops.push({ operationType: "Upsert", partitionKey: entry.pupilId, resourceBody: referralWatchDoc(watch) as never });
        // Write-ahead: an open watch is never stored without an entry (a closed one writes none).
        if (watch) await indexDueOf(due, REFERRAL_WATCH_DUE, [watch]);
        const { ok, results } = await runBatch(records, entry.pupilId, ops);
        // An outcome closed the watch: its entry goes (a crash first leaves one the reader removes).
        if (ok && watch && REFERRAL_WATCH_DUE.dueOf(watch) === undefined) await settleDueAfter(due, REFERRAL_WATCH_DUE, watch);
        if (ok) return { created: true };
        if (results[0]?.statusCode === 409) return { created: false };
        throw new Error(`case entry batch failed with status ${results.map((r) => r.statusCode).join(",")}`);
      }),

    getCaseEntry: (pupilId, id) =>
      guarded("getCaseEntry", async () => {
        const doc = await pointRead(records, recordDocId("caseEntry", id), pupilId);
        return doc && doc.type === "caseEntry" ? fromEntityDoc<CaseEntry>(doc) : undefined;
      }),

    outcomesFor: (pupilId, referralIds) =>
      guarded("outcomesFor", async () => {
        if (!referralIds.length) return [];
        const ids = inList("r", referralIds);
        return (
          await query(
            records,
            `SELECT * FROM c WHERE c.pupilId = @pupilId AND c.type = 'caseEntry' AND c.kind = 'referral-outcome' AND c.referralId IN (${ids.sql})`,
            { "@pupilId": pupilId, ...ids.params },
            pupilId,
          )
        ).map((d) => fromEntityDoc<ReferralOutcome>(d));
      }),

    referralsForSchool: (schoolId, from, until) =>
      guarded("referralsForSchool", async () => {
        const referrals = (
          await query(
            records,
            "SELECT * FROM c WHERE c.type = 'caseEntry' AND c.kind = 'referral' AND c.schoolId = @schoolId AND c.occurredAt >= @from AND c.occurredAt < @until",
            { "@schoolId": schoolId, "@from": from, "@until": until },
          )
        ).map((d) => fromEntityDoc<Referral>(d));
        if (!referrals.length) return { referrals, outcomes: [] };
        const ids = inList(
          "r",
          referrals.map((r) => r.id),
        );
        const outcomes = (
          await query(
            records,
            `SELECT * FROM c WHERE c.type = 'caseEntry' AND c.kind = 'referral-outcome' AND c.schoolId = @schoolId AND c.referralId IN (${ids.sql})`,
            { "@schoolId": schoolId, ...ids.params },
          )
        ).map((d) => fromEntityDoc<ReferralOutcome>(d));
        return { referrals, outcomes };
      }),

    caseEntriesForPupil: (pupilId) =>
      guarded("caseEntriesForPupil", async () =>
        (
          await query(
            records,
            "SELECT * FROM c WHERE c.pupilId = @pupilId AND c.type = 'caseEntry' ORDER BY c.occurredAt ASC",
            { "@pupilId": pupilId },
            pupilId,
          )
        ).map((d) => fromEntityDoc<CaseEntry>(d)),
      ),

    // Through the due index: a few shard queries and point reads, never a query across pupils.
    dueReferralWatches: (now, limit) => guarded("dueReferralWatches", () => readDueOf(records, due, REFERRAL_WATCH_DUE, now, limit)),

    claimReferralWatch: (read, next, outbox, audit) =>
      guarded("claimReferralWatch", async () => {
        const etag = etagOf(read);
        if (!etag) throw new Error("A referral watch is claimed with the ETag it was read with.");
        if (outbox.some((m) => m.pupilId !== read.pupilId) || (audit && auditPartition(audit) !== read.pupilId))
          throw new Error("Overdue alerts must belong to the referral's pupil.");
        const replace: OperationInput = {
          operationType: "Replace",
          id: recordDocId("referralWatch", read.id),
          partitionKey: read.pupilId,
          resourceBody: referralWatchDoc(next) as never,
          ifMatch: etag,
        };
        await indexDue(due, outbox);
        const { ok, results } = await runBatch(records, read.pupilId, [
          replace,
          ...outbox.map(outboxDoc).map(create),
          ...(audit ? [create(auditDoc(audit))] : []),
        ]);
        // After the batch: a crash before this leaves the entry earlier than the watch, which the reader mends.
        if (ok) await settleDueAfter(due, REFERRAL_WATCH_DUE, next);
        if (ok) return true;
        // 412: another runner (or the outcome) moved it first; 409: that day's alerts already exist.
        if (results.some((r) => r.statusCode === 412 || r.statusCode === 409)) return false;
        throw new Error(`referral watch batch failed with status ${results.map((r) => r.statusCode).join(",")}`);
      }),
  };
}
