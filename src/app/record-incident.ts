/**
 * Record a concern: the one command behind the bot, the message extension and the tab.
 * The edge parses the payload with `recordIncidentInputSchema`; this command then checks it
 * against the school (pupil, categories, who may allocate what, dates) and stores the incident,
 * its alerts and their outbox messages in one write.
 */
import { z } from "zod";
import type { Actor } from "../domain/actor.js";
import type { Alert, Incident } from "../domain/incident.js";
import type { FieldProblem } from "../domain/errors.js";
import { ConflictError, NotFoundError, ValidationError } from "../domain/errors.js";
import { LIMITS } from "../domain/limits.js";
import { canAllocateCategory } from "../domain/policy.js";
import { SESSIONS, type School, type StaffMember } from "../domain/school.js";
import { incidentIdFor, referenceFor } from "../domain/identifiers.js";
import { routeAlerts } from "../domain/alert-routing.js";
import type { RecordStore } from "../ports/record-store.js";
import type { SchoolStore } from "../ports/school-store.js";
import type { Clock } from "../ports/clock.js";
import { buildAlertContent, buildOutboxMessages } from "./alert-content.js";
import { toChronologyEntry } from "../domain/incident.js";

export const INCIDENT_SOURCES = ["bot", "message-extension", "tab"] as const;

export const recordIncidentInputSchema = z.object({
  submissionId: z.string().trim().min(8, "The form is missing its id; open a new form.").max(100),
  pupilId: z.string().trim().min(1, "Choose the pupil this concern is about."),
  categoryIds: z.array(z.string().trim().min(1)).min(1, "Choose at least one category."),
  subCategoryIds: z.array(z.string().trim().min(1)).default([]),
  occurredAt: z.iso.datetime({ offset: true, message: "Give the date and time it happened." }),
  session: z.enum(SESSIONS).optional(),
  location: z.string().trim().max(LIMITS.locationMaxLength).optional(),
  account: z
    .string()
    .trim()
    .min(LIMITS.accountMinLength, `Write what you saw or heard (at least ${LIMITS.accountMinLength} characters).`)
    .max(LIMITS.accountMaxLength, `The account can be at most ${LIMITS.accountMaxLength} characters.`),
  alertStaffIds: z.array(z.string().trim().min(1)).default([]),
  alertGroupIds: z.array(z.string().trim().min(1)).default([]),
  source: z.enum(INCIDENT_SOURCES),
});
export type RecordIncidentInput = z.input<typeof recordIncidentInputSchema>;
type ParsedInput = z.output<typeof recordIncidentInputSchema>;

/** Turns a zod failure into the field problems the card and the tab show beside each field. */
export function fieldProblemsFrom(error: z.ZodError): FieldProblem[] {
  return error.issues.map((i) => ({ field: String(i.path[0] ?? "form"), message: i.message }));
}

export interface RecordIncidentDeps {
  schools: SchoolStore;
  records: RecordStore;
  clock: Clock;
  onRecorded?: (incident: Incident) => void;
}

/** A time a few minutes ahead is clock drift between devices, not a date in the future. */
const FUTURE_TOLERANCE_MS = 5 * 60 * 1000;

export async function recordIncident(
  deps: RecordIncidentDeps,
  actor: Actor,
  raw: RecordIncidentInput,
): Promise<{ incident: Incident; created: boolean }> {
  const parsed = recordIncidentInputSchema.safeParse(raw);
  if (!parsed.success) throw ValidationError(fieldProblemsFrom(parsed.error));
  const input = parsed.data;

  const existing = await deps.records.findBySubmission(input.submissionId);
  if (existing) return replayOf(existing, actor);

  const school = await deps.schools.getSchool(actor.schoolId);
  if (!school) throw NotFoundError("The school");
  const [pupil, staff] = await Promise.all([
    deps.schools.getPupil(actor.schoolId, input.pupilId),
    deps.schools.listStaff(actor.schoolId),
  ]);
  const now = deps.clock.now();
  const problems = checkAgainstSchool(input, actor, school, staff, now);
  if (!pupil || pupil.archived) problems.unshift({ field: "pupilId", message: "Choose a pupil from the school's list." });
  if (problems.length) throw ValidationError(problems);

  const id = incidentIdFor(actor.schoolId, input.submissionId);
  const alertedStaffIds = routeAlerts(school, staff, {
    chosenStaffIds: input.alertStaffIds,
    chosenGroupIds: input.alertGroupIds,
    categoryIds: input.categoryIds,
    allegationSubjectStaffIds: [],
  });
  if (alertedStaffIds.length === 0)
    throw ValidationError([{ field: "alertStaffIds", message: "Choose who to alert: a DSL, a group or named staff." }]);
  if (alertedStaffIds.length > LIMITS.alertRecipientsMax)
    throw ValidationError([{ field: "alertStaffIds", message: `Alert at most ${LIMITS.alertRecipientsMax} people.` }]);
  const recordedAt = now.toISOString();
  const incident: Incident = {
    id,
    schoolId: actor.schoolId,
    reference: referenceFor(id),
    pupilId: input.pupilId,
    linkedPupils: [],
    submissionId: input.submissionId,
    categoryIds: [...new Set(input.categoryIds)],
    subCategoryIds: [...new Set(input.subCategoryIds)],
    occurredAt: new Date(input.occurredAt).toISOString(),
    session: input.session,
    location: input.location || undefined,
    account: input.account,
    raisedBy: { staffId: actor.staffId, name: actor.name },
    recordedAt,
    alertedStaffIds,
    urgent: false,
    status: "active",
    source: input.source,
  };
  const categoryNames = incident.categoryIds.map((c) => school.categories.find((x) => x.id === c)!.name);
  const outbox = buildOutboxMessages(incident, alertedStaffIds, buildAlertContent(incident, categoryNames), now);
  const alerts: Alert[] = alertedStaffIds.map((staffId) => ({
    id: `alert:${id}:${staffId}`,
    incidentId: id,
    pupilId: incident.pupilId,
    staffId,
    urgent: incident.urgent,
    createdAt: recordedAt,
  }));
  const result = await deps.records.createIncident({
    incident,
    alerts,
    outbox,
    audit: {
      id: `audit:${id}:recorded`,
      schoolId: actor.schoolId,
      pupilId: incident.pupilId,
      incidentId: id,
      type: "incident.recorded",
      actorStaffId: actor.staffId,
      at: recordedAt,
      detail: { categoryIds: incident.categoryIds, alerted: alertedStaffIds.length, source: input.source },
    },
    links: incident.linkedPupils.map((l) => ({
      incidentId: id,
      pupilId: l.pupilId,
      incidentPupilId: incident.pupilId,
      part: l.part,
      entry: toChronologyEntry(incident, l.pupilId),
    })),
  });
  if (result.created) deps.onRecorded?.(result.incident);
  return result.created ? result : replayOf(result.incident, actor);
}

/** A repeated submit returns the first record, but only to the person who made it. */
function replayOf(existing: Incident, actor: Actor) {
  if (existing.raisedBy.staffId !== actor.staffId || existing.schoolId !== actor.schoolId) {
    throw ConflictError("This form has already been used. Open a new form to record another concern.");
  }
  return { incident: existing, created: false };
}

function checkAgainstSchool(
  input: ParsedInput,
  actor: Actor,
  school: School,
  staff: StaffMember[],
  now: Date,
): FieldProblem[] {
  const problems: FieldProblem[] = [];
  for (const id of input.categoryIds) {
    const category = school.categories.find((c) => c.id === id);
    if (!category) problems.push({ field: "categoryIds", message: "One of the chosen categories is not in this school's list." });
    else if (!canAllocateCategory(actor, category))
      problems.push({ field: "categoryIds", message: `Only a DSL can allocate ${category.name}. Choose another category; a DSL will re-tag it if needed.` });
  }
  const allowedSubs = new Set(
    school.categories.filter((c) => input.categoryIds.includes(c.id)).flatMap((c) => c.subCategories.map((s) => s.id)),
  );
  if (input.subCategoryIds.some((s) => !allowedSubs.has(s)))
    problems.push({ field: "subCategoryIds", message: "A sub-category does not belong to the chosen categories." });
  const occurred = new Date(input.occurredAt).getTime();
  if (occurred > now.getTime() + FUTURE_TOLERANCE_MS)
    problems.push({ field: "occurredAt", message: "The date and time cannot be in the future." });
  if (input.location && !school.locations.includes(input.location))
    problems.push({ field: "location", message: "Choose a location from the school's list." });
  const known = new Set(staff.filter((s) => s.active).map((s) => s.id));
  if (input.alertStaffIds.some((s) => !known.has(s)))
    problems.push({ field: "alertStaffIds", message: "One of the people to alert is not on the school's staff list." });
  if (input.alertGroupIds.some((g) => !school.alertGroups.some((x) => x.id === g)))
    problems.push({ field: "alertGroupIds", message: "One of the alert groups is not set up for this school." });
  return problems;
}
