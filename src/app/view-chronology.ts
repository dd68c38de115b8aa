/**
 * A page of a pupil's chronology (the first unless `continuation` is given), for DSLs and deputies
 * signed in with MFA. A refusal answers the same whether the pupil exists, and is audited when they do.
 */
import type { Actor } from "../domain/actor.js";
import { NotFoundError } from "../domain/errors.js";
import { LIMITS } from "../domain/limits.js";
import { assertSignInStrongEnough, authorize, can } from "../domain/policy/index.js";
import { appendAudit } from "./audit-event.js";
import { chronologyRows } from "./chronology.js";
import { auditRefusal, type IncidentAccessDeps } from "./incident-access.js";
import { pupilSummaryFor } from "./pupil-index.js";
import { schoolOf } from "./school-of.js";
import type { ChronologyView } from "./views.js";

export interface ChronologyPaging {
  pageSize?: number;
  continuation?: string;
}

export async function viewChronology(deps: IncidentAccessDeps, actor: Actor, pupilId: string, paging: ChronologyPaging = {}): Promise<ChronologyView> {
  assertSignInStrongEnough(actor);
  if (!can(actor, "browse", { kind: "chronology" })) {
    // Refused for the role, so the answer is the same whether the pupil exists; audited when they do.
    const asked = await deps.schools.getPupil(actor.schoolId, pupilId);
    if (asked) await auditRefusal(deps, actor, { pupilId: asked.id }, "chronology.view");
    authorize(actor, "browse", { kind: "chronology" });
  }
  const [school, pupil] = await Promise.all([schoolOf(deps, actor), deps.schools.getPupil(actor.schoolId, pupilId)]);
  if (!pupil) throw NotFoundError("The pupil");
  const page = await deps.records.chronologyPage(pupilId, {
    pageSize: Math.min(Math.max(1, Math.floor(paging.pageSize ?? LIMITS.chronologyPageDefault)), LIMITS.chronologyPageMax),
    ...(paging.continuation !== undefined ? { continuation: paging.continuation } : {}),
  });
  const entries = chronologyRows(actor, school, page);
  await appendAudit(deps, actor, { type: "chronology.viewed", pupilId, detail: { entries: entries.length } });
  return { pupil: { ...pupilSummaryFor(actor, pupil), dateOfBirth: pupil.dateOfBirth }, entries, ...(page.continuation ? { continuation: page.continuation } : {}) };
}
