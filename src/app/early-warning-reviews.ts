/**
 * The DSL's side of early warning: the firings not yet reviewed (on their home), and marking one
 * reviewed with a note. Both are the DSL and deputies' alone, with a second factor; anyone else is
 * refused and the refusal audited. A firing whose pupil the reader cannot find is answered as missing.
 */
import type { Actor } from "../domain/actor.js";
import type { EarlyWarningFiring, EarlyWarningReview } from "../domain/early-warning.js";
import { NotFoundError } from "../domain/errors.js";
import { pupilDisplayName } from "../domain/school.js";
import { assertCanReviewEarlyWarnings } from "../domain/policy/index.js";
import type { EarlyWarningList, EarlyWarningView } from "../contract/early-warning-views.js";
import type { EarlyWarningStore } from "../ports/early-warning-store.js";
import { auditedRefusal } from "./audited-refusal.js";
import { auditOrigin } from "./audit-origin.js";
import { auditRefusal, type IncidentAccessDeps } from "./incident-access.js";
import { randomUUID } from "node:crypto";

export type EarlyWarningReviewDeps = IncidentAccessDeps & { earlyWarnings: EarlyWarningStore };

/** At most this many open firings are listed; a school with more has a bigger problem than a list. */
const OPEN_MAX = 100;
/** The reviewed list is the recent record of decisions, not an archive (the audit trail is that). */
const REVIEWED_MAX = 20;

export async function listEarlyWarnings(deps: EarlyWarningReviewDeps, actor: Actor): Promise<EarlyWarningList> {
  await auditedRefusal(deps, actor, {}, "early-warning", () => assertCanReviewEarlyWarnings(actor));
  const [firings, reviewed] = await Promise.all([
    deps.earlyWarnings.openFirings(actor.schoolId, OPEN_MAX),
    deps.earlyWarnings.reviewedFirings(actor.schoolId, REVIEWED_MAX),
  ]);
  const pupils = new Map<string, string>();
  for (const id of new Set([...firings, ...reviewed.map((r) => r.firing)].map((f) => f.pupilId))) {
    const p = await deps.schools.getPupil(actor.schoolId, id);
    if (p) pupils.set(id, pupilDisplayName(p));
  }
  await deps.records.appendAudit({
    id: `audit:${randomUUID()}`,
    schoolId: actor.schoolId,
    type: "early-warning.listed",
    actorStaffId: actor.staffId,
    at: deps.clock.now().toISOString(),
    detail: { firings: firings.length, reviewed: reviewed.length },
    ...auditOrigin(actor),
  });
  const view = (f: EarlyWarningFiring): EarlyWarningView => ({
    id: f.id,
    pupil: { id: f.pupilId, displayName: pupils.get(f.pupilId)! },
    rule: f.rule,
    references: [...f.references],
    incidentIds: [...f.incidentIds],
    firedAt: f.firedAt,
  });
  return {
    firings: firings.filter((f) => pupils.has(f.pupilId)).map(view),
    reviewed: reviewed
      .filter(({ firing }) => pupils.has(firing.pupilId))
      .map(({ firing, review }) => ({ ...view(firing), review: { by: review.reviewedBy.name, at: review.reviewedAt, note: review.note } })),
  };
}

export async function reviewEarlyWarning(
  deps: EarlyWarningReviewDeps,
  actor: Actor,
  pupilId: string,
  firingId: string,
  note: string,
): Promise<{ firingId: string; reviewedAt: string; created: boolean }> {
  await auditedRefusal(deps, actor, { pupilId }, "early-warning", () => assertCanReviewEarlyWarnings(actor));
  const { firings, reviews } = await deps.earlyWarnings.firingsForPupil(pupilId);
  const firing = firings.find((f) => f.id === firingId && f.schoolId === actor.schoolId);
  if (!firing) {
    // An id guessed or from another pupil is an attempt the DSL must be able to see, like a refused record.
    await auditRefusal(deps, actor, { pupilId }, "early-warning");
    throw NotFoundError("The early warning");
  }
  const earlier = reviews.find((r) => r.firingId === firing.id);
  if (earlier) return { firingId: firing.id, reviewedAt: earlier.reviewedAt, created: false };
  const at = deps.clock.now().toISOString();
  const review: EarlyWarningReview = {
    id: firing.id,
    firingId: firing.id,
    schoolId: actor.schoolId,
    pupilId,
    note,
    reviewedBy: { staffId: actor.staffId, name: actor.name },
    reviewedAt: at,
  };
  const { created } = await deps.earlyWarnings.recordReview(review, {
    id: `${firing.id}:reviewed`,
    schoolId: actor.schoolId,
    pupilId,
    type: "early-warning.reviewed",
    actorStaffId: actor.staffId,
    at,
    detail: { firingId: firing.id, rule: firing.rule },
    ...auditOrigin(actor),
  });
  return { firingId: firing.id, reviewedAt: at, created };
}
