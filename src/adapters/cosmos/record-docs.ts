import type { Alert, AuditEvent, Incident, IncidentAction, OutboxMessage } from "../../domain/incident.js";
import type { IncidentChange } from "../../domain/incident-changes.js";
import type { TaskStatusChange } from "../../domain/tasks.js";
import type { CaseEntry } from "../../domain/case-entries.js";
import type { ReferralWatch } from "../../domain/referral-watch.js";
import type { IncidentLink } from "../../ports/record-store.js";
import { attachEtag, withoutSystemFields, type CosmosDoc } from "./cosmos-docs.js";

/**
 * How domain records are shaped as documents of the `records` container (pk /pupilId). Every
 * document carries `type`. Incidents keep their own id (deterministic from the submission, which
 * is what makes a retried batch meet 409); other types get an id prefixed with the type so ids
 * of different kinds can never collide inside a partition, and keep the domain id in `entityId`.
 */
export type RecordType =
  | "incident"
  | "link"
  | "alert"
  | "outbox"
  | "action"
  | "audit"
  | "change"
  | "case"
  | "task-status"
  | "task-gate"
  | "caseEntry"
  | "referralWatch"
  | "earlyWarning"
  | "earlyWarningReview"
  | "earlyWarningCheck";

/**
 * The kinds a pupil's chronology is built from, for a `c.type IN (...)` partition query. A change
 * (re-categorised, assigned, closed...) is dated by `occurredAt` like the others.
 */
export const CHRONOLOGY_TYPES = ["incident", "link", "action", "change", "caseEntry"] as const satisfies readonly RecordType[];

export const recordDocId = (type: Exclude<RecordType, "incident" | "link">, entityId: string) => `${type}:${entityId}`;
export const linkDocId = (incidentId: string, pupilId: string) => `${incidentId}:${pupilId}`;

/** Audit events not about a pupil (e.g. a school import) live in a per-school partition. */
export const auditPartition = (e: AuditEvent) => e.pupilId ?? `school:${e.schoolId}`;

export const incidentDoc = (i: Incident) => ({ ...i, type: "incident" as const });
export const alertDoc = (a: Alert) => ({ ...a, id: recordDocId("alert", a.id), entityId: a.id, type: "alert" as const });
export const outboxDoc = (m: OutboxMessage) => ({ ...m, id: recordDocId("outbox", m.id), entityId: m.id, type: "outbox" as const });
export const actionDoc = (a: IncidentAction) => ({ ...a, id: recordDocId("action", a.id), entityId: a.id, type: "action" as const });
/** A change to a record after submission (incident-changes.ts); the incident's partition, dated when made. */
export const changeDoc = (ch: IncidentChange) => ({
  ...ch,
  id: recordDocId("change", ch.id),
  entityId: ch.id,
  type: "change" as const,
  occurredAt: ch.at,
});
/** A task marked done or not done (tasks.ts); the incident's partition. */
export const taskStatusDoc = (t: TaskStatusChange) => ({ ...t, id: recordDocId("task-status", t.id), entityId: t.id, type: "task-status" as const });
/**
 * Who acted on a task's version first: its next status (mark done / not done) or its overdue alert.
 * Both create this one id, so at most one of them is stored; the loser looks again (action-tasks.ts).
 */
export const taskGateDoc = (t: { actionId: string; pupilId: string; schoolId: string }, version: number, by: "status" | "overdue-alert") => ({
  id: recordDocId("task-gate", `${t.actionId}:${version}`),
  entityId: `${t.actionId}:${version}`,
  type: "task-gate" as const,
  actionId: t.actionId,
  pupilId: t.pupilId,
  schoolId: t.schoolId,
  version,
  by,
});
/** A chronology entry that is not a concern (case-entries.ts): dated by `occurredAt` like the rest. */
export const caseEntryDoc = (e: CaseEntry) => ({ ...e, id: recordDocId("caseEntry", e.id), entityId: e.id, type: "caseEntry" as const });
/** The overdue job's state for one referral (referral-watch.ts): the one document of a referral that changes. */
export const referralWatchDoc = (w: ReferralWatch) => ({
  ...w,
  id: recordDocId("referralWatch", w.id),
  entityId: w.id,
  type: "referralWatch" as const,
});
// The event's own `type` ("alert.acknowledged") is kept as `eventType`: `type` is the document kind.
export const auditDoc = (e: AuditEvent) => ({
  ...e,
  eventType: e.type,
  id: recordDocId("audit", e.id),
  entityId: e.id,
  type: "audit" as const,
  pupilId: auditPartition(e),
  hasPupil: e.pupilId !== undefined,
  occurredAt: e.at,
});
export const linkDoc = (l: IncidentLink) => ({
  id: linkDocId(l.incidentId, l.pupilId),
  type: "link" as const,
  pupilId: l.pupilId,
  incidentId: l.incidentId,
  incidentPupilId: l.incidentPupilId,
  part: l.part,
  occurredAt: l.entry.occurredAt,
  entry: l.entry,
});

export const fromIncidentDoc = (d: CosmosDoc): Incident => withoutSystemFields<Incident>(d, ["type"]);

/** Back to the domain object, remembering the ETag it was read with for a later IfMatch. */
export function fromEntityDoc<T extends object>(d: CosmosDoc): T {
  const out = withoutSystemFields<Record<string, unknown>>(d, ["type", "entityId"]);
  out.id = d.entityId;
  return attachEtag(out as T, d._etag);
}

export function fromAuditDoc(d: CosmosDoc): AuditEvent {
  const out = withoutSystemFields<Record<string, unknown>>(d, ["type", "entityId", "hasPupil", "occurredAt", "eventType"]);
  out.id = d.entityId;
  out.type = d.eventType;
  if (!d.hasPupil) delete out.pupilId;
  return out as unknown as AuditEvent;
}
