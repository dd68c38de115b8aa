/**
 * A pupil's or a member of staff's audit trail, for the DSL: every view, export, write and refused
 * attempt, newest first. Reading one is itself audited (before the answer goes back, so a trail that
 * cannot be audited is not shown); a refusal is audited as access.refused and answered as the policy says.
 */
import { randomUUID } from "node:crypto";
import type { Actor } from "../domain/actor.js";
import { NotFoundError } from "../domain/errors.js";
import { auditOutcome, type AuditEvent } from "../domain/incident.js";
import { LIMITS } from "../domain/limits.js";
import { assertCanViewAuditTrail, assertSignInStrongEnough, canViewAuditTrail } from "../domain/policy/index.js";
import { pupilDisplayName } from "../domain/school.js";
import type { AuditRow, AuditTrail } from "../contract/views.js";
import { auditRefusal, type IncidentAccessDeps } from "./incident-access.js";
import { auditOrigin } from "./audit-origin.js";
import { auditCsv } from "./audit-csv.js";
import { auditDetailText } from "./audit-detail.js";

export type AuditSubject = { kind: "pupil"; pupilId: string } | { kind: "staff"; staffId: string };
export type AuditFormat = "json" | "csv";

/** A page of the trail in the tab: the first unless `continuation` is given. The CSV is the first LIMITS.auditTrailMax. */
export interface AuditPaging {
  continuation?: string;
}
type AuditDeps = IncidentAccessDeps & { listMax?: number };

export async function viewAuditTrail(deps: AuditDeps, actor: Actor, subject: AuditSubject, format: "json", paging?: AuditPaging): Promise<AuditTrail>;
export async function viewAuditTrail(deps: AuditDeps, actor: Actor, subject: AuditSubject, format: "csv"): Promise<string>;
export async function viewAuditTrail(
  deps: AuditDeps,
  actor: Actor,
  subject: AuditSubject,
  format: AuditFormat,
  paging: AuditPaging = {},
): Promise<AuditTrail | string> {
  assertSignInStrongEnough(actor);
  const request = format === "csv" ? "audit.export" : "audit.view";
  const about = await subjectOf(deps, actor, subject);
  if (!canViewAuditTrail(actor)) {
    // Refused for the role, whether or not the subject exists; audited when they do.
    if (about) await auditRefusal(deps, actor, subject.kind === "pupil" ? { pupilId: about.id } : { staffId: about.id }, request);
    assertCanViewAuditTrail(actor);
  }
  if (!about) throw NotFoundError(subject.kind === "pupil" ? "The pupil" : "The member of staff");
  const { events, continuation } = await deps.records.auditPage(
    subject.kind === "pupil" ? { pupilId: about.id } : { schoolId: actor.schoolId, staffId: about.id },
    {
      pageSize: format === "csv" ? LIMITS.auditTrailMax : Math.min(deps.listMax ?? LIMITS.auditTrailMax, LIMITS.auditTrailMax),
      ...(format === "json" && paging.continuation !== undefined ? { continuation: paging.continuation } : {}),
    },
  );
  const names = new Map((await deps.schools.listStaff(actor.schoolId)).map((s) => [s.id, s.displayName]));
  const trail: AuditTrail = {
    subject: { kind: subject.kind, id: about.id, name: about.name },
    events: events.map((e) => toAuditRow(e, names)),
    truncated: continuation !== undefined,
    ...(continuation && format === "json" ? { continuation } : {}),
  };
  await deps.records.appendAudit({
    id: `audit:${randomUUID()}`,
    schoolId: actor.schoolId,
    ...(subject.kind === "pupil" ? { pupilId: about.id } : {}),
    type: format === "csv" ? "audit.exported" : "audit.viewed",
    actorStaffId: actor.staffId,
    at: deps.clock.now().toISOString(),
    detail: { subject: subject.kind, events: events.length, ...(subject.kind === "staff" ? { staffId: about.id } : {}) },
    ...auditOrigin(actor),
  });
  return format === "csv" ? auditCsv(trail.events) : trail;
}

async function subjectOf(deps: IncidentAccessDeps, actor: Actor, subject: AuditSubject): Promise<{ id: string; name: string } | undefined> {
  if (subject.kind === "pupil") {
    const pupil = await deps.schools.getPupil(actor.schoolId, subject.pupilId);
    return pupil ? { id: pupil.id, name: pupilDisplayName(pupil) } : undefined;
  }
  const member = await deps.schools.findStaffById(subject.staffId);
  return member && member.schoolId === actor.schoolId ? { id: member.id, name: member.displayName } : undefined;
}

/** From where: kept on newer events; older ones said it in their detail (source, via) or not at all. */
const viaOf = (e: AuditEvent) => e.via ?? (typeof e.detail?.source === "string" ? e.detail.source : undefined) ?? "not recorded";

const toAuditRow = (e: AuditEvent, names: Map<string, string>): AuditRow => ({
  id: e.id,
  at: e.at,
  type: e.type,
  outcome: auditOutcome(e),
  via: viaOf(e),
  actorStaffId: e.actorStaffId,
  actorName: names.get(e.actorStaffId) ?? "Former member of staff",
  ...(e.pupilId ? { pupilId: e.pupilId } : {}),
  ...(e.incidentId ? { incidentId: e.incidentId } : {}),
  detail: auditDetailText(e, names),
});
