/**
 * An audit event by the acting member of staff, stamped with the clock and where it came from
 * (bot, tab or job). Use cases that audit a view or a write build their event here.
 */
import { randomUUID } from "node:crypto";
import type { Actor } from "../domain/actor.js";
import type { AuditEvent } from "../domain/incident.js";
import type { Clock } from "../ports/clock.js";
import type { RecordStore } from "../ports/record-store.js";
import { auditOrigin } from "./audit-origin.js";

export type AuditFields = Partial<AuditEvent> & Pick<AuditEvent, "type">;

export function auditEvent(clock: Clock, actor: Actor, e: AuditFields): AuditEvent {
  return {
    id: e.id ?? `audit:${randomUUID()}`,
    schoolId: actor.schoolId,
    actorStaffId: actor.staffId,
    at: clock.now().toISOString(),
    ...auditOrigin(actor),
    ...e,
  };
}

/** Appended before the answer goes back: a view that cannot be audited is answered as a store failure. */
export function appendAudit(deps: { records: Pick<RecordStore, "appendAudit">; clock: Clock }, actor: Actor, e: AuditFields): Promise<void> {
  return deps.records.appendAudit(auditEvent(deps.clock, actor, e));
}
