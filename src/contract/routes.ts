/**
 * Every route of the tab API, once: its method and path, what it accepts and what it answers.
 * The server registers its handlers against these entries (src/api/), the tab's API client calls
 * through them (tab/src/api-client.ts), the tests' stand-in answers with them, the OpenAPI
 * document is generated from them (src/contract/openapi.ts), and the access-matrix test walks
 * them, so a route cannot exist without being described, checked and tested.
 *
 * What each route accepts is in route-inputs.ts, keyed by the same ids and typed so that a route
 * without its inputs does not compile: the tab imports this file at run time, and the inputs' classic
 * zod would cost its bundle 90 KB (gzipped) for schemas only the server runs.
 */
import type * as zm from "zod/mini";
import {
  acknowledgedSchema,
  actionAddedSchema,
  heldAlertsDecisionSchema,
  incidentChangedSchema,
  chronologySchema,
  draftFilesSchema,
  formOptionsSchema,
  healthSchema,
  incidentReportSchema,
  incidentViewSchema,
  meSchema,
  caseEntryAddedSchema,
  caseEntryOptionsSchema,
  pupilSearchSchema,
  recordedSchema,
  uploadedFileSchema,
  myConcernsSchema,
  auditTrailSchema,
} from "./views.js";
import { homeListSchema, homeSchema, myActionsSchema, taskMarkedSchema } from "./task-views.js";
import { governorsSummarySchema } from "./summary-views.js";
import { earlyWarningListSchema, earlyWarningReviewedSchema } from "./early-warning-views.js";
import { sarListSchema, sarPackApprovedSchema, sarPreviewSchema, sarRequestAnswerSchema } from "./subject-access-views.js";

type Schema = zm.ZodMiniType;

/** A body or answer that is a file's bytes rather than JSON. */
export const BINARY = "binary" as const;
/** An answer that is CSV text (text/csv, UTF-8) to save as a file: the handler returns the text. */
export const CSV = "csv" as const;

export interface RouteDef {
  /** The OpenAPI operationId, and the name the tab's client and the tests use. */
  id: string;
  method: "GET" | "POST";
  /** restify-style path: `/api/incidents/:incidentId`. */
  path: string;
  summary: string;
  /** Who gets past authentication: "none" for health and the API description only. */
  auth: "bearer" | "none";
  /** Does the route show or change a record (and so answer "not found" for what the reader may not see)? */
  record?: "read" | "write";
  /** The path's `:name` parameters, in order. */
  params?: readonly string[];
  /** The request's body is JSON, a file's bytes, or nothing. */
  body?: "json" | typeof BINARY;
  /** The success answers by status; most routes have one. */
  responses: Partial<Record<200 | 201, Schema | typeof BINARY | typeof CSV>>;
}

const define = <const T extends Record<string, Omit<RouteDef, "id">>>(table: T) =>
  Object.fromEntries(Object.entries(table).map(([id, def]) => [id, { id, ...def }])) as { [K in keyof T]: T[K] & { id: K } };

export const routes = define({
  health: {
    method: "GET",
    path: "/healthz",
    summary: "Whether Keepsafe and its record store answer",
    auth: "none",
    responses: { 200: healthSchema },
  },
  getMe: { method: "GET", path: "/api/me", summary: "The signed-in member of staff", auth: "bearer", responses: { 200: meSchema } },
  searchPupils: {
    method: "GET",
    path: "/api/pupils",
    summary: "Pupil typeahead: matching pupils, best first (15 at most), with only the flags the reader's role may know",
    auth: "bearer",
    responses: { 200: pupilSearchSchema },
  },
  getChronology: {
    method: "GET",
    path: "/api/pupils/:pupilId/chronology",
    summary:
      "A page of a pupil's chronology, newest first, filtered to what the signed-in member of staff may see (a page may hold fewer rows than asked; `continuation` leads to the next)",
    auth: "bearer",
    record: "read",
    params: ["pupilId"],
    responses: { 200: chronologySchema },
  },
  recordIncident: {
    method: "POST",
    path: "/api/incidents",
    summary: 'Record a concern from the tab: the same command as the bot\'s form (source "tab"); the incident cannot be edited afterwards',
    auth: "bearer",
    record: "write",
    body: "json",
    responses: { 201: recordedSchema, 200: recordedSchema },
  },
  getIncident: {
    method: "GET",
    path: "/api/incidents/:incidentId",
    summary: "One incident with everything the form recorded, its alerts and the actions the reader may see",
    auth: "bearer",
    record: "read",
    params: ["incidentId"],
    responses: { 200: incidentViewSchema },
  },
  acknowledgeAlert: {
    method: "POST",
    path: "/api/incidents/:incidentId/acknowledge",
    summary: '"Mark as read": the signed-in person acknowledges their own alert; acknowledging twice keeps the first time',
    auth: "bearer",
    record: "write",
    params: ["incidentId"],
    responses: { 200: acknowledgedSchema },
  },
  addAction: {
    method: "POST",
    path: "/api/incidents/:incidentId/actions",
    summary: "Add an action (a follow-up, an outcome or a correction); a repeat with the same requestId adds nothing",
    auth: "bearer",
    record: "write",
    params: ["incidentId"],
    body: "json",
    responses: { 201: actionAddedSchema, 200: actionAddedSchema },
  },
  approvePendingTags: {
    method: "POST",
    path: "/api/incidents/:incidentId/actions/:actionId/approve-tags",
    summary: "A DSL approves the tags kept pending on a protected record; the approval is an action tagging them (alerted, may read)",
    auth: "bearer",
    record: "write",
    params: ["incidentId", "actionId"],
    responses: { 201: actionAddedSchema, 200: actionAddedSchema },
  },
  approveHeldAlerts: {
    method: "POST",
    path: "/api/incidents/:incidentId/approve-alerts",
    summary:
      "A DSL approves the alerts held when a protected record was recorded by someone else; the approval is an action tagging them (alerted, may read). On an allegation about an adult who works here, alerts to anyone the allegation rule excludes are declined, with the reason (declined)",
    auth: "bearer",
    record: "write",
    params: ["incidentId"],
    responses: { 201: heldAlertsDecisionSchema, 200: heldAlertsDecisionSchema },
  },
  changeIncident: {
    method: "POST",
    path: "/api/incidents/:incidentId/changes",
    summary:
      'A DSL or deputy changes a record after submission (kind: recategorise, assign, close, reopen, no-further-action) with a reason; the incident itself is never edited. "version" is the number of changes the sender saw: 409 if someone changed it meanwhile',
    auth: "bearer",
    record: "write",
    params: ["incidentId"],
    body: "json",
    responses: { 201: incidentChangedSchema },
  },
  addCaseEntry: {
    method: "POST",
    path: "/api/pupils/:pupilId/case-entries",
    summary:
      "Add to a pupil's chronology an entry that is not a concern (kind: referral, no-referral, meeting, phone-call, disclosure, document); DSLs and deputies only; immutable and audited; a repeat with the same requestId adds nothing. A document (and a meeting's papers) names a file uploaded first to /api/files with the requestId as its submissionId",
    auth: "bearer",
    record: "write",
    params: ["pupilId"],
    body: "json",
    responses: { 201: caseEntryAddedSchema, 200: caseEntryAddedSchema },
  },
  recordReferralOutcome: {
    method: "POST",
    path: "/api/pupils/:pupilId/referrals/:referralId/outcome",
    summary:
      "Record the outcome of a referral, as a further entry (the referral is never edited); stops its overdue alerts; 409 if an outcome is already recorded",
    auth: "bearer",
    record: "write",
    params: ["pupilId", "referralId"],
    body: "json",
    responses: { 201: caseEntryAddedSchema },
  },
  downloadCaseEntryFile: {
    method: "GET",
    path: "/api/pupils/:pupilId/case-entries/:caseEntryId/file",
    summary:
      "The file of a document on a pupil's file, or a meeting's papers; DSLs and deputies only; audited on every download; anyone else is answered as if there were no file",
    auth: "bearer",
    record: "read",
    params: ["pupilId", "caseEntryId"],
    responses: { 200: BINARY },
  },
  getCaseEntryOptions: {
    method: "GET",
    path: "/api/case-entry-options",
    summary: 'The school\'s referral agencies with their expected response in school days, and the meeting types, for the "Add to chronology" forms',
    auth: "bearer",
    responses: { 200: caseEntryOptionsSchema },
  },
  getFormOptions: {
    method: "GET",
    path: "/api/form-options",
    summary: "Categories, staff, groups and locations for the concern form, as the reader may use them",
    auth: "bearer",
    responses: { 200: formOptionsSchema },
  },
  uploadFile: {
    method: "POST",
    path: "/api/files",
    summary: "Keep a file with a form's draft until the concern is submitted; its type is decided from the content",
    auth: "bearer",
    record: "write",
    body: BINARY,
    responses: { 201: uploadedFileSchema },
  },
  listDraftFiles: {
    method: "GET",
    path: "/api/files",
    summary: "The files kept with the caller's own form so far",
    auth: "bearer",
    record: "read",
    responses: { 200: draftFilesSchema },
  },
  downloadFile: {
    method: "GET",
    path: "/api/incidents/:incidentId/files/:fileId",
    summary: "A file of a stored incident, for those who may read the incident; audited",
    auth: "bearer",
    record: "read",
    params: ["incidentId", "fileId"],
    responses: { 200: BINARY },
  },
  listMyConcerns: {
    method: "GET",
    path: "/api/my/concerns",
    summary:
      '"My concerns": what the signed-in member of staff raised, was alerted to or was tagged in, newest first, a page at a time (a page may hold fewer rows than asked; `continuation` leads to the next)',
    auth: "bearer",
    record: "read",
    responses: { 200: myConcernsSchema },
  },
  getPupilAudit: {
    method: "GET",
    path: "/api/pupils/:pupilId/audit",
    summary:
      "A pupil's audit trail, newest first, a page at a time (`continuation` leads to the next): every view, export, write and refused attempt (DSLs with MFA); audited",
    auth: "bearer",
    record: "read",
    params: ["pupilId"],
    responses: { 200: auditTrailSchema },
  },
  exportPupilAudit: {
    method: "GET",
    path: "/api/pupils/:pupilId/audit.csv",
    summary: "A pupil's audit trail as CSV, one row per event (DSLs with MFA); audited as an export",
    auth: "bearer",
    record: "read",
    params: ["pupilId"],
    responses: { 200: CSV },
  },
  getStaffAudit: {
    method: "GET",
    path: "/api/staff/:staffId/audit",
    summary: "What a member of staff did in Keepsafe, newest first, a page at a time (`continuation` leads to the next) (DSLs with MFA); audited",
    auth: "bearer",
    record: "read",
    params: ["staffId"],
    responses: { 200: auditTrailSchema },
  },
  exportStaffAudit: {
    method: "GET",
    path: "/api/staff/:staffId/audit.csv",
    summary: "A member of staff's audit trail as CSV, one row per event (DSLs with MFA); audited as an export",
    auth: "bearer",
    record: "read",
    params: ["staffId"],
    responses: { 200: CSV },
  },
  getIncidentReport: {
    method: "GET",
    path: "/api/reports/incidents",
    summary: "Incidents counted over time or by category, day, session, location, year group, class or pupil group; only records the reader may open",
    auth: "bearer",
    record: "read",
    responses: { 200: incidentReportSchema },
  },
  getIncidentReportCsv: {
    method: "GET",
    path: "/api/reports/incidents.csv",
    summary: "The same report as CSV (text/csv), one row per group and the total",
    auth: "bearer",
    record: "read",
    responses: { 200: BINARY },
  },
  exportChronologyPdf: {
    method: "GET",
    path: "/api/pupils/:pupilId/chronology.pdf",
    summary: "A pupil's chronology as a PDF (application/pdf) for a conference: the period's entries oldest first; DSL and deputies only; audited",
    auth: "bearer",
    record: "read",
    params: ["pupilId"],
    responses: { 200: BINARY },
  },
  markTask: {
    method: "POST",
    path: "/api/incidents/:incidentId/actions/:actionId/status",
    summary:
      "Mark a task done or not done (its owner, its author or a DSL): a new status record on the version the sender saw; a stale version answers 409",
    auth: "bearer",
    record: "write",
    params: ["incidentId", "actionId"],
    body: "json",
    responses: { 201: taskMarkedSchema },
  },
  listMyActions: {
    method: "GET",
    path: "/api/my-actions",
    summary: "The tasks the signed-in member of staff owns, open first (overdue marked), then done",
    auth: "bearer",
    record: "read",
    responses: { 200: myActionsSchema },
  },
  getHome: {
    method: "GET",
    path: "/api/home",
    summary:
      "The landing page's counts for the reader's role, each the length of the list behind it, only records the reader may open (`more` when a count stops at the cap of 500)",
    auth: "bearer",
    record: "read",
    responses: { 200: homeSchema },
  },
  getHomeList: {
    method: "GET",
    path: "/api/home/:list",
    summary:
      "The list behind one of the home page's counts, newest first, a page at a time (a page may hold fewer rows than asked; `continuation` leads to the next)",
    auth: "bearer",
    record: "read",
    params: ["list"],
    responses: { 200: homeListSchema },
  },
  getGovernorsSummary: {
    method: "GET",
    path: "/api/reports/governors-summary",
    summary:
      "The governors' and Ofsted summary for a term or school year: counts and trends only, counts of 1-2 shown as \"fewer than 3\" and others hidden where the total would give one away, a year's counts added up from its terms' (hidden or a range where a term's is hidden), no pupil named",
    auth: "bearer",
    record: "read",
    responses: { 200: governorsSummarySchema },
  },
  exportGovernorsSummaryPdf: {
    method: "GET",
    path: "/api/reports/governors-summary.pdf",
    summary: "The same summary as a PDF (application/pdf), watermarked with who prepared it and when; audited",
    auth: "bearer",
    record: "read",
    responses: { 200: BINARY },
  },
  listSubjectAccessRequests: {
    method: "GET",
    path: "/api/subject-access-requests",
    summary:
      "The school's subject access requests with their deadlines (one calendar month from receipt, three once extended) and packs; the safeguarding team only",
    auth: "bearer",
    record: "read",
    responses: { 200: sarListSchema },
  },
  openSubjectAccessRequest: {
    method: "POST",
    path: "/api/subject-access-requests",
    summary: "A DSL opens a subject access request: who asked, their relationship, the pupil and the day received; audited",
    auth: "bearer",
    record: "write",
    body: "json",
    responses: { 201: sarRequestAnswerSchema },
  },
  extendSubjectAccessRequest: {
    method: "POST",
    path: "/api/subject-access-requests/:requestId/extension",
    summary: "Extends a complex request by two months, once, with a reason; a second extension keeps the first",
    auth: "bearer",
    record: "write",
    params: ["requestId"],
    body: "json",
    responses: { 201: sarRequestAnswerSchema },
  },
  previewSubjectAccessPack: {
    method: "POST",
    path: "/api/subject-access-requests/:requestId/preview",
    summary:
      "The pack built from the pupil's records with its redactions (other pupils' names and initials, staff names, the chosen passages); audited",
    auth: "bearer",
    record: "read",
    params: ["requestId"],
    body: "json",
    responses: { 200: sarPreviewSchema },
  },
  approveSubjectAccessPack: {
    method: "POST",
    path: "/api/subject-access-requests/:requestId/packs",
    summary: "Approves and keeps the pack as it is now: its released text, its redactions and who approved it; audited",
    auth: "bearer",
    record: "write",
    params: ["requestId"],
    body: "json",
    responses: { 201: sarPackApprovedSchema },
  },
  exportSubjectAccessPackPdf: {
    method: "GET",
    path: "/api/subject-access-requests/:requestId/packs/:packId/pdf",
    summary: "An approved pack as a PDF (application/pdf), redacted text removed and replaced by [redacted]; audited",
    auth: "bearer",
    record: "read",
    params: ["requestId", "packId"],
    responses: { 200: BINARY },
  },
  listEarlyWarnings: {
    method: "GET",
    path: "/api/early-warnings",
    summary: "Early-warning firings not yet reviewed: the pupil and the references of the concerns that built up; the DSL and deputies only; audited",
    auth: "bearer",
    record: "read",
    responses: { 200: earlyWarningListSchema },
  },
  reviewEarlyWarning: {
    method: "POST",
    path: "/api/pupils/:pupilId/early-warnings/:firingId/review",
    summary: "A DSL marks an early-warning firing reviewed with a note; a second review keeps the first; audited",
    auth: "bearer",
    record: "write",
    params: ["pupilId", "firingId"],
    body: "json",
    responses: { 201: earlyWarningReviewedSchema, 200: earlyWarningReviewedSchema },
  },
});

export type Routes = typeof routes;
export type RouteId = keyof Routes;
export const ROUTE_LIST: readonly RouteDef[] = Object.values(routes);

/** The concrete path of a route, its `:name` parts filled in (and encoded). */
export function pathOf(route: Pick<RouteDef, "path">, params: Record<string, string> = {}): string {
  return route.path.replace(/:([A-Za-z]+)/g, (_, name: string) => {
    const value = params[name];
    if (value === undefined) throw new Error(`The path ${route.path} needs ${name}.`);
    return encodeURIComponent(value);
  });
}
