/**
 * Early-warning firings and reviews (early-warning.ts) in the pupil's partition of the records
 * container. A firing's id is deterministic per episode, so a second evaluation of the same
 * build-up (two instances, a retry) meets 409 and writes nothing; a review's id is the firing's,
 * so a firing is reviewed once.
 */
import type { Container } from "@azure/cosmos";
import type { EarlyWarningFiring, EarlyWarningReview } from "../../domain/early-warning.js";
import type { EarlyWarningStore } from "../../ports/early-warning-store.js";
import { guarded } from "./cosmos-errors.js";
import { inList, query } from "./cosmos-query.js";
import { create, runBatch } from "./cosmos-batch.js";
import { indexDue } from "./cosmos-outbox-due.js";
import { clearCheck, dueChecks } from "./cosmos-early-warning-checks.js";
import { backfillCandidates, backfillDone, markBackfillDone } from "./cosmos-early-warning-backfill.js";
import { auditDoc, auditPartition, fromEntityDoc, outboxDoc, recordDocId } from "./record-docs.js";

const firingDoc = (f: EarlyWarningFiring) => ({ ...f, id: recordDocId("earlyWarning", f.id), entityId: f.id, type: "earlyWarning" as const });
const reviewDoc = (r: EarlyWarningReview) => ({
  ...r,
  id: recordDocId("earlyWarningReview", r.id),
  entityId: r.id,
  type: "earlyWarningReview" as const,
});

export function createCosmosEarlyWarningStore(records: Container, due: Container): EarlyWarningStore {
  return {
    dueChecks: (now, limit) => guarded("dueEarlyWarningChecks", () => dueChecks(records, due, now, limit)),
    clearCheck: (check) => guarded("clearEarlyWarningCheck", () => clearCheck(records, due, check)),
    backfillCandidates: (schoolId, since) => guarded("earlyWarningBackfillCandidates", () => backfillCandidates(records, schoolId, since)),
    backfillDone: () => guarded("earlyWarningBackfillDone", () => backfillDone(due)),
    markBackfillDone: (at) => guarded("markEarlyWarningBackfillDone", () => markBackfillDone(due, at)),

    recordFiring: (firing, audit, outbox) =>
      guarded("recordFiring", async () => {
        if (auditPartition(audit) !== firing.pupilId || outbox.some((m) => m.pupilId !== firing.pupilId))
          throw new Error("A firing's audit and alerts must belong to its pupil.");
        await indexDue(due, outbox);
        const { ok, results } = await runBatch(records, firing.pupilId, [
          create(firingDoc(firing)),
          create(auditDoc(audit)),
          ...outbox.map(outboxDoc).map(create),
        ]);
        if (ok) return { created: true };
        if (results[0]?.statusCode === 409) return { created: false };
        throw new Error(`early warning batch failed with status ${results.map((r) => r.statusCode).join(",")}`);
      }),

    recordReview: (review, audit) =>
      guarded("recordReview", async () => {
        if (auditPartition(audit) !== review.pupilId) throw new Error("A review's audit must belong to its pupil.");
        const { ok, results } = await runBatch(records, review.pupilId, [create(reviewDoc(review)), create(auditDoc(audit))]);
        if (ok) return { created: true };
        if (results[0]?.statusCode === 409) return { created: false };
        throw new Error(`early warning review batch failed with status ${results.map((r) => r.statusCode).join(",")}`);
      }),

    firingsForPupil: (pupilId) =>
      guarded("firingsForPupil", async () => {
        const docs = await query(
          records,
          "SELECT * FROM c WHERE c.pupilId = @pupilId AND (c.type = 'earlyWarning' OR c.type = 'earlyWarningReview')",
          { "@pupilId": pupilId },
          pupilId,
        );
        return {
          firings: docs.filter((d) => d.type === "earlyWarning").map((d) => fromEntityDoc<EarlyWarningFiring>(d)),
          reviews: docs.filter((d) => d.type === "earlyWarningReview").map((d) => fromEntityDoc<EarlyWarningReview>(d)),
        };
      }),

    openFirings: (schoolId, limit) =>
      guarded("openFirings", async () => {
        // Two small queries rather than a join: reviews are few, and the local server has no NOT EXISTS over other documents.
        const [firings, reviewed] = await Promise.all([
          query(records, "SELECT * FROM c WHERE c.type = 'earlyWarning' AND c.schoolId = @schoolId ORDER BY c.firedAt DESC", {
            "@schoolId": schoolId,
          }),
          query(records, "SELECT c.firingId FROM c WHERE c.type = 'earlyWarningReview' AND c.schoolId = @schoolId", { "@schoolId": schoolId }),
        ]);
        const done = new Set(reviewed.map((d) => String(d.firingId)));
        return firings
          .map((d) => fromEntityDoc<EarlyWarningFiring>(d))
          .filter((f) => !done.has(f.id))
          .slice(0, Math.max(1, limit));
      }),

    reviewedFirings: (schoolId, limit) =>
      guarded("reviewedFirings", async () => {
        const reviews = (
          await query(
            records,
            "SELECT TOP @limit * FROM c WHERE c.type = 'earlyWarningReview' AND c.schoolId = @schoolId ORDER BY c.reviewedAt DESC",
            { "@schoolId": schoolId, "@limit": Math.max(1, limit) },
          )
        ).map((d) => fromEntityDoc<EarlyWarningReview>(d));
        if (!reviews.length) return [];
        // The reviewed firings in one query (a review's id is its firing's).
        const ids = inList(
          "f",
          reviews.map((r) => r.firingId),
        );
        const firings = await query(
          records,
          `SELECT * FROM c WHERE c.type = 'earlyWarning' AND c.schoolId = @schoolId AND c.entityId IN (${ids.sql})`,
          {
            "@schoolId": schoolId,
            ...ids.params,
          },
        );
        const byId = new Map(firings.map((d) => fromEntityDoc<EarlyWarningFiring>(d)).map((f) => [f.id, f]));
        return reviews.flatMap((review) => {
          const firing = byId.get(review.firingId);
          return firing ? [{ firing, review }] : [];
        });
      }),
  };
}
