/**
 * The application's front door. The bot, the tab API and the jobs call these methods and
 * nothing below them; each takes the acting member of staff and applies the domain policy.
 */
import { randomUUID } from "node:crypto";
import type { Actor } from "../domain/actor.js";
import type { IncidentChange } from "../domain/incident-changes.js";
import { PART_LABELS, type Alert, type AuditEvent, type AuditSource, type Incident, type IncidentAction } from "../domain/incident.js";
import { NotFoundError, UnauthenticatedError, ForbiddenError } from "../domain/errors.js";
import { LIMITS } from "../domain/limits.js";
import {
  assertCanAnswerOwnAlert, assertSignInStrongEnough, authorize, can, canViewIncidentHistory, pupilInActorScope,
} from "../domain/policy/index.js";
import { pupilInScope } from "../domain/staff-scope.js";
import { DEFAULT_IDLE_HIDE_MINUTES, pupilDisplayName, type School, type Session } from "../domain/school.js";
import type { RecordStore } from "../ports/record-store.js";
import type { DraftStore } from "../domain/files.js";
import type { ChronologyRenderer } from "../ports/chronology-document.js";
import type { SchoolStore } from "../ports/school-store.js";
import type { Clock } from "../ports/clock.js";
import { PupilIndex, pupilSummaryFor, shownTo, type PupilSummary } from "./pupil-index.js";
import { auditRefusal, loadIncident, openIncident } from "./incident-access.js";
import { pupilsByIds, pupilsForTypedName, recentPupilsForStaff } from "./recent-pupils-for-staff.js";
import { recordIncident, type RecordIncidentInput } from "./record-incident.js";
import { incidentDetailFields } from "./incident-details.js";
import { addAction, toActionView, type AddActionInput } from "./add-action.js";
import { approvePendingTags, type ApprovePendingTagsInput } from "./approve-pending-tags.js";
import { categoryNames, chronologyRows } from "./chronology.js";
import { changeIncident, toChangeView } from "./change-incident.js";
import type { ChangeIncidentBody } from "../contract/requests.js";
import { incidentReport, type IncidentReportQuery } from "./incident-report.js";
import { exportChronologyPdf, type ChronologyExportQuery } from "./export-chronology.js";
import type { AlertCardView, ChronologyView, FormOptions, IncidentView, MeView } from "./views.js";
import { auditOrigin } from "./audit-origin.js";
import { auditedRefusal } from "./audited-refusal.js";
import { listMyConcerns } from "./list-my-concerns.js";
import { viewAuditTrail, type AuditSubject } from "./view-audit-trail.js";
import type { AuditTrail } from "../contract/views.js";

export interface KeepsafeServiceDeps {
  schools: SchoolStore;
  records: RecordStore;
  clock: Clock;
  /** Called after a new incident is stored, so the alert dispatcher can send at once. */
  onRecorded?: (incident: Incident) => void;
  /** Called after a new action is stored, so the alert dispatcher can alert the tagged staff at once. */
  onActionAdded?: (action: IncidentAction) => void;
  /** Called after a change to a record that alerts someone (an assignment) is stored. */
  onChanged?: (change: IncidentChange) => void;
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
  async resolveActor(staffId: string | undefined, opts: { mfa: boolean; via?: AuditSource }): Promise<Actor> {
    if (!staffId) throw UnauthenticatedError();
    const member = await this.deps.schools.findStaffById(staffId);
    if (!member || !member.active) throw UnauthenticatedError("You are not on this school's Keepsafe staff list.");
    // A scope is resolved to its pupils once per request, from the in-memory roll (no extra store read).
    const scope = member.scope;
    const scopePupilIds = scope?.length ? await this.pupilIndex.idsWhere(member.schoolId, (p) => pupilInScope(scope, p)) : undefined;
    return {
      staffId: member.id, schoolId: member.schoolId, name: member.displayName, role: member.role, mfa: opts.mfa,
      ...(scopePupilIds ? { scopePupilIds } : {}), ...(opts.via ? { via: opts.via } : {}),
    };
  }

  async me(actor: Actor): Promise<MeView> {
    const school = await this.school(actor);
    return { staffId: actor.staffId, name: actor.name, role: actor.role, mfa: actor.mfa, school: { id: school.id, name: school.name },
      idleHideMinutes: school.idleHideMinutes ?? DEFAULT_IDLE_HIDE_MINUTES };
  }

  /** Names, year group and class for everyone; welfare flags only as policy.visiblePupilFlags allows. */
  async searchPupils(actor: Actor, query: string, top: number = LIMITS.pupilSearchMaxResults): Promise<PupilSummary[]> {
    // Pupil search is a door too: names for anyone who may record, flags as the policy allows.
    authorize(actor, "search", { kind: "pupil" });
    const found = await this.pupilIndex.search(actor.schoolId, query, Math.min(top, 50), (p) => pupilInActorScope(actor, p.id));
    return found.map((p) => shownTo(actor, p));
  }

  /** The pupils this member of staff recorded about most recently: the form's choices without typeahead. */
  recentPupils(actor: Actor): Promise<PupilSummary[]> {
    return recentPupilsForStaff({ records: this.deps.records, pupilIndex: this.pupilIndex }, actor);
  }

  /** Pupils by id, as search would show them (names, year, class), so a form never shows a bare id. */
  pupilsByIds(actor: Actor, ids: readonly string[]): Promise<PupilSummary[]> {
    return pupilsByIds({ records: this.deps.records, pupilIndex: this.pupilIndex }, actor, ids);
  }

  /** A pupil's name typed on the form where typeahead is not available: one, several or no matches. */
  pupilsForTypedName(actor: Actor, typed: string) {
    return pupilsForTypedName({ records: this.deps.records, pupilIndex: this.pupilIndex }, actor, typed);
  }

  async formOptions(actor: Actor): Promise<FormOptions> {
    const [school, staff] = await Promise.all([this.school(actor), this.deps.schools.listStaff(actor.schoolId)]);
    return {
      categories: school.categories
        .filter((category) => can(actor, "allocate", { kind: "category", category }))
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

  listMyConcerns(actor: Actor) {
    return listMyConcerns(this.deps, actor);
  }

  /** A pupil's or a member of staff's audit trail, as a view or as CSV (DSLs with MFA only). */
  viewAuditTrail(actor: Actor, subject: AuditSubject, format: "json"): Promise<AuditTrail>;
  viewAuditTrail(actor: Actor, subject: AuditSubject, format: "csv"): Promise<string>;
  viewAuditTrail(actor: Actor, subject: AuditSubject, format: "json" | "csv") {
    return format === "csv" ? viewAuditTrail(this.deps, actor, subject, "csv") : viewAuditTrail(this.deps, actor, subject, "json");
  }

  recordIncident(actor: Actor, input: RecordIncidentInput) {
    return recordIncident(this.deps, actor, input);
  }

  /** A page of the chronology (the first unless `continuation` is given). */
  async getChronology(actor: Actor, pupilId: string, paging: { pageSize?: number; continuation?: string } = {}): Promise<ChronologyView> {
    assertSignInStrongEnough(actor);
    if (!can(actor, "browse", { kind: "chronology" })) {
      // Refused for the role, so the answer is the same whether the pupil exists; audited when they do.
      const asked = await this.deps.schools.getPupil(actor.schoolId, pupilId);
      if (asked) await auditRefusal(this.deps, actor, { pupilId: asked.id }, "chronology.view");
      authorize(actor, "browse", { kind: "chronology" });
    }
    const [school, pupil] = await Promise.all([this.school(actor), this.deps.schools.getPupil(actor.schoolId, pupilId)]);
    if (!pupil) throw NotFoundError("The pupil");
    if (!pupilInActorScope(actor, pupil.id)) {
      // A pupil outside a head of year's scope answers as one not on the roll; the DSL sees who looked.
      await auditRefusal(this.deps, actor, { pupilId: pupil.id }, "chronology.view");
      throw NotFoundError("The pupil");
    }
    const page = await this.deps.records.chronologyPage(pupilId, {
      pageSize: Math.min(Math.max(1, Math.floor(paging.pageSize ?? LIMITS.chronologyPageDefault)), LIMITS.chronologyPageMax),
      ...(paging.continuation !== undefined ? { continuation: paging.continuation } : {}),
    });
    const entries = chronologyRows(actor, school, page);
    await this.audit(actor, { type: "chronology.viewed", pupilId, detail: { entries: entries.length } });
    return { pupil: { ...pupilSummaryFor(actor, pupil), dateOfBirth: pupil.dateOfBirth }, entries, ...(page.continuation ? { continuation: page.continuation } : {}) };
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
    const { incident, school, actions, alerts, changes } = await openIncident(this.deps, actor, incidentId, "incident.view");
    // The pupil and every linked pupil in one read of the roll, whatever the number of links.
    const [staff, pupils] = await Promise.all([
      this.deps.schools.listStaff(actor.schoolId),
      this.deps.schools.getPupils(actor.schoolId, [incident.pupilId, ...incident.linkedPupils.map((l) => l.pupilId)]),
    ]);
    const byId = new Map(pupils.map((p) => [p.id, p]));
    const pupil = byId.get(incident.pupilId);
    if (!pupil) throw NotFoundError("The pupil");
    const names = new Map(staff.map((s) => [s.id, s.displayName]));
    const linked = incident.linkedPupils.map((l) => {
      const p = byId.get(l.pupilId);
      return { pupilId: l.pupilId, displayName: p ? pupilDisplayName(p) : "Unknown pupil", part: l.part, partLabel: PART_LABELS[l.part] };
    });
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
      actions: actions.filter((a) => can(actor, "view", { kind: "action", action: a })).map((a) => toActionView(a, names)),
      // The old values may say more than the current ones (a record once Child Protection), so only the team sees them.
      ...(canViewIncidentHistory(actor) ? { version: changes.length, history: changes.map((c) => toChangeView(c, school, staff)) } : {}),
    };
  }

  /** A DSL or deputy re-categorises, assigns, closes, reopens or decides "no further action" (change-incident.ts). */
  changeIncident(actor: Actor, incidentId: string, body: ChangeIncidentBody) {
    return changeIncident(this.deps, actor, incidentId, body);
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
    await auditedRefusal(this.deps, actor, { pupilId: incident.pupilId, incidentId: incident.id }, "incident.acknowledge", () => assertCanAnswerOwnAlert(actor, incident));
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
  /** A DSL approves tags kept pending on a protected record (approve-pending-tags.ts). */
  approvePendingTags(actor: Actor, input: ApprovePendingTagsInput) {
    return approvePendingTags(this.deps)(actor, input);
  }

  addActionFromCard(actor: Actor, input: AddActionInput) {
    return addAction(this.deps, actor, input, "alerted");
  }

  private async incidentInSchool(actor: Actor, incidentId: string): Promise<Incident> {
    return (await loadIncident(this.deps, actor, incidentId)).incident;
  }

  private async acknowledgeOwnAlert(actor: Actor, incident: Incident): Promise<Alert> {
    const alert = (await this.deps.records.alertsForIncident(incident.id, incident.pupilId)).find((a) => a.staffId === actor.staffId);
    if (!alert) {
      await auditRefusal(this.deps, actor, { pupilId: incident.pupilId, incidentId: incident.id }, "incident.acknowledge");
      throw ForbiddenError("You were not alerted to this record, so there is nothing to mark as read.");
    }
    if (alert.acknowledgedAt) return alert;
    const at = this.deps.clock.now().toISOString();
    return this.deps.records.acknowledgeAlert(alert, at, this.auditEvent(actor, {
      type: "alert.acknowledged",
      pupilId: incident.pupilId,
      incidentId: incident.id,
      id: `audit:${incident.id}:ack:${actor.staffId}`,
    }));
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
      ...auditOrigin(actor),
      ...e,
    };
  }

  private audit(actor: Actor, e: Partial<AuditEvent> & Pick<AuditEvent, "type">) {
    return this.deps.records.appendAudit(this.auditEvent(actor, e));
  }
}
