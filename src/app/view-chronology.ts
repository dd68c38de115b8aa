/**
 * A page of a pupil's chronology (the first unless `continuation` is given), for DSLs and deputies
 * signed in with MFA. A refusal answers the same whether the pupil exists, and is audited when they do.
 */
import type { Actor } from "../domain/actor.js";
import { NotFoundError } from "../domain/errors.js";
import { LIMITS } from "../domain/limits.js";
import { assertSignInStrongEnough, authorize, can, pupilInActorScope } from "../domain/policy/index.js";
import { appendAudit } from "./audit-event.js";
import { chronologyFilter, chronologyRows, matchesFilter, newestFirst, type ChronologyQuery } from "./chronology.js";
import { caseEntryRows } from "./case-entry-rows.js";
import type { CaseEntryStore } from "../ports/case-entry-store.js";
import { auditRefusal, type IncidentAccessDeps } from "./incident-access.js";
import { pupilSummaryFor } from "./pupil-index.js";
import { schoolOf } from "./school-of.js";
import type { ChronologyView } from "./views.js";

/** A page request with the DSL's filters (chronology.ts). */
export type ChronologyPaging = ChronologyQuery;

export async function viewChronology(
  deps: IncidentAccessDeps & { caseEntries?: CaseEntryStore },
  actor: Actor,
  pupilId: string,
  paging: ChronologyPaging = {},
): Promise<ChronologyView> {
  assertSignInStrongEnough(actor);
  if (!can(actor, "browse", { kind: "chronology" })) {
    // Refused for the role, so the answer is the same whether the pupil exists; audited when they do.
    const asked = await deps.schools.getPupil(actor.schoolId, pupilId);
    if (asked) await auditRefusal(deps, actor, { pupilId: asked.id }, "chronology.view");
    authorize(actor, "browse", { kind: "chronology" });
  }
  const [school, pupil] = await Promise.all([schoolOf(deps, actor), deps.schools.getPupil(actor.schoolId, pupilId)]);
  if (!pupil) throw NotFoundError("The pupil");
  if (!pupilInActorScope(actor, pupil.id)) {
    // A pupil outside a head of year's scope answers as one not on the roll; the DSL sees who looked.
    await auditRefusal(deps, actor, { pupilId: pupil.id }, "chronology.view");
    throw NotFoundError("The pupil");
  }
  const page = await deps.records.chronologyPage(pupilId, {
    pageSize: Math.min(Math.max(1, Math.floor(paging.pageSize ?? LIMITS.chronologyPageDefault)), LIMITS.chronologyPageMax),
    ...(paging.continuation !== undefined ? { continuation: paging.continuation } : {}),
  });
  const filter = chronologyFilter(paging, school.timeZone);
  // Referrals, meetings and calls sit among the concerns, narrowed by the same filters.
  const cases = (await caseEntryRows(deps, actor, school, page.caseEntries)).filter((r) => matchesFilter(r, filter));
  const entries = [...chronologyRows(actor, school, page, filter), ...cases].sort(newestFirst);
  await appendAudit(deps, actor, { type: "chronology.viewed", pupilId, detail: { entries: entries.length } });
  return {
    pupil: { ...pupilSummaryFor(actor, pupil), dateOfBirth: pupil.dateOfBirth },
    entries,
    ...(page.continuation ? { continuation: page.continuation } : {}),
  };
}
