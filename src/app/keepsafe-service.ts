import { listEarlyWarnings, reviewEarlyWarning } from "./early-warning-reviews.js";
import type { EarlyWarningStore } from "../ports/early-warning-store.js";
/**
 * The application's front door: one method per use case, each forwarding to the use case's own
 * module (src/app/<verb-noun>.ts) with the ports it needs. The bot, the tab API, the file routes
 * and the jobs call these methods and nothing below them, and never see a store; src/compose.ts
 * builds it from the adapters. No logic lives here: a method that grows a rule becomes a use case.
 */
import type { Actor } from "../domain/actor.js";
import type { IncidentChange } from "../domain/incident-changes.js";
import type { Incident, IncidentAction } from "../domain/incident.js";
import type { DraftStore } from "../domain/files.js";
import type { RecordStore } from "../ports/record-store.js";
import type { ChronologyRenderer } from "../ports/chronology-document.js";
import type { SchoolStore } from "../ports/school-store.js";
import type { FileStore } from "../ports/file-store.js";
import type { Clock } from "../ports/clock.js";
import type { ChangeIncidentBody } from "../contract/requests.js";
import type { AuditTrail } from "../contract/views.js";
import { LIMITS } from "../domain/limits.js";
import { PupilIndex } from "./pupil-index.js";
import { pupilsByIds, pupilsForTypedName, recentPupilsForStaff } from "./recent-pupils-for-staff.js";
import { recordIncident, type RecordIncidentInput } from "./record-incident.js";
import { recordTabConcern, type TabConcernInput } from "./record-tab-concern.js";
import { addAction, type AddActionInput } from "./add-action.js";
import { approvePendingTags, type ApprovePendingTagsInput } from "./approve-pending-tags.js";
import { approveHeldAlerts } from "./approve-held-alerts.js";
import { changeIncident } from "./change-incident.js";
import { incidentReport, type IncidentReportQuery } from "./incident-report.js";
import { governorsSummaryViewed, incidentReportViewed, type ReportFormat } from "./report-view-audit.js";
import { exportChronologyPdf, type ChronologyExportQuery } from "./export-chronology.js";
import { listMyConcerns, type MyConcernsPage } from "./list-my-concerns.js";
import { viewAuditTrail, type AuditPaging, type AuditSubject } from "./view-audit-trail.js";
import { resolveActor, type ResolveActorOptions } from "./resolve-actor.js";
import type { RoleClaimSettings } from "../domain/policy/index.js";
import type { RoleDirectories } from "./role-directories.js";
import { viewMe } from "./view-me.js";
import { searchPupils } from "./search-pupils.js";
import { formOptions } from "./form-options.js";
import { viewChronology, type ChronologyPaging } from "./view-chronology.js";
import { viewIncident } from "./view-incident.js";
import { acknowledgeAlert, acknowledgeAlertFromCard } from "./acknowledge-alert.js";
import { alertCardView } from "./alert-card-view.js";
import { saveBodyMapDraft, type SaveBodyMapDraftInput } from "./save-body-map-draft.js";
import { viewFormDraft } from "./view-form-draft.js";
import { FileAttacher, type AttachFileRequest } from "./attach-file.js";
import { downloadIncidentFile } from "./download-file.js";
import { addCaseEntry, caseEntryOptions, recordReferralOutcome } from "./case-entries.js";
import { downloadCaseEntryFile } from "./case-entry-files.js";
import type { CaseEntryStore } from "../ports/case-entry-store.js";
import type { AddCaseEntryBody, ReferralOutcomeBody } from "../contract/case-entry-requests.js";
import { markTask } from "./mark-task.js";
import { listMyActions } from "./my-actions.js";
import { homeList, homeView } from "./home.js";
import type { HomeListId, TaskStatusBody } from "../contract/requests.js";
import type { SubjectAccessStore } from "../ports/subject-access-store.js";
import { SubjectAccessRequests } from "./subject-access-requests.js";
import { governorsSummary, governorsSummaryPdf } from "./governors-summary.js";
import type { SummaryPeriod } from "../domain/summary-periods.js";
import { schoolOf } from "./school-of.js";

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
  /** Body maps and files staged for a form, attached when it is submitted; without it there are no dialogs' drafts. */
  drafts?: DraftStore;
  /** Evidence files (blob storage); without it files can be neither attached nor downloaded. */
  files?: FileStore;
  /** Referrals, meetings, calls and disclosures on pupils' chronologies (src/app/case-entries.ts). */
  caseEntries?: CaseEntryStore;
  /** Subject access requests and their packs; without it those routes answer 500. */
  subjectAccess?: SubjectAccessStore;
  /** Early-warning firings and reviews (early-warning.ts); without it those routes answer 500. */
  earlyWarnings?: EarlyWarningStore;
  /** Draws an exported chronology as a PDF (src/adapters/pdf); without it there is no export. */
  renderChronology?: ChronologyRenderer;
  /** Roles from the token's app roles or groups (policy/role-claims.ts); without it, staff.csv's. */
  roleClaims?: RoleClaimSettings;
  /** The most rows a list answers (default HOME_LIST_MAX, 500). */
  listMax?: number;
  /** Each school's roles as Entra last gave them (role-directories.ts); read at doors with no token when roles come from Entra. */
  roleDirectories?: RoleDirectories;
}

/** A use case asked for a port Keepsafe was started without: a wiring mistake, not the caller's. */
function required<T>(port: T | undefined, what: string): T {
  if (!port) throw new Error(`Keepsafe was started without ${what}.`);
  return port;
}

export class KeepsafeService {
  readonly pupilIndex: PupilIndex;
  /** Subject access requests and packs (subject-access-requests.ts). */
  readonly subjectAccess: SubjectAccessRequests;

  constructor(private readonly deps: KeepsafeServiceDeps) {
    this.pupilIndex = new PupilIndex(deps.schools);
    this.subjectAccess = new SubjectAccessRequests(deps);
  }

  private get pupils() {
    return { records: this.deps.records, pupilIndex: this.pupilIndex };
  }

  listEarlyWarnings(actor: Actor) {
    return listEarlyWarnings({ ...this.deps, earlyWarnings: required(this.deps.earlyWarnings, "an early-warning store") }, actor);
  }

  reviewEarlyWarning(actor: Actor, pupilId: string, firingId: string, note: string) {
    return reviewEarlyWarning(
      { ...this.deps, earlyWarnings: required(this.deps.earlyWarnings, "an early-warning store") },
      actor,
      pupilId,
      firingId,
      note,
    );
  }

  resolveActor(staffId: string | undefined, opts: ResolveActorOptions): Promise<Actor> {
    const { schools, roleClaims, roleDirectories } = this.deps;
    return resolveActor({ schools, pupilIndex: this.pupilIndex, roleClaims, roleDirectories }, staffId, opts);
  }

  me(actor: Actor) {
    return viewMe(this.deps, actor);
  }

  searchPupils(actor: Actor, query: string, top: number = LIMITS.pupilSearchMaxResults) {
    return searchPupils(this, actor, query, top);
  }

  recentPupils(actor: Actor) {
    return recentPupilsForStaff(this.pupils, actor);
  }

  pupilsByIds(actor: Actor, ids: readonly string[]) {
    return pupilsByIds(this.pupils, actor, ids);
  }

  pupilsForTypedName(actor: Actor, typed: string) {
    return pupilsForTypedName(this.pupils, actor, typed);
  }

  formOptions(actor: Actor) {
    return formOptions(this.deps, actor);
  }

  listMyConcerns(actor: Actor, paging?: MyConcernsPage) {
    return listMyConcerns(this.deps, actor, paging);
  }

  viewAuditTrail(actor: Actor, subject: AuditSubject, format: "json", paging?: AuditPaging): Promise<AuditTrail>;
  viewAuditTrail(actor: Actor, subject: AuditSubject, format: "csv"): Promise<string>;
  viewAuditTrail(actor: Actor, subject: AuditSubject, format: "json" | "csv", paging?: AuditPaging) {
    return format === "csv" ? viewAuditTrail(this.deps, actor, subject, "csv") : viewAuditTrail(this.deps, actor, subject, "json", paging);
  }

  markTask(actor: Actor, incidentId: string, actionId: string, body: TaskStatusBody) {
    return markTask(this.deps, actor, incidentId, actionId, body);
  }

  listMyActions(actor: Actor) {
    return listMyActions(this.deps, actor);
  }

  home(actor: Actor) {
    return homeView(this.deps, actor);
  }

  homeList(actor: Actor, list: HomeListId, paging: { continuation?: string } = {}) {
    return homeList(this.deps, actor, list, paging);
  }

  recordIncident(actor: Actor, input: RecordIncidentInput) {
    return recordIncident(this.deps, actor, input);
  }

  recordTabConcern(actor: Actor, body: TabConcernInput) {
    return recordTabConcern(this.deps, actor, body);
  }

  getChronology(actor: Actor, pupilId: string, paging: ChronologyPaging = {}) {
    return viewChronology(this.deps, actor, pupilId, paging);
  }

  /** An incident report for the reader, audited as viewed (in the tab, or downloaded as CSV). */
  incidentReport(actor: Actor, query: IncidentReportQuery, format: ReportFormat = "json") {
    return incidentReport(this.deps, actor, query, { audit: incidentReportViewed(query, format), withReferralTimeliness: true });
  }

  governorsSummary(actor: Actor, query: { period: SummaryPeriod; date: string }) {
    return governorsSummary(this.deps, actor, query, governorsSummaryViewed(query.period));
  }

  governorsSummaryPdf(actor: Actor, query: { period: SummaryPeriod; date: string }) {
    const renderChronology = required(this.deps.renderChronology, "a PDF renderer");
    return governorsSummaryPdf({ ...this.deps, renderChronology }, actor, query);
  }

  exportChronologyPdf(actor: Actor, pupilId: string, query: ChronologyExportQuery) {
    const renderChronology = required(this.deps.renderChronology, "a PDF renderer");
    return exportChronologyPdf({ ...this.deps, renderChronology }, actor, pupilId, query);
  }

  getIncidentView(actor: Actor, incidentId: string) {
    return viewIncident(this.deps, actor, incidentId);
  }

  addCaseEntry(actor: Actor, pupilId: string, body: AddCaseEntryBody) {
    return addCaseEntry({ ...this.deps, caseEntries: required(this.deps.caseEntries, "a case entry store") }, actor, pupilId, body);
  }

  recordReferralOutcome(actor: Actor, pupilId: string, referralId: string, body: ReferralOutcomeBody) {
    return recordReferralOutcome(
      { ...this.deps, caseEntries: required(this.deps.caseEntries, "a case entry store") },
      actor,
      pupilId,
      referralId,
      body,
    );
  }

  downloadCaseEntryFile(actor: Actor, pupilId: string, caseEntryId: string) {
    return downloadCaseEntryFile(
      { ...this.deps, caseEntries: required(this.deps.caseEntries, "a case entry store"), files: required(this.deps.files, "a file store") },
      actor,
      pupilId,
      caseEntryId,
    );
  }

  async caseEntryOptions(actor: Actor) {
    return caseEntryOptions(actor, await schoolOf(this.deps, actor));
  }

  changeIncident(actor: Actor, incidentId: string, body: ChangeIncidentBody) {
    return changeIncident(this.deps, actor, incidentId, body);
  }

  acknowledgeAlert(actor: Actor, incidentId: string) {
    return acknowledgeAlert(this.deps, actor, incidentId);
  }

  acknowledgeAlertFromCard(actor: Actor, incidentId: string) {
    return acknowledgeAlertFromCard(this.deps, actor, incidentId);
  }

  alertCardView(actor: Actor, incidentId: string) {
    return alertCardView(this.deps, actor, incidentId);
  }

  addAction(actor: Actor, input: AddActionInput) {
    return addAction(this.deps, actor, input, "viewer");
  }

  addActionFromCard(actor: Actor, input: AddActionInput) {
    return addAction(this.deps, actor, input, "alerted");
  }

  approvePendingTags(actor: Actor, input: ApprovePendingTagsInput) {
    return approvePendingTags(this.deps)(actor, input);
  }

  approveHeldAlerts(actor: Actor, incidentId: string) {
    return approveHeldAlerts(this.deps)(actor, incidentId);
  }

  saveBodyMapDraft(actor: Actor, input: SaveBodyMapDraftInput) {
    return saveBodyMapDraft({ drafts: required(this.deps.drafts, "form drafts"), clock: this.deps.clock }, actor, input);
  }

  viewFormDraft(actor: Actor, submissionId: string) {
    return viewFormDraft({ drafts: required(this.deps.drafts, "form drafts") }, actor, submissionId);
  }

  beginFileUpload(actor: Actor, request: AttachFileRequest) {
    const attacher = new FileAttacher({
      files: required(this.deps.files, "a file store"),
      drafts: required(this.deps.drafts, "form drafts"),
      clock: this.deps.clock,
    });
    return attacher.begin(actor, request);
  }

  downloadFile(actor: Actor, incidentId: string, fileId: string) {
    return downloadIncidentFile({ ...this.deps, files: required(this.deps.files, "a file store") }, actor, incidentId, fileId);
  }
}
