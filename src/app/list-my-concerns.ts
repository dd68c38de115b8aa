/**
 * "My concerns": the records a member of staff raised, was alerted to or was tagged in, and nothing
 * else, whatever their role. Read across pupils by those fields (the store's incidentsForStaff),
 * never by walking pupils' chronologies. The listing is audited once, as a view.
 */
import { randomUUID } from "node:crypto";
import type { Actor } from "../domain/actor.js";
import { LIMITS } from "../domain/limits.js";
import { assertSignInStrongEnough, canViewIncident, isAllegation, isAllegationSubject } from "../domain/policy/index.js";
import { pupilDisplayName } from "../domain/school.js";
import type { MyConcerns } from "../contract/views.js";
import type { IncidentAccessDeps } from "./incident-access.js";
import { auditOrigin } from "./audit-origin.js";

/** A page of My concerns: the first unless `continuation` (from the page before) is given. */
export interface MyConcernsPage {
  continuation?: string;
}

export async function listMyConcerns(
  deps: IncidentAccessDeps & { listMax?: number },
  actor: Actor,
  paging: MyConcernsPage = {},
): Promise<MyConcerns> {
  assertSignInStrongEnough(actor);
  const [school, found] = await Promise.all([
    deps.schools.getSchool(actor.schoolId),
    deps.records.incidentsForStaffPage(actor.schoolId, actor.staffId, {
      pageSize: Math.min(deps.listMax ?? LIMITS.myConcernsMax, LIMITS.myConcernsMax),
      ...(paging.continuation !== undefined ? { continuation: paging.continuation } : {}),
    }),
  ]);
  // An allegation is never opened by an alert or a tag (README): it lists only for those who may read
  // it (its raiser, the DSLs not named, the head); the adult it names never sees it, however alerted.
  // Applied per page, so a page can hold fewer rows than asked; the continuation still leads on.
  const shown = found.incidents.filter(
    (i) => !isAllegationSubject(actor, i) && (!isAllegation(i) || (!!school && canViewIncident(actor, i, school))),
  );
  const pupils = new Map(
    await Promise.all([...new Set(shown.map((i) => i.pupilId))].map(async (id) => [id, await deps.schools.getPupil(actor.schoolId, id)] as const)),
  );
  const categoryName = new Map((school?.categories ?? []).map((c) => [c.id, c.name]));
  const concerns = shown.map((i) => {
    const raised = i.raisedBy.staffId === actor.staffId;
    const alerted = i.alertedStaffIds.includes(actor.staffId);
    const pupil = pupils.get(i.pupilId);
    return {
      incidentId: i.id,
      reference: i.reference,
      pupilId: i.pupilId,
      pupilName: pupil ? pupilDisplayName(pupil) : "Unknown pupil",
      occurredAt: i.occurredAt,
      recordedAt: i.recordedAt,
      categoryNames: i.categoryIds.map((id) => categoryName.get(id) ?? "Former category"),
      status: i.status,
      // The store found it for one of these; tagged is what is left when neither of the others holds.
      why: raised || alerted ? [...(raised ? ["raised" as const] : []), ...(alerted ? ["alerted" as const] : [])] : ["tagged" as const],
    };
  });
  await deps.records.appendAudit({
    id: `audit:${randomUUID()}`,
    schoolId: actor.schoolId,
    type: "concerns.listed",
    actorStaffId: actor.staffId,
    at: deps.clock.now().toISOString(),
    detail: { shown: concerns.length, page: paging.continuation === undefined ? "first" : "next" },
    ...auditOrigin(actor),
  });
  return { concerns, truncated: found.continuation !== undefined, ...(found.continuation ? { continuation: found.continuation } : {}) };
}
