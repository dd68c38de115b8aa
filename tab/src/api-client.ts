// Typed client for Keepsafe's tab API. Every call carries the Teams SSO token
// as a bearer token and every response is checked against its zod schema.
import type * as z from "zod/mini";
import { CSV, pathOf, routes, type RouteDef } from "../../src/contract/routes.js";
import type { AddActionBody, ChangeIncidentBody, HomeListId, RecordIncidentBody, TaskStatusBody } from "../../src/contract/requests.js";
import type { HomeList, HomeView, MyActions } from "../../src/contract/task-views.js";
import {
  errorBodySchema,
  type Acknowledged,
  type ActionView,
  type AuditTrail,
  type MyConcerns,
  type ChronologyView,
  type DraftFiles,
  type FormOptions,
  type IncidentView,
  type MeView,
  type PupilSearch,
  type IncidentReport,
  type Recorded,
  type UploadedFile,
} from "../../src/contract/views.js";
import type { CaseEntryAdded, CaseEntryOptions } from "../../src/contract/views.js";
import type { AddCaseEntryBody, ReferralOutcomeBody } from "../../src/contract/case-entry-requests.js";
import type { OpenSubjectAccessBody } from "../../src/contract/subject-access-inputs.js";
import { parseBearerChallenge, type BearerChallenge } from "./www-authenticate.js";

/** Supplies the bearer token; `refresh` asks for a new one because the API refused `rejected`. */
export type TokenSource = (options?: { refresh?: boolean; rejected?: string }) => Promise<string>;

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields: { field: string; message: string }[] = [],
  ) {
    super(message);
    this.name = "ApiError";
  }
}

/** The API wants a second sign-in step (MFA) before it shows records. */
export class StepUpRequiredError extends ApiError {
  constructor(readonly challenge: BearerChallenge) {
    super(401, "insufficient_claims", "Your role needs a second sign-in step (MFA) to see records");
    this.name = "StepUpRequiredError";
  }
}

export interface ApiClientOptions {
  getToken: TokenSource;
  /** Where /api lives; defaults to this page's origin. */
  baseUrl?: string;
  fetch?: typeof fetch;
  /** The longest Retry-After (seconds) the client waits out before trying a throttled call once more. */
  maxRetryAfterSeconds?: number;
}

/** Waiting longer than this would look like a hung page: the view says "too many requests" instead. */
const MAX_RETRY_AFTER_SECONDS = 10;

export class ApiClient {
  private readonly getToken: TokenSource;
  private readonly baseUrl: string;
  private readonly fetchImpl: typeof fetch;
  private readonly maxRetryAfterSeconds: number;

  constructor(options: ApiClientOptions) {
    this.getToken = options.getToken;
    this.baseUrl = options.baseUrl ?? "";
    this.maxRetryAfterSeconds = options.maxRetryAfterSeconds ?? MAX_RETRY_AFTER_SECONDS;
    // Bound so that calling it detached does not lose `window`.
    this.fetchImpl = options.fetch ?? globalThis.fetch.bind(globalThis);
  }

  me(signal?: AbortSignal): Promise<MeView> {
    return this.call(routes.getMe, {}, signal);
  }

  searchPupils(query: string, signal?: AbortSignal): Promise<PupilSearch> {
    return this.call(routes.searchPupils, { query: { query } }, signal);
  }

  /** A page of the chronology; `continuation` (opaque, from the previous page) asks for the next. */
  chronology(
    pupilId: string,
    signal?: AbortSignal,
    page: { continuation?: string; pageSize?: number; filters?: Record<string, string> } = {},
  ): Promise<ChronologyView> {
    const query: Record<string, string> = { ...page.filters };
    if (page.continuation !== undefined) query.continuation = page.continuation;
    if (page.pageSize !== undefined) query.pageSize = String(page.pageSize);
    return this.call(routes.getChronology, { params: { pupilId }, query }, signal);
  }

  incident(incidentId: string, signal?: AbortSignal): Promise<IncidentView> {
    return this.call(routes.getIncident, { params: { incidentId } }, signal);
  }

  acknowledge(incidentId: string): Promise<Acknowledged> {
    return this.call(routes.acknowledgeAlert, { params: { incidentId } });
  }

  /** Adds an action; a 400 comes back as an ApiError whose `fields` say which inputs to fix. */
  /** A DSL approves the tags kept pending on an action of a protected record. */
  async approvePendingTags(incidentId: string, actionId: string): Promise<ActionView> {
    const { action } = await this.call(routes.approvePendingTags, { params: { incidentId, actionId } });
    return action;
  }
  /** The approval's action, and on an allegation the alerts it declined and why. */
  approveHeldAlerts(incidentId: string) {
    return this.call(routes.approveHeldAlerts, { params: { incidentId } });
  }

  async addAction(incidentId: string, input: AddActionBody): Promise<ActionView> {
    const { action } = await this.call(routes.addAction, { params: { incidentId }, body: input });
    return action;
  }

  /** Marks a task done or not done on the version shown; a 409 means someone marked it meanwhile. */
  async markTask(incidentId: string, actionId: string, input: TaskStatusBody): Promise<ActionView> {
    const { action } = await this.call(routes.markTask, { params: { incidentId, actionId }, body: input });
    return action;
  }

  /** "My actions": the tasks the signed-in member of staff owns, open first. */
  myActions(signal?: AbortSignal): Promise<MyActions> {
    return this.call(routes.listMyActions, {}, signal);
  }

  /** The landing page's counts for the reader's role. */
  home(signal?: AbortSignal): Promise<HomeView> {
    return this.call(routes.getHome, {}, signal);
  }

  /** The list behind one of the home page's counts. */
  homeList(list: HomeListId, signal?: AbortSignal, continuation?: string): Promise<HomeList> {
    return this.call(routes.getHomeList, { params: { list }, query: pageQuery(continuation) }, signal);
  }

  /** "My concerns": what the signed-in member of staff raised, was alerted to or was tagged in. */
  /** A page of it: the first, or the next when given the `continuation` of the page before. */
  myConcerns(signal?: AbortSignal, continuation?: string): Promise<MyConcerns> {
    return this.call(routes.listMyConcerns, { query: pageQuery(continuation) }, signal);
  }

  pupilAudit(pupilId: string, signal?: AbortSignal, continuation?: string): Promise<AuditTrail> {
    return this.call(routes.getPupilAudit, { params: { pupilId }, query: pageQuery(continuation) }, signal);
  }

  staffAudit(staffId: string, signal?: AbortSignal, continuation?: string): Promise<AuditTrail> {
    return this.call(routes.getStaffAudit, { params: { staffId }, query: pageQuery(continuation) }, signal);
  }

  /** The CSV text of a pupil's or a member of staff's audit trail, to save as a file. */
  exportAudit(subject: { pupilId: string } | { staffId: string }): Promise<string> {
    return "pupilId" in subject
      ? this.call(routes.exportPupilAudit, { params: { pupilId: subject.pupilId } })
      : this.call(routes.exportStaffAudit, { params: { staffId: subject.staffId } });
  }

  /**
   * A DSL's change to a record (re-categorise, assign, close, reopen, no further action). A 409
   * comes back as an ApiError: someone changed the record since `version`; reload and try again.
   */
  changeIncident(incidentId: string, input: ChangeIncidentBody) {
    return this.call(routes.changeIncident, { params: { incidentId }, body: input });
  }

  /** "Add to chronology": a referral, decision not to refer, meeting, call or disclosure (DSLs and deputies). */
  addCaseEntry(pupilId: string, input: AddCaseEntryBody): Promise<CaseEntryAdded> {
    return this.call(routes.addCaseEntry, { params: { pupilId }, body: input });
  }

  /** A referral's outcome; a 409 comes back as an ApiError when someone recorded one first. */
  recordReferralOutcome(pupilId: string, referralId: string, input: ReferralOutcomeBody): Promise<CaseEntryAdded> {
    return this.call(routes.recordReferralOutcome, { params: { pupilId, referralId }, body: input });
  }

  caseEntryOptions(signal?: AbortSignal): Promise<CaseEntryOptions> {
    return this.call(routes.getCaseEntryOptions, {}, signal);
  }

  formOptions(signal?: AbortSignal): Promise<FormOptions> {
    return this.call(routes.getFormOptions, {}, signal);
  }

  /** Records a concern; a 400 comes back as an ApiError whose `fields` say which inputs to fix. */
  recordIncident(input: RecordIncidentBody): Promise<Recorded> {
    return this.call(routes.recordIncident, { body: input });
  }

  /** Keeps a file with the form's draft until the concern is submitted. */
  uploadFile(submissionId: string, file: Blob, name: string): Promise<UploadedFile> {
    return this.call(routes.uploadFile, { query: { submissionId, name }, file });
  }

  /** The files already kept with the caller's own form (a dialog opened again shows them). */
  draftFiles(submissionId: string, signal?: AbortSignal): Promise<DraftFiles> {
    return this.call(routes.listDraftFiles, { query: { submissionId } }, signal);
  }

  /** A report over the records the reader may open; the filters are the page's URL query, as strings. */
  incidentReport(query: ReportQuery, signal?: AbortSignal): Promise<IncidentReport> {
    return this.call(routes.getIncidentReport, { query }, signal);
  }

  /** The same report as a CSV file, fetched with the bearer token (a plain link could not carry it). */
  incidentReportCsv(query: ReportQuery): Promise<Blob> {
    return this.fetchFile(pathOf(routes.getIncidentReportCsv) + queryString(query));
  }

  /** A pupil's chronology as a PDF (DSL and deputies), for the period and categories chosen. */
  async chronologyPdf(pupilId: string, query: Record<string, string>): Promise<Blob> {
    return this.fetchFile(pathOf(routes.exportChronologyPdf, { pupilId }) + queryString(query));
  }

  /** The governors' and Ofsted summary for the term or school year holding `date`. */
  governorsSummary(query: { period: "term" | "schoolYear"; date: string }, signal?: AbortSignal) {
    return this.call(routes.getGovernorsSummary, { query }, signal);
  }

  governorsSummaryPdf(query: { period: "term" | "schoolYear"; date: string }): Promise<Blob> {
    return this.fetchFile(pathOf(routes.exportGovernorsSummaryPdf) + queryString(query));
  }

  /** The school's subject access requests, with deadlines and packs (the safeguarding team). */
  subjectAccessRequests(signal?: AbortSignal) {
    return this.call(routes.listSubjectAccessRequests, {}, signal);
  }

  openSubjectAccessRequest(body: OpenSubjectAccessBody) {
    return this.call(routes.openSubjectAccessRequest, { body });
  }

  earlyWarnings(signal?: AbortSignal) {
    return this.call(routes.listEarlyWarnings, {}, signal);
  }

  reviewEarlyWarning(pupilId: string, firingId: string, note: string) {
    return this.call(routes.reviewEarlyWarning, { params: { pupilId, firingId }, body: { note } });
  }

  extendSubjectAccessRequest(requestId: string, reason: string) {
    return this.call(routes.extendSubjectAccessRequest, { params: { requestId }, body: { reason } });
  }

  /**
   * The pack with its redactions; `passages` are the stretches of text the DSL chose to leave out,
   * `excludedEntries` the ids of the case entries they left out whole.
   */
  previewSubjectAccessPack(
    requestId: string,
    passages: { blockId: string; start: number; end: number }[],
    excludedEntries: string[] = [],
    signal?: AbortSignal,
  ) {
    return this.call(routes.previewSubjectAccessPack, { params: { requestId }, body: { passages, excludedEntries } }, signal);
  }

  approveSubjectAccessPack(requestId: string, passages: { blockId: string; start: number; end: number }[], excludedEntries: string[] = []) {
    return this.call(routes.approveSubjectAccessPack, { params: { requestId }, body: { passages, excludedEntries } });
  }

  /** An approved pack as a PDF, fetched with the bearer token. */
  subjectAccessPackPdf(requestId: string, packId: string): Promise<Blob> {
    return this.fetchFile(pathOf(routes.exportSubjectAccessPackPdf, { requestId, packId }));
  }

  /** A file a route answers (BINARY in the contract), fetched with the token; a refusal is an ApiError. */
  private async fetchFile(path: string): Promise<Blob> {
    const response = await this.authorised("GET", path, undefined, undefined);
    if (!response.ok) throw toApiError(response.status, await response.json().catch(() => undefined));
    return response.blob();
  }

  /** A document on a pupil's file (or a meeting's papers), fetched with the bearer token. */
  caseEntryFile(pupilId: string, caseEntryId: string): Promise<Blob> {
    return this.fetchFile(pathOf(routes.downloadCaseEntryFile, { pupilId, caseEntryId }));
  }

  /** A stored incident's file, fetched with the bearer token (a plain link could not carry it). */
  async downloadFile(downloadUrl: string): Promise<Blob> {
    if (!downloadUrl.startsWith("/api/incidents/")) throw new ApiError(400, "bad_link", "This is not a Keepsafe file link.");
    return this.fetchFile(downloadUrl);
  }

  /**
   * Calls a route of the contract and parses the answer with the route's own schema for the status
   * that came back, so a server change the tab does not understand is one clear error.
   */
  private async call<R extends RouteDef>(route: R, input: CallInput, signal?: AbortSignal): Promise<SuccessOf<R>> {
    const query = input.query ? queryString(input.query) : "";
    const payload: Payload | undefined = input.file
      ? { body: input.file, contentType: "application/octet-stream" }
      : input.body !== undefined
        ? { body: JSON.stringify(input.body), contentType: "application/json" }
        : undefined;
    const response = await this.authorised(route.method, pathOf(route, input.params) + query, signal, payload);
    if (response.ok && route.responses[response.status as 200 | 201] === CSV) {
      if (!/^text\/csv\b/.test(response.headers.get("Content-Type") ?? "")) {
        throw new ApiError(response.status, "bad_response", "Keepsafe's server sent an answer this page does not understand.");
      }
      return (await response.text()) as SuccessOf<R>;
    }
    const body: unknown = await response.json().catch(() => undefined);
    if (!response.ok) throw toApiError(response.status, body);
    const schema = route.responses[response.status as 200 | 201];
    const parsed = schema && schema !== "binary" && schema !== CSV ? (schema as z.ZodMiniType).safeParse(body) : undefined;
    if (!parsed?.success) {
      throw new ApiError(response.status, "bad_response", "Keepsafe's server sent an answer this page does not understand.");
    }
    return parsed.data as SuccessOf<R>;
  }

  /** Sends with the token; on a 401 asks for MFA or a fresh token and tries once more. */
  private async authorised(method: string, path: string, signal: AbortSignal | undefined, payload: Payload | undefined): Promise<Response> {
    const token = await this.getToken();
    let response = await this.send(method, path, token, signal, payload);
    if (response.status === 401) {
      const challenge = parseBearerChallenge(response.headers.get("WWW-Authenticate"));
      if (challenge?.error === "insufficient_claims") throw new StepUpRequiredError(challenge);
      // Most 401s are an expired token: ask Teams for a fresh one and try once more.
      response = await this.send(method, path, await this.getToken({ refresh: true, rejected: token }), signal, payload);
      if (response.status === 401) {
        const again = parseBearerChallenge(response.headers.get("WWW-Authenticate"));
        if (again?.error === "insufficient_claims") throw new StepUpRequiredError(again);
      }
    }
    return response;
  }

  /**
   * One call; a 429 whose Retry-After is short is waited out and tried once more. Keepsafe's limiter
   * refuses before it reads anything, so sending again never repeats a change.
   */
  private async send(method: string, path: string, token: string, signal?: AbortSignal, payload?: Payload): Promise<Response> {
    const response = await this.sendOnce(method, path, token, signal, payload);
    if (response.status !== 429) return response;
    const wait = retryAfterSeconds(response.headers.get("Retry-After"));
    if (wait === undefined || wait > this.maxRetryAfterSeconds) return response;
    await response.body?.cancel();
    await sleep(wait * 1000, signal);
    return this.sendOnce(method, path, token, signal, payload);
  }

  private sendOnce(method: string, path: string, token: string, signal?: AbortSignal, payload?: Payload): Promise<Response> {
    return this.fetchImpl(this.baseUrl + path, {
      method,
      signal,
      body: payload?.body,
      headers: {
        Authorization: `Bearer ${token}`,
        Accept: "application/json",
        ...(payload ? { "Content-Type": payload.contentType } : {}),
      },
      // Records must not linger in the browser's HTTP cache on a shared machine.
      cache: "no-store",
      credentials: "omit",
    });
  }
}

/** A report's filters as the route's query: from, to, groupBy and comma-separated lists. */
export type ReportQuery = Record<string, string>;

/** The query of a paged list: the continuation when asking for a page after the first. */
const pageQuery = (continuation?: string): Record<string, string> => (continuation !== undefined ? { continuation } : {});

const queryString = (query: Record<string, string>) =>
  `?${Object.entries(query)
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)
    .join("&")}`;

interface Payload {
  body: string | Blob;
  contentType: string;
}
interface CallInput {
  params?: Record<string, string>;
  query?: Record<string, string>;
  body?: unknown;
  file?: Blob;
}
/** What a route answers on success (its 200 or 201 schema's output). */
type SuccessOf<R extends RouteDef> =
  R["responses"] extends Partial<Record<200 | 201, infer S>>
    ? S extends z.ZodMiniType
      ? z.output<S>
      : S extends typeof CSV
        ? string
        : never
    : never;

/** Retry-After as seconds (RFC 9110: a number of seconds or an HTTP date); undefined when unreadable. */
function retryAfterSeconds(header: string | null): number | undefined {
  if (!header) return undefined;
  if (/^\d+$/.test(header.trim())) return Number(header.trim());
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - Date.now()) / 1000));
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      "abort",
      () => {
        clearTimeout(timer);
        reject(signal.reason);
      },
      { once: true },
    );
  });
}

function toApiError(status: number, body: unknown): ApiError {
  const parsed = errorBodySchema.safeParse(body);
  if (parsed.success) {
    const { code, message, fields } = parsed.data.error;
    return new ApiError(status, code, message, fields);
  }
  return new ApiError(status, `http_${status}`, `Keepsafe's server answered ${status}.`);
}
