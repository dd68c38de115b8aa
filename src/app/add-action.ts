/**
 * Add an action to an incident (domain.md, "After submission"): what was done, when, by whom and
 * who is alerted. Follow-ups, outcomes and corrections are all actions, so the incident itself is
 * never edited and a trail builds up. An action is seen only by those tagged in it, whoever
 * recorded it and DSLs (policy.canViewAction). Actions logged must have happened or been agreed,
 * so their date is never in the future. Tagging alerts: the tagged staff get a Teams notification
 * and an email saying who added an action and the incident's categories, never its words.
 */
import { createHash } from "node:crypto";
import { z } from "zod";
import type { Actor } from "../domain/actor.js";
import { type AuditEvent, type Incident, type IncidentAction } from "../domain/incident.js";
import { ValidationError, type FieldProblem } from "../domain/errors.js";
import { assertCanAnswerOwnAlert, splitTags } from "../domain/policy/index.js";
import type { School, StaffMember } from "../domain/school.js";
import type { Clock } from "../ports/clock.js";
import type { RecordStore } from "../ports/record-store.js";
import type { SchoolStore } from "../ports/school-store.js";
import { buildActionAlertContent, buildActionOutboxMessages } from "./alert-content.js";
import { fieldProblemsFrom } from "./record-incident.js";
import { loadIncident, openIncident } from "./incident-access.js";
import type { ActionView } from "./views.js";
import { addActionBodySchema } from "../contract/requests.js";
import { auditOrigin } from "./audit-origin.js";
import { assertOwnerMaySee, buildTaskOutboxMessages, taskFor, taskView } from "./action-tasks.js";
import { taskCalendarOf, type TaskCalendar, type TaskStatusChange } from "../domain/tasks.js";
import { auditedRefusal } from "./audited-refusal.js";

/** A time a few minutes ahead is clock drift between devices, not a date in the future. */
const FUTURE_TOLERANCE_MS = 5 * 60 * 1000;

export const addActionInputSchema = addActionBodySchema.extend({ incidentId: z.string().trim().min(1).max(200) });
export type AddActionInput = z.input<typeof addActionInputSchema>;

export interface AddActionDeps {
  schools: SchoolStore;
  records: RecordStore;
  clock: Clock;
  /** Called after a new action is stored, so the alert dispatcher can send at once. */
  onActionAdded?: (action: IncidentAction) => void;
}

/**
 * Who may add: "viewer" is anyone who may read the incident (the tab, behind MFA); "alerted" is the
 * person an alert went to, answering it from the alert card in chat (policy.assertCanAnswerOwnAlert).
 */
export type AddActionAccess = "viewer" | "alerted";

/** What a DSL's decision on held tags or alerts adds to its action; never from outside input. */
export interface AddActionDecision {
  /** Held tags or alerts the decision declines, kept on the action so they no longer wait. */
  declinedStaffIds?: string[];
  /** Audit events the action also records, written in its batch (one per declined person). */
  alsoAudited?: (action: IncidentAction) => AuditEvent[];
}

/** The action id follows from the form instance and its author, so a double click stores one action. */
export const actionIdFor = (schoolId: string, incidentId: string, staffId: string, requestId: string) =>
  `act-${createHash("sha256").update([schoolId, incidentId, staffId, requestId].join("\u0000")).digest("hex").slice(0, 24)}`;

export async function addAction(
  deps: AddActionDeps,
  actor: Actor,
  raw: AddActionInput,
  access: AddActionAccess = "viewer",
  decision: AddActionDecision = {},
): Promise<{ action: ActionView; created: boolean }> {
  const parsed = addActionInputSchema.safeParse(raw);
  if (!parsed.success) throw ValidationError(fieldProblemsFrom(parsed.error));
  const input = parsed.data;

  const {
    incident,
    school,
    actions: existing,
  } = access === "alerted" ? await loadIncident(deps, actor, input.incidentId) : await openIncident(deps, actor, input.incidentId, "action.add");
  if (access === "alerted")
    await auditedRefusal(deps, actor, { pupilId: incident.pupilId, incidentId: incident.id }, "action.add", () =>
      assertCanAnswerOwnAlert(actor, incident),
    );
  const staff = await deps.schools.listStaff(actor.schoolId);

  const id = actionIdFor(actor.schoolId, incident.id, actor.staffId, input.requestId);
  const names = staffNames(staff);
  const replay = existing.find((a) => a.id === id);
  if (replay) return { action: toActionView(replay, names, { statuses: [], now: deps.clock.now(), school: taskCalendarOf(school) }), created: false };

  const now = deps.clock.now();
  // A task's owner is tagged too: being tagged is what opens the record to them and alerts them.
  const task = input.task ? taskFor(input.task, school, staff, now) : undefined;
  const asked = [...new Set([...input.taggedStaffIds, ...(task ? [task.ownerStaffId] : [])])];
  const problems = actionProblems(incident, staff, asked, input.occurredAt, now);
  if (problems.length) throw ValidationError(problems);
  const { tagged: taggedStaffIds, pending } = splitTags(actor, { incident, school, actions: existing }, staff, asked);
  if (task) assertOwnerMaySee(task, pending);

  const action: IncidentAction = {
    id,
    incidentId: incident.id,
    pupilId: incident.pupilId,
    schoolId: actor.schoolId,
    kind: input.kind,
    requestId: input.requestId,
    text: input.text,
    occurredAt: new Date(input.occurredAt).toISOString(),
    recordedAt: now.toISOString(),
    recordedBy: { staffId: actor.staffId, name: actor.name },
    taggedStaffIds,
    ...(pending.length ? { pendingTaggedStaffIds: pending } : {}),
    ...(decision.declinedStaffIds?.length ? { declinedStaffIds: [...decision.declinedStaffIds] } : {}),
    ...(task ? { task } : {}),
  };
  const audit: AuditEvent = {
    id: `action:${id}`,
    schoolId: actor.schoolId,
    pupilId: incident.pupilId,
    incidentId: incident.id,
    type: "action.added",
    actorStaffId: actor.staffId,
    at: action.recordedAt,
    detail: {
      actionId: id,
      kind: input.kind,
      tagged: taggedStaffIds.length,
      pendingTags: pending.length,
      via: access === "alerted" ? "alert-card" : "tab",
      ...(task ? { taskOwner: task.ownerStaffId, dueOn: task.dueOn } : {}),
    },
    ...auditOrigin(actor),
  };
  // Nobody needs telling about an action they wrote themselves; a task's owner hears of it as their task.
  const recipients = taggedStaffIds.filter((s) => s !== actor.staffId && s !== task?.ownerStaffId);
  const outbox = [
    ...buildActionOutboxMessages(action, actor.schoolId, recipients, buildActionAlertContent(action, categoryNames(school, incident)), now),
    ...buildTaskOutboxMessages(action, actor.schoolId, incident.reference, actor.staffId, now),
  ];
  const stored = await deps.records.addAction(action, [audit, ...(decision.alsoAudited?.(action) ?? [])], outbox);
  if (stored.created) deps.onActionAdded?.(stored.action);
  return { action: toActionView(stored.action, names, { statuses: [], now, school: taskCalendarOf(school) }), created: stored.created };
}

function actionProblems(incident: Incident, staff: StaffMember[], tagged: string[], occurredAt: string, now: Date): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (new Date(occurredAt).getTime() > now.getTime() + FUTURE_TOLERANCE_MS)
    problems.push({ field: "occurredAt", message: "Log what has happened or been agreed: the date and time cannot be in the future." });
  const active = new Set(staff.filter((s) => s.active && s.schoolId === incident.schoolId).map((s) => s.id));
  if (tagged.some((s) => !active.has(s))) problems.push({ field: "taggedStaffIds", message: "Tag people from the school's current staff list." });
  // The adult an allegation names must never hear of it, so they cannot be tagged, whoever tries.
  if (tagged.some((s) => (incident.allegationSubjectStaffIds ?? []).includes(s)))
    problems.push({ field: "taggedStaffIds", message: "Someone you tagged cannot be told about this record. Remove them and try again." });
  return problems;
}

const staffNames = (staff: StaffMember[]) => new Map(staff.map((s) => [s.id, s.displayName]));

const categoryNames = (school: School, incident: Pick<Incident, "categoryIds">) =>
  incident.categoryIds.map((id) => school.categories.find((c) => c.id === id)?.name ?? "Former category");

/** A task's done / not done changes and the time, to show the task's state (tasks.ts). */
export interface TaskState {
  statuses: readonly TaskStatusChange[];
  now: Date;
  /** The school's zone and calendar now, so "overdue" follows a calendar changed since the task was set. */
  school?: TaskCalendar;
}

export function toActionView(action: IncidentAction, names: Map<string, string>, taskState?: TaskState): ActionView {
  return {
    id: action.id,
    kind: action.kind ?? "action",
    text: action.text,
    occurredAt: action.occurredAt,
    recordedAt: action.recordedAt,
    recordedBy: action.recordedBy,
    taggedStaffIds: action.taggedStaffIds,
    taggedNames: action.taggedStaffIds.map((id) => names.get(id) ?? "Former member of staff"),
    ...(action.pendingTaggedStaffIds?.length ? { pendingTaggedStaffIds: action.pendingTaggedStaffIds } : {}),
    ...(action.declinedStaffIds?.length ? { declinedStaffIds: action.declinedStaffIds } : {}),
    ...(action.task && taskState
      ? {
          task: taskView(
            action.task,
            taskState.statuses,
            names.get(action.task.ownerStaffId) ?? "Former member of staff",
            taskState.now,
            taskState.school,
          ),
        }
      : {}),
  };
}
