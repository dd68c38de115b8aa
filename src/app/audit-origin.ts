/**
 * What every audit event says about the request besides who and what: from where (the door the
 * actor came through) and its outcome. One helper, so each place that writes an event adds the same.
 */
import type { Actor } from "../domain/actor.js";
import type { AuditEvent, AuditOutcome } from "../domain/incident.js";

export const auditOrigin = (actor: Pick<Actor, "via">, outcome: AuditOutcome = "allowed"): Pick<AuditEvent, "via" | "outcome"> =>
  actor.via ? { via: actor.via, outcome } : { outcome };
