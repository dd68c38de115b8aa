/**
 * Early warning (issue 9): after a concern is recorded, each of its pupil's concerns the DSLs can
 * all open is counted against the school's rules (domain/early-warning.ts). A rule that fires is
 * written once per episode — the firing, its audit event and the content-free alerts to the DSL
 * and deputies in one batch — from the store's own state, so a restart or a second instance never
 * alerts twice and never forgets an open firing.
 */
import type { Actor } from "../domain/actor.js";
import {
  DEFAULT_EARLY_WARNING,
  firingIdFor,
  firingsDue,
  type CountedConcern,
  type EarlyWarningFiring,
  type EarlyWarningRule,
} from "../domain/early-warning.js";
import type { AuditEvent, Incident, OutboxMessage } from "../domain/incident.js";
import { canViewIncident, receivesEarlyWarnings } from "../domain/policy/index.js";
import type { Clock } from "../ports/clock.js";
import type { EarlyWarningStore } from "../ports/early-warning-store.js";
import type { RecordStore } from "../ports/record-store.js";
import type { SchoolStore } from "../ports/school-store.js";
import { CATEGORY_SEPARATOR, outboxMessages } from "./alert-content.js";

export interface EarlyWarningDeps {
  schools: SchoolStore;
  records: RecordStore;
  earlyWarnings: EarlyWarningStore;
  clock: Clock;
}

/** Evaluates the rules for the pupil a concern was recorded about; the firings written. */
export async function evaluateEarlyWarning(deps: EarlyWarningDeps, incident: Pick<Incident, "schoolId" | "pupilId">): Promise<EarlyWarningFiring[]> {
  const { schoolId, pupilId } = incident;
  const [school, staff, entries, state] = await Promise.all([
    deps.schools.getSchool(schoolId),
    deps.schools.listStaff(schoolId),
    deps.records.chronology(pupilId),
    deps.earlyWarnings.firingsForPupil(pupilId),
  ]);
  if (!school) return [];
  const leads: Actor[] = staff.filter(receivesEarlyWarnings).map((s) => ({ staffId: s.id, schoolId, name: s.displayName, role: s.role, mfa: true }));
  if (!leads.length) return [];
  // Counted only when every DSL and deputy could open it: an allegation naming one of them never
  // reaches them through a count, an alert or the list of triggering references.
  const counted = new Map<string, CountedConcern>();
  for (const e of entries) {
    if (e.kind !== "incident" || counted.has(e.incidentId)) continue;
    if (!leads.every((a) => canViewIncident(a, e, school))) continue;
    counted.set(e.incidentId, { incidentId: e.incidentId, reference: e.reference, recordedAt: e.recordedAt, raisedByStaffId: e.raisedBy.staffId });
  }
  const reviewed = new Set(state.reviews.map((r) => r.firingId));
  const open = new Set(state.firings.filter((f) => !reviewed.has(f.id)).map((f) => f.rule));
  const reviewedAt = new Map<EarlyWarningRule, string>();
  for (const r of state.reviews) {
    const rule = state.firings.find((f) => f.id === r.firingId)?.rule;
    if (rule && (reviewedAt.get(rule) ?? "") < r.reviewedAt) reviewedAt.set(rule, r.reviewedAt);
  }
  const now = deps.clock.now();
  const written: EarlyWarningFiring[] = [];
  for (const due of firingsDue([...counted.values()], school.earlyWarning ?? DEFAULT_EARLY_WARNING, now, { open, reviewedAt })) {
    const firing: EarlyWarningFiring = {
      id: firingIdFor(pupilId, due.rule, due.concerns[0].incidentId),
      schoolId,
      pupilId,
      rule: due.rule,
      incidentIds: due.concerns.map((c) => c.incidentId),
      references: due.concerns.map((c) => c.reference),
      firedAt: now.toISOString(),
    };
    const audit: AuditEvent = {
      id: `${firing.id}:fired`,
      schoolId,
      pupilId,
      type: "early-warning.fired",
      actorStaffId: "keepsafe",
      at: firing.firedAt,
      detail: { firingId: firing.id, rule: firing.rule, incidentIds: firing.incidentIds, recipients: leads.length },
      via: "job",
      outcome: "allowed",
    };
    const { created } = await deps.earlyWarnings.recordFiring(
      firing,
      audit,
      buildEarlyWarningMessages(
        firing,
        leads.map((a) => a.staffId),
      ),
    );
    if (created) written.push(firing);
  }
  return written;
}

/** That concerns built up and how many: never the pupil, the categories or any words of them. */
export function buildEarlyWarningMessages(firing: EarlyWarningFiring, recipients: string[]): OutboxMessage[] {
  const content = {
    subject: `Keepsafe early warning${CATEGORY_SEPARATOR}${firing.incidentIds.length} concerns`,
    preview: "Concerns about one pupil have reached the school's early-warning rule. Open Keepsafe to see them.",
    deepLinkSubEntityId: `pupil:${firing.pupilId}`,
    urgent: false,
  };
  const about = { schoolId: firing.schoolId, pupilId: firing.pupilId, incidentId: firing.id, earlyWarning: true as const };
  return outboxMessages(firing.id, about, recipients, content, firing.firedAt);
}
