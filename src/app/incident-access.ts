/**
 * Opening a stored incident for someone: the one path the tab's doors take (view, acknowledge,
 * add action, download a file). A record the actor may not see answers exactly as a missing one
 * does (policy.recordNotFound), so nobody learns that a record about a pupil exists, and every
 * such refusal is audited against the pupil, so the DSL can still see who went looking.
 */
import { randomUUID } from "node:crypto";
import type { Actor } from "../domain/actor.js";
import { NotFoundError } from "../domain/errors.js";
import type { Alert, Incident, IncidentAction } from "../domain/incident.js";
import { withCurrentState, type IncidentChange } from "../domain/incident-changes.js";
import { assertSignInStrongEnough, can, recordNotFound } from "../domain/policy/index.js";
import type { School } from "../domain/school.js";
import type { Clock } from "../ports/clock.js";
import type { RecordStore } from "../ports/record-store.js";
import type { SchoolStore } from "../ports/school-store.js";
import { auditOrigin } from "./audit-origin.js";

export interface IncidentAccessDeps {
  schools: SchoolStore;
  records: RecordStore;
  clock: Clock;
}

/** What was asked for, kept in the refusal's audit event (never anything the record says). */
export type RefusedRequest =
  | "incident.view"
  | "incident.acknowledge"
  | "action.add"
  | "action.approve-tags"
  | "file.download"
  | "chronology.view"
  | "audit.view"
  | "audit.export"
  | "incident.change"
  | "task.mark"
  | "case-entry.add"
  | "case-entry.file"
  | "subject-access"
  | "report.view"
  | "chronology.export"
  | "early-warning";

export interface OpenedIncident {
  /** As it stands now: the form's record with its changes folded in (categories, status, assignee). */
  incident: Incident;
  /** The document as submitted, never modified. */
  submitted: Incident;
  changes: IncidentChange[];
  school: School;
  actions: IncidentAction[];
  alerts: Alert[];
}

/**
 * The incident in the actor's school as it stands now (its changes folded in), with its school,
 * actions and alerts (one query over its partition for both) and changes; another school's is missing.
 */
export async function loadIncident(deps: IncidentAccessDeps, actor: Actor, incidentId: string): Promise<OpenedIncident> {
  const submitted = await deps.records.getIncident(incidentId);
  if (!submitted || submitted.schoolId !== actor.schoolId) throw recordNotFound();
  const [school, { actions, alerts }, changes] = await Promise.all([
    deps.schools.getSchool(actor.schoolId),
    deps.records.incidentRecords(submitted.id, submitted.pupilId),
    deps.records.changesForIncident(submitted.id, submitted.pupilId),
  ]);
  if (!school) throw NotFoundError("The school");
  // The current categories decide access, so every door opens the record as it stands now.
  return { incident: withCurrentState(submitted, changes), submitted, changes, school, actions, alerts };
}

/** The incident, if the actor may read it; otherwise audited and answered as missing. */
export async function openIncident(deps: IncidentAccessDeps, actor: Actor, incidentId: string, request: RefusedRequest): Promise<OpenedIncident> {
  // The second factor is asked for before looking, so the answer does not depend on whether the record exists.
  assertSignInStrongEnough(actor);
  const opened = await loadIncident(deps, actor, incidentId);
  if (!can(actor, "view", { kind: "incident", incident: opened.incident, school: opened.school, actions: opened.actions })) {
    await auditRefusal(deps, actor, { pupilId: opened.incident.pupilId, incidentId: opened.incident.id }, request);
    throw recordNotFound();
  }
  return opened;
}

/** Written before the answer goes back: a refusal that cannot be audited is answered as a store failure. */
export function auditRefusal(
  deps: Pick<IncidentAccessDeps, "records" | "clock">,
  actor: Actor,
  about: { pupilId?: string; incidentId?: string; staffId?: string },
  request: RefusedRequest,
): Promise<void> {
  return deps.records.appendAudit({
    id: `audit:${randomUUID()}`,
    schoolId: actor.schoolId,
    ...(about.pupilId ? { pupilId: about.pupilId } : {}),
    ...(about.incidentId ? { incidentId: about.incidentId } : {}),
    type: "access.refused",
    actorStaffId: actor.staffId,
    at: deps.clock.now().toISOString(),
    detail: { request, role: actor.role, ...(about.staffId ? { staffId: about.staffId } : {}) },
    ...auditOrigin(actor, "refused"),
  });
}
