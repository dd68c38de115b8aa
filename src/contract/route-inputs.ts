/**
 * What each route of the tab API accepts: its path parameters, query and body, by the route's id in
 * routes.ts. The server parses every request with these before anything reads it; the OpenAPI
 * document describes them. `satisfies` makes a route without an entry here fail to compile.
 * Strict objects: a key the contract does not name (`__proto__` among them) is refused.
 */
import { z } from "zod";
import type { RouteId } from "./routes.js";
import { LIMITS } from "../domain/limits.js";
import {
  addActionBodySchema,
  changeIncidentBodySchema,
  chronologyExportQuerySchema,
  chronologyQuerySchema,
  fileListQuerySchema,
  fileUploadQuerySchema,
  idParamSchema,
  incidentReportQuerySchema,
  pupilSearchQuerySchema,
  tabRecordIncidentBodySchema,
  taskStatusBodySchema,
  homeListParamsSchema,
  listPageQuerySchema,
} from "./requests.js";
import { addCaseEntryBodySchema, referralOutcomeBodySchema } from "./case-entry-requests.js";
import {
  extendSubjectAccessBodySchema,
  governorsSummaryQuerySchema,
  openSubjectAccessBodySchema,
  subjectAccessPassagesBodySchema,
} from "./subject-access-inputs.js";

export interface RouteInputs {
  params?: z.ZodObject;
  query?: z.ZodObject;
  body?: z.ZodType;
}

const ids = <K extends string>(...names: K[]) =>
  z.strictObject(Object.fromEntries(names.map((n) => [n, idParamSchema])) as Record<K, typeof idParamSchema>);
const none = z.strictObject({});

export const routeInputs = {
  health: {},
  getMe: { query: none },
  searchPupils: { query: pupilSearchQuerySchema },
  getChronology: { params: ids("pupilId"), query: chronologyQuerySchema },
  recordIncident: { query: none, body: tabRecordIncidentBodySchema },
  getIncident: { params: ids("incidentId"), query: none },
  // "Mark as read" carries nothing; a body, if sent, must be empty.
  acknowledgeAlert: { params: ids("incidentId"), query: none, body: z.strictObject({}).optional() },
  addAction: { params: ids("incidentId"), query: none, body: addActionBodySchema },
  approvePendingTags: { params: ids("incidentId", "actionId"), query: none, body: z.strictObject({}).optional() },
  approveHeldAlerts: { params: ids("incidentId"), query: none, body: z.strictObject({}).optional() },
  changeIncident: { params: ids("incidentId"), query: none, body: changeIncidentBodySchema },
  addCaseEntry: { params: ids("pupilId"), query: none, body: addCaseEntryBodySchema },
  recordReferralOutcome: { params: ids("pupilId", "referralId"), query: none, body: referralOutcomeBodySchema },
  downloadCaseEntryFile: { params: ids("pupilId", "caseEntryId"), query: none },
  getCaseEntryOptions: { query: none },
  getFormOptions: { query: none },
  uploadFile: { query: fileUploadQuerySchema },
  listDraftFiles: { query: fileListQuerySchema },
  downloadFile: { params: ids("incidentId", "fileId"), query: none },
  listMyConcerns: { query: listPageQuerySchema },
  getPupilAudit: { params: ids("pupilId"), query: listPageQuerySchema },
  exportPupilAudit: { params: ids("pupilId"), query: none },
  getStaffAudit: { params: ids("staffId"), query: listPageQuerySchema },
  exportStaffAudit: { params: ids("staffId"), query: none },
  getIncidentReport: { query: incidentReportQuerySchema },
  getIncidentReportCsv: { query: incidentReportQuerySchema },
  exportChronologyPdf: { params: ids("pupilId"), query: chronologyExportQuerySchema },
  markTask: { params: ids("incidentId", "actionId"), query: none, body: taskStatusBodySchema },
  listMyActions: { query: none },
  getHome: { query: none },
  getHomeList: { params: homeListParamsSchema, query: listPageQuerySchema },
  getGovernorsSummary: { query: governorsSummaryQuerySchema },
  exportGovernorsSummaryPdf: { query: governorsSummaryQuerySchema },
  listSubjectAccessRequests: { query: none },
  openSubjectAccessRequest: { query: none, body: openSubjectAccessBodySchema },
  extendSubjectAccessRequest: { params: ids("requestId"), query: none, body: extendSubjectAccessBodySchema },
  previewSubjectAccessPack: { params: ids("requestId"), query: none, body: subjectAccessPassagesBodySchema },
  approveSubjectAccessPack: { params: ids("requestId"), query: none, body: subjectAccessPassagesBodySchema },
  exportSubjectAccessPackPdf: { params: ids("requestId", "packId"), query: none },
  listEarlyWarnings: { query: none },
  reviewEarlyWarning: {
    params: ids("pupilId", "firingId"),
    query: none,
    body: z.strictObject({
      note: z
        .string()
        .trim()
        .min(1, "Say what was reviewed.")
        .max(LIMITS.earlyWarningNoteMaxLength, `Keep the note to ${LIMITS.earlyWarningNoteMaxLength} characters.`),
    }),
  },
} satisfies Record<RouteId, RouteInputs>;
