/**
 * The REST API behind the Keepsafe tab. Each route is an entry of the contract (src/contract/routes.ts),
 * mounted by contract-routes.ts, which authenticates, parses the input with the route's schemas and
 * maps errors; the handlers here only call the service (which applies the policy).
 */
import type { Server, Request, Response } from "restify";
import type { TokenValidator, ValidatedClaims } from "../ports/token-validator.js";
import type { KeepsafeService } from "../app/keepsafe-service.js";
import { routes, type RouteId } from "../contract/routes.js";
import { openApiDocument } from "../contract/openapi.js";
import { answerWith, FileAnswer, mountRoute, send, type ContractRouteDeps } from "./contract-routes.js";
import { childLogger } from "../logger.js";
import { reportCsv } from "../app/report-csv.js";

const log = childLogger("tab-api");

export interface TabApiDeps {
  service: KeepsafeService;
  tokens: TokenValidator;
  mfaPassed: (claims: ValidatedClaims) => boolean;
  mfaChallenge: () => string;
  /** Reports whether the record store answers, for /healthz. */
  storeHealthy: () => Promise<boolean>;
  /** Check every answer against the contract (local mode and tests). */
  checkResponses?: boolean;
}

export function registerTabApi(server: Server, deps: TabApiDeps): void {
  const routeDeps: ContractRouteDeps = { ...deps, resolveActor: (id, opts) => deps.service.resolveActor(id, opts) };
  const mount = <K extends RouteId>(id: K, handler: Parameters<typeof mountRoute<K>>[3]) => mountRoute<K>(server, routes[id], routeDeps, handler);

  // Unauthenticated: a load balancer's probe and the API's own description.
  server.get(routes.health.path, async (_req: Request, res: Response) => {
    const store = await deps.storeHealthy().catch(() => false);
    send(res, store ? 200 : 503, { status: store ? "ok" : "degraded", store: store ? "ok" : "unavailable" });
  });
  server.get("/api/openapi.json", async (_req: Request, res: Response) => {
    send(res, 200, openApiDocument());
  });

  mount("getMe", (actor) => deps.service.me(actor));
  mount("searchPupils", async (actor, { query }) => ({ pupils: await deps.service.searchPupils(actor, query.query) }));
  mount("getChronology", (actor, { params, query }) => deps.service.getChronology(actor, params.pupilId, query));
  mount("getIncident", (actor, { params }) => deps.service.getIncidentView(actor, params.incidentId));
  mount("acknowledgeAlert", async (actor, { params }) => {
    const alert = await deps.service.acknowledgeAlert(actor, params.incidentId);
    return { alert: { staffId: alert.staffId, acknowledgedAt: alert.acknowledgedAt! } };
  });
  mount("getFormOptions", (actor) => deps.service.formOptions(actor));
  mount("listMyConcerns", (actor, { query }) => deps.service.listMyConcerns(actor, query));
  mount("listMyActions", (actor) => deps.service.listMyActions(actor));
  mount("getHome", (actor) => deps.service.home(actor));
  mount("getHomeList", (actor, { params, query }) => deps.service.homeList(actor, params.list, query));
  mount("markTask", async (actor, { params, body }) =>
    answerWith<"markTask">(201, await deps.service.markTask(actor, params.incidentId, params.actionId, body)),
  );
  mount("getPupilAudit", (actor, { params, query }) => deps.service.viewAuditTrail(actor, { kind: "pupil", pupilId: params.pupilId }, "json", query));
  mount("exportPupilAudit", (actor, { params }) => deps.service.viewAuditTrail(actor, { kind: "pupil", pupilId: params.pupilId }, "csv"));
  mount("getStaffAudit", (actor, { params, query }) => deps.service.viewAuditTrail(actor, { kind: "staff", staffId: params.staffId }, "json", query));
  mount("exportStaffAudit", (actor, { params }) => deps.service.viewAuditTrail(actor, { kind: "staff", staffId: params.staffId }, "csv"));
  mount("getIncidentReport", (actor, { query }) => deps.service.incidentReport(actor, query));
  mount("exportChronologyPdf", async (actor, { params, query }) => {
    const { pdf, filename } = await deps.service.exportChronologyPdf(actor, params.pupilId, query);
    log.info({ event: "chronology.exported", pupilId: params.pupilId, staffId: actor.staffId }, "chronology exported as PDF");
    return new FileAnswer("application/pdf", filename, pdf);
  });
  mount("getIncidentReportCsv", async (actor, { query }) => {
    const report = await deps.service.incidentReport(actor, query, "csv");
    log.info({ event: "report.csv", groupBy: query.groupBy, staffId: actor.staffId }, "report downloaded as CSV");
    return new FileAnswer("text/csv; charset=utf-8", `incidents-by-${query.groupBy}-${query.from}-to-${query.to}.csv`, reportCsv(report));
  });

  mount("getGovernorsSummary", (actor, { query }) => deps.service.governorsSummary(actor, query));
  mount("exportGovernorsSummaryPdf", async (actor, { query }) => {
    const { pdf, filename } = await deps.service.governorsSummaryPdf(actor, query);
    log.info({ event: "summary.exported", period: query.period, staffId: actor.staffId }, "governors' summary exported as PDF");
    return new FileAnswer("application/pdf", filename, pdf);
  });

  // Subject access requests (src/app/subject-access-requests.ts).
  mount("listEarlyWarnings", (actor) => deps.service.listEarlyWarnings(actor));
  mount("reviewEarlyWarning", async (actor, { params, body }) => {
    const r = await deps.service.reviewEarlyWarning(actor, params.pupilId, params.firingId, body.note);
    return answerWith<"reviewEarlyWarning">(r.created ? 201 : 200, r);
  });
  mount("listSubjectAccessRequests", (actor) => deps.service.subjectAccess.list(actor));
  mount("openSubjectAccessRequest", async (actor, { body }) =>
    answerWith<"openSubjectAccessRequest">(201, await deps.service.subjectAccess.open(actor, body)),
  );
  mount("extendSubjectAccessRequest", async (actor, { params, body }) =>
    answerWith<"extendSubjectAccessRequest">(201, await deps.service.subjectAccess.extend(actor, params.requestId, body.reason)),
  );
  mount("previewSubjectAccessPack", (actor, { params, body }) => deps.service.subjectAccess.preview(actor, params.requestId, body));
  mount("approveSubjectAccessPack", async (actor, { params, body }) =>
    answerWith<"approveSubjectAccessPack">(201, await deps.service.subjectAccess.approve(actor, params.requestId, body)),
  );
  mount("exportSubjectAccessPackPdf", async (actor, { params }) => {
    const { pdf, filename } = await deps.service.subjectAccess.exportPdf(actor, params.requestId, params.packId);
    log.info(
      { event: "subject-access.exported", requestId: params.requestId, packId: params.packId, staffId: actor.staffId },
      "subject access pack exported as PDF",
    );
    return new FileAnswer("application/pdf", filename, pdf);
  });

  // "Add action": a follow-up, outcome or correction; a repeat with the same requestId adds nothing.
  mount("approvePendingTags", async (actor, { params }) => {
    const { action, created } = await deps.service.approvePendingTags(actor, { incidentId: params.incidentId, actionId: params.actionId });
    return answerWith<"approvePendingTags">(created ? 201 : 200, { action });
  });
  mount("approveHeldAlerts", async (actor, { params }) => {
    const { created, ...decision } = await deps.service.approveHeldAlerts(actor, params.incidentId);
    return answerWith<"approveHeldAlerts">(created ? 201 : 200, decision);
  });
  mount("addAction", async (actor, { params, body }) => {
    const { action, created } = await deps.service.addAction(actor, { ...body, incidentId: params.incidentId });
    log.info(
      { event: created ? "action.added" : "action.replayed", incidentId: params.incidentId, actionId: action.id, staffId: actor.staffId },
      "action from the tab",
    );
    return answerWith<"addAction">(created ? 201 : 200, { action });
  });

  // A DSL's change to a record after submission: re-categorise, assign, close, reopen, no further action.
  mount("changeIncident", async (actor, { params, body }) => {
    const changed = await deps.service.changeIncident(actor, params.incidentId, body);
    log.info(
      { event: "incident.changed", kind: changed.change.kind, incidentId: params.incidentId, version: changed.version, staffId: actor.staffId },
      "record changed from the tab",
    );
    return answerWith<"changeIncident">(201, changed);
  });

  // "Add to chronology": referrals, decisions not to refer, meetings, calls, disclosures; and a referral's outcome.
  mount("addCaseEntry", async (actor, { params, body }) => {
    const { entry, created } = await deps.service.addCaseEntry(actor, params.pupilId, body);
    log.info(
      {
        event: created ? "case-entry.added" : "case-entry.replayed",
        kind: entry.kind,
        pupilId: params.pupilId,
        caseEntryId: entry.id,
        staffId: actor.staffId,
      },
      "chronology entry from the tab",
    );
    return answerWith<"addCaseEntry">(created ? 201 : 200, { entry });
  });
  mount("recordReferralOutcome", async (actor, { params, body }) =>
    answerWith<"recordReferralOutcome">(201, {
      entry: (await deps.service.recordReferralOutcome(actor, params.pupilId, params.referralId, body)).entry,
    }),
  );
  mount("getCaseEntryOptions", (actor) => deps.service.caseEntryOptions(actor));
  // A document on the pupil's file (or a meeting's papers): the team's alone, audited on every download.
  mount("downloadCaseEntryFile", async (actor, { params }) => {
    const { file, content } = await deps.service.downloadCaseEntryFile(actor, params.pupilId, params.caseEntryId);
    log.info({ event: "file.downloaded", caseEntryId: params.caseEntryId, fileId: file.fileId, staffId: actor.staffId }, "document sent");
    return new FileAnswer(file.contentType, file.name, content);
  });

  // The tab's "Record a concern" form: the same command, checks and answers as the bot's card.
  mount("recordIncident", async (actor, { body }) => {
    const { incident, created } = await deps.service.recordTabConcern(actor, body);
    log.info({ event: created ? "incident.recorded" : "incident.replayed", source: "tab", staffId: actor.staffId }, "concern from the tab");
    return answerWith<"recordIncident">(created ? 201 : 200, { incident: { id: incident.id, reference: incident.reference } });
  });
}
