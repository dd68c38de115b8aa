/**
 * A DSL or deputy changes a record after submission: re-categorise (Child Protection and Child in
 * Need among the choices), assign or re-assign to a person or a group, close, reopen, or decide "no
 * further action". Each is its own record with the old value and the reason, stored with its audit
 * event (and the assignee's alert) in one batch; the incident document is never touched. The sender
 * says which version they saw: if someone changed the record meanwhile the answer is 409 with what
 * changed, and nothing is stored, so nothing of either change is lost.
 */
import type { Actor } from "../domain/actor.js";
import type { AuditEvent, AuditEventType, OutboxMessage } from "../domain/incident.js";
import {
  applyChange,
  changeIdFor,
  currentState,
  pointlessChange,
  type ChangeRequest,
  type IncidentChange,
  type IncidentChangeKind,
  type IncidentState,
} from "../domain/incident-changes.js";
import { ConflictError, ValidationError, type FieldProblem } from "../domain/errors.js";
import { assertCanChangeIncident } from "../domain/policy/index.js";
import { auditedRefusal } from "./audited-refusal.js";
import type { School, StaffMember } from "../domain/school.js";
import { changeIncidentBodySchema, type ChangeIncidentBody } from "../contract/requests.js";
import { fieldProblemsFrom } from "./record-incident.js";
import { openIncident, type IncidentAccessDeps, type OpenedIncident } from "./incident-access.js";
import { buildAssignedOutboxMessages } from "./workflow-alerts.js";
import type { IncidentChangeView } from "./views.js";

export type ChangeIncidentDeps = IncidentAccessDeps & {
  /** Called after a change that alerts someone is stored, so the alert dispatcher can send at once. */
  onChanged?: (change: IncidentChange) => void;
};

const AUDIT_TYPES: Record<IncidentChangeKind, AuditEventType> = {
  recategorise: "incident.recategorised",
  assign: "incident.assigned",
  close: "incident.closed",
  reopen: "incident.reopened",
  "no-further-action": "incident.no-further-action",
};

export async function changeIncident(
  deps: ChangeIncidentDeps,
  actor: Actor,
  incidentId: string,
  raw: ChangeIncidentBody,
): Promise<{ change: IncidentChangeView; version: number }> {
  const parsed = changeIncidentBodySchema.safeParse(raw);
  if (!parsed.success) throw ValidationError(fieldProblemsFrom(parsed.error));
  const body = parsed.data;

  const opened = await openIncident(deps, actor, incidentId, "incident.change");
  await auditedRefusal(deps, actor, { pupilId: opened.incident.pupilId, incidentId: opened.incident.id }, "incident.change", () =>
    assertCanChangeIncident(actor),
  );
  const { submitted, changes, school } = opened;
  if (body.version !== changes.length) throw staleChange(opened, body.version);

  const staff = await deps.schools.listStaff(actor.schoolId);
  const request = toRequest(body);
  const problems = changeProblems(opened, school, staff, request);
  if (problems.length) throw ValidationError(problems);

  const before = currentState(submitted, changes);
  const pointless = pointlessChange(before, request);
  if (pointless) throw ValidationError([{ field: "kind", message: pointless }], pointless);

  const sequence = changes.length + 1;
  const at = deps.clock.now().toISOString();
  const change: IncidentChange = {
    id: changeIdFor(submitted.id, sequence),
    incidentId: submitted.id,
    pupilId: submitted.pupilId,
    schoolId: actor.schoolId,
    sequence,
    kind: body.kind,
    reason: body.reason,
    at,
    by: { staffId: actor.staffId, name: actor.name },
    before,
    after: applyChange(before, request),
  };
  // Ids and category ids only: the reason and decision are the record's words, not the audit's.
  const audit: AuditEvent = {
    id: `change:${change.id}`,
    schoolId: actor.schoolId,
    pupilId: submitted.pupilId,
    incidentId: submitted.id,
    type: AUDIT_TYPES[body.kind],
    actorStaffId: actor.staffId,
    at,
    detail: {
      changeId: change.id,
      sequence,
      fromCategoryIds: before.categoryIds,
      toCategoryIds: change.after.categoryIds,
      fromStatus: before.status,
      toStatus: change.after.status,
      ...(before.assignee ? { fromAssignee: `${before.assignee.kind}:${before.assignee.id}` } : {}),
      ...(change.after.assignee ? { toAssignee: `${change.after.assignee.kind}:${change.after.assignee.id}` } : {}),
    },
  };
  const outbox: OutboxMessage[] =
    request.kind === "assign"
      ? buildAssignedOutboxMessages(
          change,
          assigneeStaffIds(request, school).filter((s) => s !== actor.staffId),
          before.assignee !== undefined,
        )
      : [];
  const stored = await deps.records.addChange(change, audit, outbox);
  if (!stored.created) {
    // Another change took this version between our read and our write.
    throw staleChange({ ...opened, changes: await deps.records.changesForIncident(submitted.id, submitted.pupilId) }, body.version);
  }
  if (outbox.length) deps.onChanged?.(change);
  return { change: toChangeView(change, school, staff), version: sequence };
}

function toRequest(body: ReturnType<typeof changeIncidentBodySchema.parse>): ChangeRequest {
  switch (body.kind) {
    case "recategorise":
      return { kind: "recategorise", categoryIds: body.categoryIds };
    case "assign":
      return { kind: "assign", assignee: body.assignee };
    case "no-further-action":
      return { kind: "no-further-action", decision: body.decision };
    default:
      return { kind: body.kind };
  }
}

function changeProblems(opened: OpenedIncident, school: School, staff: StaffMember[], request: ChangeRequest): FieldProblem[] {
  if (request.kind === "recategorise") {
    const known = new Set(school.categories.map((c) => c.id));
    if (request.categoryIds.some((id) => !known.has(id))) return [{ field: "categoryIds", message: "Choose categories from the school's list." }];
  }
  if (request.kind === "assign") {
    const { kind, id } = request.assignee;
    if (kind === "group" && !school.alertGroups.some((g) => g.id === id))
      return [{ field: "assignee", message: "Choose one of the school's groups." }];
    if (kind === "staff" && !staff.some((s) => s.id === id && s.active))
      return [{ field: "assignee", message: "Choose someone from the school's current staff list." }];
    // The adult an allegation names must never hear of it, so it cannot be given to them (or a group holding them).
    const subjects = opened.submitted.allegationSubjectStaffIds ?? [];
    if (assigneeStaffIds(request, school).some((s) => subjects.includes(s)))
      return [{ field: "assignee", message: "This record cannot be assigned there. Choose someone else." }];
  }
  return [];
}

const assigneeStaffIds = (request: Extract<ChangeRequest, { kind: "assign" }>, school: School) =>
  request.assignee.kind === "staff" ? [request.assignee.id] : (school.alertGroups.find((g) => g.id === request.assignee.id)?.staffIds ?? []);

/** A 409 that says what changed since the version the sender saw, without any of the record's words. */
function staleChange(opened: Pick<OpenedIncident, "changes">, seen: number) {
  const since = opened.changes.filter((c) => c.sequence > seen).map((c) => ({ kind: c.kind, at: c.at, byStaffId: c.by.staffId }));
  return ConflictError("Someone else changed this record since you opened it. Look at its history and try again.", {
    version: opened.changes.length,
    changes: since,
  });
}

export function toChangeView(change: IncidentChange, school: School, staff: StaffMember[]): IncidentChangeView {
  const state = (s: IncidentState) => ({
    categoryNames: s.categoryIds.map((id) => school.categories.find((c) => c.id === id)?.name ?? "Former category"),
    status: s.status,
    ...(s.assignee ? { assigneeName: assigneeName(s, school, staff) } : {}),
  });
  return {
    id: change.id,
    kind: change.kind,
    reason: change.reason,
    ...(change.after.noFurtherAction && change.kind === "no-further-action" ? { decision: change.after.noFurtherAction.decision } : {}),
    at: change.at,
    by: change.by,
    before: state(change.before),
    after: state(change.after),
  };
}

function assigneeName(s: IncidentState, school: School, staff: StaffMember[]): string {
  const a = s.assignee!;
  if (a.kind === "group") return school.alertGroups.find((g) => g.id === a.id)?.name ?? "Former group";
  return staff.find((m) => m.id === a.id)?.displayName ?? "Former member of staff";
}
