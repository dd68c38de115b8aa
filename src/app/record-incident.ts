/**
 * Record a concern: the one command behind the bot, the message extension and the tab.
 * The edge parses the payload with `recordIncidentInputSchema`; this command then checks it
 * against the school (pupil, categories, who may allocate what, dates) and stores the incident,
 * its alerts and their outbox messages in one write.
 */
import { z } from "zod";
import type { Actor } from "../domain/actor.js";
import { toChronologyEntry, type Alert, type CategoryFieldValues, type Incident } from "../domain/incident.js";
import type { FieldProblem } from "../domain/errors.js";
import { ConflictError, isKeepsafeError, NotFoundError, ValidationError } from "../domain/errors.js";
import { finishedFilesOf, storedFileOf, type DraftStore, type SubmissionDraft } from "../domain/files.js";
import { LIMITS } from "../domain/limits.js";
import { type Pupil } from "../domain/school.js";
import { dayOfWeekIn } from "../domain/school-clock.js";
import { incidentIdFor, referenceFor } from "../domain/identifiers.js";
import { routeAlerts } from "../domain/alert-routing.js";
import { splitAlerts } from "../domain/policy/index.js";
import type { RecordStore } from "../ports/record-store.js";
import type { SchoolStore } from "../ports/school-store.js";
import type { Clock } from "../ports/clock.js";
import type { FileStore } from "../ports/file-store.js";
import { claimFiles } from "./file-claims.js";
import { buildReminderOutboxMessages } from "./workflow-alerts.js";
import { buildAlertContent, buildOutboxMessages } from "./alert-content.js";
import { fieldForPath } from "./concern-fields.js";
import { INCIDENT_SOURCES, TOLD_DSL_ANSWERS, recordIncidentInputSchema } from "../contract/requests.js";
import { checkAgainstSchool, mustAskToldDsl } from "./incident-checks.js";
import { childLogger } from "../logger.js";
import { auditOrigin } from "./audit-origin.js";
import { earlyWarningCheckFor } from "../domain/early-warning-check.js";

const log = childLogger("record-incident");

// The input's shape is the API contract's; the bot, the tab and this command share it.
export { INCIDENT_SOURCES, TOLD_DSL_ANSWERS, recordIncidentInputSchema };
export type RecordIncidentInput = z.input<typeof recordIncidentInputSchema>;

/** Turns a zod failure into the field problems the card and the tab show beside each input. */
export function fieldProblemsFrom(error: z.ZodError): FieldProblem[] {
  return error.issues.flatMap((i) =>
    // A strict schema's unknown keys: each is named as its own field, so the sender sees which.
    i.code === "unrecognized_keys"
      ? i.keys.map((key) => ({ field: [...i.path.map(String), key].join("."), message: "This field is not part of the form." }))
      : [{ field: fieldForPath(i.path), message: i.message }],
  );
}

export interface RecordIncidentDeps {
  schools: SchoolStore;
  records: RecordStore;
  clock: Clock;
  /** The forms' drafts: the body map and finished file uploads become part of the incident. */
  drafts?: DraftStore;
  /** Where the incident's files are claimed for it before it is stored (file-claims.ts). */
  files?: FileStore;
  onRecorded?: (incident: Incident) => void;
}

export async function recordIncident(
  deps: RecordIncidentDeps,
  actor: Actor,
  raw: RecordIncidentInput,
): Promise<{ incident: Incident; created: boolean }> {
  const parsed = recordIncidentInputSchema.safeParse(raw);
  if (!parsed.success) throw ValidationError(fieldProblemsFrom(parsed.error));
  const input = parsed.data;
  if (input.origin && input.source !== "message-extension")
    throw ValidationError([{ field: "origin", message: "Only a concern recorded from a Teams message says which message." }]);

  const existing = await deps.records.findBySubmission(input.submissionId);
  if (existing) return replayOf(existing, actor);

  const school = await deps.schools.getSchool(actor.schoolId);
  if (!school) throw NotFoundError("The school");
  const pupilIds = [...new Set([input.pupilId, ...input.linkedPupils.map((l) => l.pupilId)])];
  const [found, staff] = await Promise.all([
    Promise.all(pupilIds.map((p) => deps.schools.getPupil(actor.schoolId, p))),
    deps.schools.listStaff(actor.schoolId),
  ]);
  const pupils = new Map<string, Pupil | undefined>(pupilIds.map((p, i) => [p, found[i]]));
  const now = deps.clock.now();
  const categoryFields = withoutEmptyValues(input.categoryFields);
  const problems = checkAgainstSchool({ ...input, categoryFields }, actor, { school, staff, pupils, now });
  if (problems.length) throw ValidationError(problems);

  const incidentId = incidentIdFor(actor.schoolId, input.submissionId);
  const allegationSubjectStaffIds = input.allegationAgainstStaff ? [...new Set(input.allegationAgainstStaff.staffIds)].sort() : undefined;
  const routed = routeAlerts(school, staff, {
    // Whoever the record is assigned to needs to read it, so they are alerted too.
    chosenStaffIds: [...input.alertStaffIds, ...(input.assignedToStaffId ? [input.assignedToStaffId] : [])],
    chosenGroupIds: input.alertGroupIds,
    categoryIds: input.categoryIds,
    allegationSubjectStaffIds: allegationSubjectStaffIds ?? [],
  });
  if (routed.length === 0) throw ValidationError([{ field: "alertStaffIds", message: "Choose who to alert: a DSL, a group or named staff." }]);
  if (routed.length > LIMITS.alertRecipientsMax)
    throw ValidationError([{ field: "alertStaffIds", message: `Alert at most ${LIMITS.alertRecipientsMax} people.` }]);
  // On a protected record, an alert by anyone but a DSL that would open it to someone new waits for a DSL.
  const { alerted: alertedStaffIds, held } = splitAlerts(
    actor,
    {
      incident: {
        raisedBy: { staffId: actor.staffId, name: actor.name },
        categoryIds: input.categoryIds,
        allegationSubjectStaffIds,
        pupilId: input.pupilId,
      },
      school,
    },
    staff,
    routed,
  );
  const draft = await draftOf(deps, actor, input.submissionId);
  const asked = mustAskToldDsl(actor, school, input);
  const occurredAt = new Date(input.occurredAt).toISOString();
  const recordedAt = now.toISOString();
  const incident: Incident = {
    id: incidentId,
    schoolId: actor.schoolId,
    reference: referenceFor(incidentId),
    pupilId: input.pupilId,
    linkedPupils: input.linkedPupils.map((l) => ({ pupilId: l.pupilId, part: l.part })),
    submissionId: input.submissionId,
    categoryIds: [...new Set(input.categoryIds)],
    subCategoryIds: [...new Set(input.subCategoryIds)],
    categoryFields,
    occurredAt,
    dayOfWeek: dayOfWeekIn(occurredAt, school.timeZone),
    session: input.session,
    location: input.location || undefined,
    account: input.account,
    raisedBy: { staffId: actor.staffId, name: actor.name },
    recordedAt,
    alertedStaffIds,
    ...(held.length ? { pendingAlertStaffIds: held } : {}),
    ...(input.disclosure ? { disclosure: true } : {}),
    ...(asked ? { toldDslInPerson: input.toldDslInPerson === "yes" } : {}),
    urgent: asked && input.toldDslInPerson === "not-yet",
    status: input.status,
    ...(input.assignedToStaffId ? { assignedToStaffId: input.assignedToStaffId } : {}),
    ...(input.agencyInvolved ? { agencyInvolved: input.agencyInvolved } : {}),
    ...(input.plannerReminder ? { plannerReminder: input.plannerReminder } : {}),
    source: input.source,
    ...(allegationSubjectStaffIds ? { allegationSubjectStaffIds } : {}),
    ...attachmentsOf(draft),
    ...(input.origin ? { origin: { ...input.origin, ...(input.origin.sentAt ? { sentAt: new Date(input.origin.sentAt).toISOString() } : {}) } } : {}),
  };
  const categoryNames = incident.categoryIds.map((c) => school.categories.find((x) => x.id === c)!.name);
  const outbox = [
    ...buildOutboxMessages(incident, alertedStaffIds, buildAlertContent(incident, categoryNames), now),
    ...buildReminderOutboxMessages(incident, school.timeZone, now),
  ];
  const alerts: Alert[] = alertedStaffIds.map((staffId) => ({
    id: `alert:${incidentId}:${staffId}`,
    incidentId,
    pupilId: incident.pupilId,
    staffId,
    urgent: incident.urgent,
    createdAt: recordedAt,
  }));
  await claimFiles(deps, { record: "incident", pupilId: incident.pupilId, recordId: incidentId }, incident.files ?? [], "files");
  const result = await deps.records.createIncident({
    incident,
    alerts,
    outbox,
    audit: {
      id: `audit:${incidentId}:recorded`,
      schoolId: actor.schoolId,
      pupilId: incident.pupilId,
      incidentId,
      type: "incident.recorded",
      actorStaffId: actor.staffId,
      at: recordedAt,
      detail: {
        categoryIds: incident.categoryIds,
        alerted: alertedStaffIds.length,
        heldAlerts: held.length,
        source: input.source,
        linked: incident.linkedPupils.length,
        urgent: incident.urgent,
        allegation: !!allegationSubjectStaffIds,
        files: incident.files?.length ?? 0,
        bodyMapMarks: incident.bodyMap?.marks.length ?? 0,
      },
      ...auditOrigin(actor),
    },
    // Each linked pupil's chronology row carries that pupil's own part (toChronologyEntry).
    links: incident.linkedPupils.map((l) => ({
      incidentId,
      pupilId: l.pupilId,
      incidentPupilId: incident.pupilId,
      part: l.part,
      entry: toChronologyEntry(incident, l.pupilId),
    })),
    // Early warning looks at the pupil after the answer; this check makes that survive a crash.
    earlyWarningCheck: earlyWarningCheckFor(incident),
  });
  if (result.created) {
    // The incident holds its own copy now. The local server ignores TTL, so the draft goes here;
    // failing to forget it costs nothing but storage until it expires.
    if (draft)
      await deps.drafts
        ?.discard(owner(actor), input.submissionId)
        .catch((e: unknown) => log.warn({ event: "draft.discard-failed", code: errorCode(e) }, "draft kept until it expires"));
    deps.onRecorded?.(result.incident);
  }
  return result.created ? result : replayOf(result.incident, actor);
}

const owner = (actor: Actor) => ({ staffId: actor.staffId, schoolId: actor.schoolId });
const errorCode = (e: unknown) => (isKeepsafeError(e) ? e.code : e instanceof Error ? e.name : "unknown");

/**
 * The submitter's own draft for this form. Drafts are kept per owner, so someone else's draft (a
 * form id reused or guessed) is never found here, never attached, and never stops the concern.
 */
async function draftOf(deps: RecordIncidentDeps, actor: Actor, submissionId: string): Promise<SubmissionDraft | undefined> {
  return deps.drafts?.get(owner(actor), submissionId);
}

/** The body map (when it has marks) and the finished uploads; a file still uploading is not part of it. */
function attachmentsOf(draft: SubmissionDraft | undefined): Pick<Incident, "bodyMap" | "files"> {
  if (!draft) return {};
  const files = finishedFilesOf(draft).slice(0, LIMITS.filesPerRecord).map(storedFileOf);
  return {
    ...(draft.bodyMap?.marks.length ? { bodyMap: structuredClone(draft.bodyMap) } : {}),
    ...(files.length ? { files } : {}),
  };
}

/** Blank text and empty selections are "not filled in", not values to store. */
function withoutEmptyValues(fields: CategoryFieldValues): CategoryFieldValues {
  const out: CategoryFieldValues = {};
  for (const [categoryId, values] of Object.entries(fields)) {
    const kept = Object.entries(values)
      .map(([k, v]) => [k, Array.isArray(v) ? [...new Set(v.map((x) => x.trim()).filter(Boolean))] : v.trim()] as const)
      .filter(([, v]) => v.length > 0);
    if (kept.length) out[categoryId] = Object.fromEntries(kept);
  }
  return out;
}

/** A repeated submit returns the first record, but only to the person who made it. */
function replayOf(existing: Incident, actor: Actor) {
  if (existing.raisedBy.staffId !== actor.staffId || existing.schoolId !== actor.schoolId) {
    throw ConflictError("This form has already been used. Open a new form to record another concern.");
  }
  return { incident: existing, created: false };
}
