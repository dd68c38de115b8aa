/**
 * The application's front door. The bot, the tab API and the jobs call these methods and
 * nothing below them; each takes the acting member of staff and applies the domain policy.
 */
import { randomUUID } from "node:crypto";
import type { Actor } from "../domain/actor.js";
import { PART_LABELS, type Alert, type AuditEvent, type ChronologyEntry, type Incident, type IncidentAction } from "../domain/incident.js";
import { NotFoundError, UnauthenticatedError, ForbiddenError } from "../domain/errors.js";
import { LIMITS } from "../domain/limits.js";
import {
  assertCanAnswerOwnAlert, assertCanBrowseChronology, assertSignInStrongEnough, canAllocateCategory, canBrowseChronology, canViewAction,
  canViewIncident,
} from "../domain/policy.js";
import { pupilDisplayName, type School, type Session } from "../domain/school.js";
import type { RecordStore } from "../ports/record-store.js";
import type { DraftStore } from "../domain/files.js";
import type { ChronologyRenderer } from "../ports/chronology-document.js";
import type { SchoolStore } from "../ports/school-store.js";
import type { Clock } from "../ports/clock.js";
import { PupilIndex, pupilSummaryFor, shownTo, type PupilSummary } from "./pupil-index.js";
import { auditRefusal, openIncident } from "./incident-access.js";
import { recordIncident, type RecordIncidentInput } from "./record-incident.js";
import { incidentDetailFields } from "./incident-details.js";
import { addAction, toActionView, type AddActionInput } from "./add-action.js";
import { incidentReport, type IncidentReportQuery } from "./incident-report.js";
import { exportChronologyPdf, type ChronologyExportQuery } from "./export-chronology.js";
import type { AlertCardView, ChronologyRow, ChronologyView, FormOptions, IncidentView, MeView } from "./views.js";

export interface KeepsafeServiceDeps {
  schools: SchoolStore;
  records: RecordStore;
  clock: Clock;
  /** Called after a new incident is stored, so the alert dispatcher can send at once. */
  onRecorded?: (incident: Incident) => void;
  /** Called after a new action is stored, so the alert dispatcher can alert the tagged staff at once. */
  onActionAdded?: (action: IncidentAction) => void;
  /** Body maps and files staged for a form, attached when it is submitted. */
  drafts?: DraftStore;
  /** Draws an exported chronology as a PDF (src/adapters/pdf); without it there is no export. */
  renderChronology?: ChronologyRenderer;
}

const SESSION_LABELS: Record<Session, string> = {
  "before-school": "Before school",
  morning: "Morning",
  lunch: "Lunchtime",
  afternoon: "Afternoon",
  "after-school": "After school",
  "outside-school": "Outside school hours",
};

export class KeepsafeService {
  readonly pupilIndex: PupilIndex;

  constructor(private readonly deps: KeepsafeServiceDeps) {
    this.pupilIndex = new PupilIndex(deps.schools);
  }

  /** Staff are known by their Entra object id; anyone not on the school's list is refused. */
  async resolveActor(staffId: string | undefined, opts: { mfa: boolean }): Promise<Actor> {
    if (!staffId) throw UnauthenticatedError();
    const member = await this.deps.schools.findStaffById(staffId);
    if (!member || !member.active) throw UnauthenticatedError("You are not on this school's Keepsafe staff list.");
    return { staffId: member.id, schoolId: member.schoolId, name: member.displayName, role: member.role, mfa: opts.mfa };
  }

  async me(actor: Actor): Promise<MeView> {
    const school = await this.school(actor);
    return { staffId: actor.staffId, name: actor.name, role: actor.role, mfa: actor.mfa, school: { id: school.id, name: school.name } };
  }

  /** Names, year group and class for everyone; welfare flags only as policy.visiblePupilFlags allows. */
  async searchPupils(actor: Actor, query: string, top: number = LIMITS.pupilSearchMaxResults): Promise<PupilSummary[]> {
    const found = await this.pupilIndex.search(actor.schoolId, query, Math.min(top, 50));
    return found.map((p) => shownTo(actor, p));
  }

  async formOptions(actor: Actor): Promise<FormOptions> {
    const [school, staff] = await Promise.all([this.school(actor), this.deps.schools.listStaff(actor.schoolId)]);
    return {
      categories: school.categories
        .filter((c) => canAllocateCategory(actor, c))
        .map((c) => ({ id: c.id, name: c.name, guidance: c.guidance, subCategories: c.subCategories, protected: c.protected, fields: c.fields })),
      staff: staff
        .filter((s) => s.active)
        .map((s) => ({ id: s.id, name: s.displayName, role: s.role }))
        .sort((a, b) => a.name.localeCompare(b.name)),
      alertGroups: school.alertGroups.map((g) => ({ id: g.id, name: g.name })),
      locations: school.locations,
      sessions: Object.entries(SESSION_LABELS).map(([id, label]) => ({ id, label })),
      timeZone: school.timeZone,
      now: this.deps.clock.now().toISOString(),
    };
  }

  recordIncident(actor: Actor, input: RecordIncidentInput) {
    return recordIncident(this.deps, actor, input);
  }

  async getChronology(actor: Actor, pupilId: string): Promise<ChronologyView> {
    assertSignInStrongEnough(actor);
    if (!canBrowseChronology(actor)) {
      // Refused for the role, so the answer is the same whether the pupil exists; audited when they do.
      const asked = await this.deps.schools.getPupil(actor.schoolId, pupilId);
      if (asked) await auditRefusal(this.deps, actor, { pupilId: asked.id }, "chronology.view");
      assertCanBrowseChronology(actor);
    }
    const [school, pupil] = await Promise.all([this.school(actor), this.deps.schools.getPupil(actor.schoolId, pupilId)]);
    if (!pupil) throw NotFoundError("The pupil");
    // Actions are read for every row: being tagged in one opens its incident, and they are rows too.
    const stored = await this.withActions(await this.deps.records.chronology(pupilId));
    const visible = stored.filter(({ entry, actions }) => canViewIncident(actor, entry, school.categories, actions));
    const rows = await Promise.all(
      visible.map(async ({ entry: e, actions }): Promise<ChronologyRow[]> => {
        const alerts = await this.deps.records.alertsForIncident(e.incidentId, e.incidentPupilId);
        const incidentRow: ChronologyRow = {
          kind: e.kind,
          incidentId: e.incidentId,
          reference: e.reference,
          part: e.part,
          occurredAt: e.occurredAt,
          recordedAt: e.recordedAt,
          categoryIds: e.categoryIds,
          categoryNames: categoryNames(school, e.categoryIds),
          raisedBy: e.raisedBy,
          summary: e.summary,
          status: e.status,
          unacknowledgedAlerts: alerts.filter((a) => !a.acknowledgedAt).length,
        };
        return [incidentRow, ...actions.filter((a) => canViewAction(actor, a)).map((a) => actionRow(incidentRow, a))];
      }),
    );
    // Newest first by when it happened, actions among incidents: entries out of date order mislead.
    const entries = rows.flat().sort((a, b) => (a.occurredAt < b.occurredAt ? 1 : a.occurredAt > b.occurredAt ? -1 : 0));
    await this.audit(actor, { type: "chronology.viewed", pupilId, detail: { entries: entries.length } });
    return { pupil: { ...pupilSummaryFor(actor, pupil), dateOfBirth: pupil.dateOfBirth }, entries };
  }

  /** Reports for DSLs, deputies and SLT over the records each may open (src/app/incident-report.ts). */
  incidentReport(actor: Actor, query: IncidentReportQuery) {
    return incidentReport(this.deps, actor, query);
  }

  /** A pupil's chronology as a PDF for a conference (src/app/export-chronology.ts); audited. */
  exportChronologyPdf(actor: Actor, pupilId: string, query: ChronologyExportQuery) {
    const { renderChronology } = this.deps;
    if (!renderChronology) throw new Error("Keepsafe was started without a PDF renderer.");
    return exportChronologyPdf({ ...this.deps, renderChronology }, actor, pupilId, query);
  }

  async getIncidentView(actor: Actor, incidentId: string): Promise<IncidentView> {
    const { incident, school, actions } = await openIncident(this.deps, actor, incidentId, "incident.view");
    const [alerts, staff, pupil] = await Promise.all([
      this.deps.records.alertsForIncident(incident.id, incident.pupilId),
      this.deps.schools.listStaff(actor.schoolId),
      this.deps.schools.getPupil(actor.schoolId, incident.pupilId),
    ]);
    if (!pupil) throw NotFoundError("The pupil");
    const names = new Map(staff.map((s) => [s.id, s.displayName]));
    const linked = await Promise.all(
      incident.linkedPupils.map(async (l) => {
        const p = await this.deps.schools.getPupil(actor.schoolId, l.pupilId);
        return { pupilId: l.pupilId, displayName: p ? pupilDisplayName(p) : "Unknown pupil", part: l.part, partLabel: PART_LABELS[l.part] };
      }),
    );
    await this.audit(actor, { type: "incident.viewed", pupilId: incident.pupilId, incidentId: incident.id });
    const mine = alerts.find((a) => a.staffId === actor.staffId);
    const subCategoryNames = school.categories
      .flatMap((c) => c.subCategories)
      .filter((s) => incident.subCategoryIds.includes(s.id))
      .map((s) => s.name);
    return {
      incident: {
        id: incident.id,
        reference: incident.reference,
        pupilId: incident.pupilId,
        occurredAt: incident.occurredAt,
        recordedAt: incident.recordedAt,
        session: incident.session,
        location: incident.location,
        account: incident.account,
        categoryIds: incident.categoryIds,
        categoryNames: categoryNames(school, incident.categoryIds),
        subCategoryNames,
        raisedBy: incident.raisedBy,
        status: incident.status,
        urgent: incident.urgent,
        source: incident.source,
        linkedPupils: linked,
        ...incidentDetailFields(actor, incident, school, (id) => names.get(id) ?? "Former member of staff", (s) => SESSION_LABELS[s as Session] ?? s),
      },
      pupil: pupilSummaryFor(actor, pupil),
      alerts: alerts.map((a) => ({ staffId: a.staffId, name: names.get(a.staffId) ?? "Former member of staff", acknowledgedAt: a.acknowledgedAt })),
      myAlert: mine ? { acknowledgedAt: mine.acknowledgedAt } : undefined,
      actions: actions.filter((a) => canViewAction(actor, a)).map((a) => toActionView(a, names)),
    };
  }

  /** "Mark as read": records who acknowledged and when; only the alerted person can acknowledge their alert. */
  async acknowledgeAlert(actor: Actor, incidentId: string): Promise<Alert> {
    const { incident } = await openIncident(this.deps, actor, incidentId, "incident.acknowledge");
    return this.acknowledgeOwnAlert(actor, incident);
  }

  /**
   * "Mark as read" from the alert card in Teams chat. The bot carries no MFA, and acknowledging
   * shows nothing of the record, so only being the alerted person is checked (a DSL can answer
   * their card); reading the record still needs the tab.
   */
  async acknowledgeAlertFromCard(actor: Actor, incidentId: string): Promise<Alert> {
    const incident = await this.incidentInSchool(actor, incidentId);
    assertCanAnswerOwnAlert(actor, incident);
    return this.acknowledgeOwnAlert(actor, incident);
  }

  /** The alert card's state for its recipient: who raised it, its categories, and whether they have read it. */
  async alertCardView(actor: Actor, incidentId: string): Promise<AlertCardView> {
    const incident = await this.incidentInSchool(actor, incidentId);
    assertCanAnswerOwnAlert(actor, incident);
    const [school, alerts] = await Promise.all([this.school(actor), this.deps.records.alertsForIncident(incident.id, incident.pupilId)]);
    return {
      incidentId: incident.id,
      raisedByName: incident.raisedBy.name,
      categoryNames: categoryNames(school, incident.categoryIds),
      urgent: incident.urgent,
      acknowledgedAt: alerts.find((a) => a.staffId === actor.staffId)?.acknowledgedAt,
      timeZone: school.timeZone,
    };
  }

  /** Add an action (follow-up, outcome or correction) from the tab: the actor must be able to read the incident. */
  addAction(actor: Actor, input: AddActionInput) {
    return addAction(this.deps, actor, input, "viewer");
  }

  /** Add an action from the alert card in chat: the alerted person, without MFA (adding shows nothing of the record). */
  addActionFromCard(actor: Actor, input: AddActionInput) {
    return addAction(this.deps, actor, input, "alerted");
  }

  private async incidentInSchool(actor: Actor, incidentId: string): Promise<Incident> {
    const incident = await this.deps.records.getIncident(incidentId);
    if (!incident || incident.schoolId !== actor.schoolId) throw NotFoundError("The record");
    return incident;
  }

  private async acknowledgeOwnAlert(actor: Actor, incident: Incident): Promise<Alert> {
    const alert = (await this.deps.records.alertsForIncident(incident.id, incident.pupilId)).find((a) => a.staffId === actor.staffId);
    if (!alert) throw ForbiddenError("You were not alerted to this record, so there is nothing to mark as read.");
    if (alert.acknowledgedAt) return alert;
    const at = this.deps.clock.now().toISOString();
    return this.deps.records.acknowledgeAlert(alert, at, this.auditEvent(actor, {
      type: "alert.acknowledged",
      pupilId: incident.pupilId,
      incidentId: incident.id,
      id: `audit:${incident.id}:ack:${actor.staffId}`,
    }));
  }

  private withActions(entries: ChronologyEntry[]) {
    return Promise.all(
      entries.map(async (entry) => ({ entry, actions: await this.deps.records.actionsForIncident(entry.incidentId, entry.incidentPupilId) })),
    );
  }

  private async school(actor: Actor): Promise<School> {
    const school = await this.deps.schools.getSchool(actor.schoolId);
    if (!school) throw NotFoundError("The school");
    return school;
  }

  private auditEvent(actor: Actor, e: Partial<AuditEvent> & Pick<AuditEvent, "type">): AuditEvent {
    const at = this.deps.clock.now().toISOString();
    return {
      id: e.id ?? `audit:${randomUUID()}`,
      schoolId: actor.schoolId,
      actorStaffId: actor.staffId,
      at,
      ...e,
    };
  }

  private audit(actor: Actor, e: Partial<AuditEvent> & Pick<AuditEvent, "type">) {
    return this.deps.records.appendAudit(this.auditEvent(actor, e));
  }
}

/** An action's row in the chronology: dated when it happened, by who recorded it, under its incident. */
const actionRow = (incident: ChronologyRow, a: IncidentAction): ChronologyRow => ({
  ...incident,
  kind: "action",
  actionId: a.id,
  actionKind: a.kind ?? "action",
  occurredAt: a.occurredAt,
  recordedAt: a.recordedAt,
  raisedBy: a.recordedBy,
  summary: `${a.kind === "correction" ? "Correction: " : ""}${a.text.length > 160 ? `${a.text.slice(0, 159)}…` : a.text}`,
  unacknowledgedAlerts: 0,
});

const categoryNames = (school: School, ids: string[]) =>
  ids.map((id) => school.categories.find((c) => c.id === id)?.name ?? "Former category");
