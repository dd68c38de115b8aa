/**
 * A local stand-in for the Microsoft Graph calls Keepsafe makes (activity-feed notification,
 * sendMail, and the directory reads of the role directory sync in directory-routes.ts). It answers with Graph's statuses and error shapes, so the real Graph client and the
 * notifier run unchanged against it, and it can fail on purpose (429/503) to exercise the outbox.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { z } from "zod";
import { childLogger } from "../../logger.js";
import { BodyTooLargeError, readBodyText } from "../read-body.js";
import { activityNotificationBody, describeProblem, sendMailBody } from "./graph-request-schemas.js";
import { alertIdOf, RequestJournal, type RecordedGraphRequest } from "./recorded-request.js";
import { renderSandboxPage } from "./sandbox-page.js";
import { DEFAULT_PAGE_SIZE, directoryAnswer, isDirectoryPath, type SandboxDirectory } from "./directory-routes.js";
import { directoryAssignmentSchema, type DirectoryAssignment } from "../identity-provider/directory.js";

export type { RecordedGraphRequest } from "./recorded-request.js";

export interface GraphFault {
  status: 429 | 503;
  count: number;
  retryAfterSeconds?: number;
}

export interface GraphSandboxOptions {
  port?: number;
  dataDir?: string;
  /** Checks the bearer token; without it any non-empty token is accepted. */
  validateToken?: (token: string) => Promise<boolean>;
  /** The local directory (shared with the identity provider) that the directory reads answer from. */
  directory?: SandboxDirectory;
}

export interface GraphSandbox {
  /** Give this to the Graph client as GRAPH_BASE_URL: http://127.0.0.1:PORT/v1.0 */
  baseUrl: string;
  pageUrl: string;
  requests(): RecordedGraphRequest[];
  injectFaults(f: GraphFault): void;
  /** As an Entra admin changing a user's app role assignments and groups (also POST /_sandbox/directory/assignments). */
  assignDirectory(a: DirectoryAssignment): void;
  /** The largest page a directory collection answers with (also POST /_sandbox/directory/paging). */
  setDirectoryPageSize(size: number): void;
  stop(): Promise<void>;
}

const log = childLogger("graph-sandbox");
const MAX_BODY_BYTES = 1024 * 1024;

const faultSchema = z.object({
  status: z.union([z.literal(429), z.literal(503)]),
  count: z.number().int().min(1).max(1000),
  retryAfterSeconds: z.number().int().min(0).max(3600).optional(),
});

const ACTIVITY_PATH = /^\/v1\.0\/users\/([^/]+)\/teamwork\/sendActivityNotification$/;
const MAIL_PATH = /^\/v1\.0\/users\/([^/]+)\/sendMail$/;

const pageSizeSchema = z.object({ pageSize: z.number().int().min(1).max(999) });

const readBody = (req: IncomingMessage): Promise<string> => readBodyText(req, MAX_BODY_BYTES);

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  res.writeHead(status, { "content-type": "application/json", ...headers });
  res.end(JSON.stringify(body));
}

/** Graph's error envelope, with the request-id inner error real responses carry. */
function graphError(res: ServerResponse, status: number, code: string, message: string, headers: Record<string, string> = {}) {
  sendJson(res, status, { error: { code, message, innerError: { date: new Date().toISOString(), "request-id": crypto.randomUUID() } } }, headers);
}

export async function startGraphSandbox(opts: GraphSandboxOptions = {}): Promise<GraphSandbox> {
  const journal = new RequestJournal(opts.dataDir);
  const recorded: RecordedGraphRequest[] = await journal.load();
  let seq = recorded.reduce((max, r) => Math.max(max, r.seq), 0);
  let fault: (GraphFault & { remaining: number }) | undefined;
  let pageSize = DEFAULT_PAGE_SIZE;
  const assignDirectory = (a: DirectoryAssignment) => {
    if (!opts.directory) throw new Error("this sandbox has no directory");
    opts.directory.local.assign(a);
  };

  const injectFaults = (f: GraphFault) => {
    fault = { ...faultSchema.parse(f), remaining: f.count };
  };

  /** Returns true when a fault was served, consuming one of its count. */
  const serveFault = (res: ServerResponse): boolean => {
    if (!fault || fault.remaining <= 0) return false;
    fault.remaining -= 1;
    const retryAfter = String(fault.retryAfterSeconds ?? 1);
    if (fault.status === 429) {
      graphError(res, 429, "TooManyRequests", "Too many requests. Retry after the time in Retry-After.", { "retry-after": retryAfter });
    } else {
      graphError(res, 503, "serviceNotAvailable", "The service is temporarily unavailable.", { "retry-after": retryAfter });
    }
    return true;
  };

  async function authorised(req: IncomingMessage, res: ServerResponse): Promise<boolean> {
    const header = req.headers.authorization ?? "";
    const token = /^Bearer\s+(\S+)$/i.exec(header)?.[1];
    if (!token) {
      graphError(res, 401, "InvalidAuthenticationToken", "Access token is empty.");
      return false;
    }
    if (opts.validateToken && !(await opts.validateToken(token))) {
      graphError(res, 401, "InvalidAuthenticationToken", "Access token validation failure. Invalid audience.");
      return false;
    }
    return true;
  }

  async function record(entry: RecordedGraphRequest) {
    recorded.push(entry);
    await journal.append(entry);
    // Ids only: the bodies hold names of staff and are for the page, not the log.
    log.info({ seq: entry.seq, kind: entry.kind }, "graph request recorded");
  }

  async function handleDirectoryRead(req: IncomingMessage, res: ServerResponse) {
    if (!(await authorised(req, res))) return;
    if (serveFault(res)) return;
    const answer = directoryAnswer(opts.directory, new URL(req.url ?? "/", `http://${req.headers.host ?? "127.0.0.1"}`), pageSize);
    if ("error" in answer) return graphError(res, answer.status, answer.error.code, answer.error.message);
    sendJson(res, answer.status, answer.body);
  }

  async function handleGraph(req: IncomingMessage, res: ServerResponse, path: string) {
    if (req.method === "GET" && isDirectoryPath(path)) return handleDirectoryRead(req, res);
    const activity = ACTIVITY_PATH.exec(path);
    const mail = MAIL_PATH.exec(path);
    if (!activity && !mail) {
      graphError(res, 400, "BadRequest", `Resource not found for the segment '${path.split("/").pop()}'.`);
      return;
    }
    if (req.method !== "POST") {
      graphError(res, 405, "Request_BadRequest", "The HTTP method is not allowed for this resource.");
      return;
    }
    if (!(await authorised(req, res))) return;
    if (serveFault(res)) return;

    let json: unknown;
    try {
      json = JSON.parse(await readBody(req));
    } catch (e) {
      if (e instanceof BodyTooLargeError) graphError(res, 413, "RequestEntityTooLarge", "The request body is too large.");
      else graphError(res, 400, "BadRequest", "Unable to read JSON request payload.");
      return;
    }
    const userId = decodeURIComponent((activity ?? mail)![1]);
    const at = new Date().toISOString();

    if (activity) {
      const parsed = activityNotificationBody.safeParse(json);
      if (!parsed.success) return graphError(res, 400, "BadRequest", describeProblem(parsed.error));
      const chainId = parsed.data.chainId;
      const duplicate =
        chainId !== undefined && recorded.some((r) => r.kind === "activity-notification" && r.userId === userId && r.body.chainId === chainId);
      await record({ seq: ++seq, at, kind: "activity-notification", userId, body: parsed.data, duplicate });
      // Never chain on writeHead: restify, loaded in the same process, replaces
      // http.ServerResponse.prototype.writeHead with one that returns nothing.
      res.writeHead(204);
      res.end();
      return;
    }
    const parsed = sendMailBody.safeParse(json);
    if (!parsed.success) return graphError(res, 400, "ErrorInvalidRequest", describeProblem(parsed.error));
    const alertId = alertIdOf(parsed.data);
    const duplicate = alertId !== undefined && recorded.some((r) => r.kind === "mail" && alertIdOf(r.body) === alertId);
    await record({ seq: ++seq, at, kind: "mail", userId, body: parsed.data, duplicate });
    res.writeHead(202);
    res.end();
  }

  /** A sandbox admin request's JSON body, or undefined once a 400 has been sent. */
  async function sandboxJson(req: IncomingMessage, res: ServerResponse): Promise<unknown> {
    try {
      return JSON.parse(await readBody(req)) as unknown;
    } catch {
      sendJson(res, 400, { error: { code: "BadRequest", message: "Body must be JSON." } });
      return undefined;
    }
  }

  async function handleSandbox(req: IncomingMessage, res: ServerResponse, path: string) {
    if (req.method === "GET" && path === "/_sandbox/requests") return sendJson(res, 200, recorded);
    if (req.method === "POST" && path === "/_sandbox/faults") {
      const json = await sandboxJson(req, res);
      if (json === undefined) return;
      const parsed = faultSchema.safeParse(json);
      if (!parsed.success) return sendJson(res, 400, { error: { code: "BadRequest", message: describeProblem(parsed.error) } });
      injectFaults(parsed.data);
      return sendJson(res, 200, { status: parsed.data.status, remaining: parsed.data.count });
    }
    if (req.method === "POST" && (path === "/_sandbox/directory/assignments" || path === "/_sandbox/directory/paging")) {
      const json = await sandboxJson(req, res);
      if (json === undefined) return;
      if (!opts.directory) return sendJson(res, 404, { error: { code: "NotFound", message: "This sandbox has no directory." } });
      if (path.endsWith("/paging")) {
        const parsed = pageSizeSchema.safeParse(json);
        if (!parsed.success) return sendJson(res, 400, { error: { code: "BadRequest", message: describeProblem(parsed.error) } });
        pageSize = parsed.data.pageSize;
        return sendJson(res, 200, { pageSize });
      }
      const parsed = directoryAssignmentSchema.safeParse(json);
      if (!parsed.success) return sendJson(res, 400, { error: { code: "BadRequest", message: describeProblem(parsed.error) } });
      assignDirectory(parsed.data);
      return sendJson(res, 200, { oid: parsed.data.oid, roles: parsed.data.roles.length, groups: parsed.data.groups.length });
    }
    sendJson(res, 404, { error: { code: "NotFound", message: "No such sandbox route." } });
  }

  const server = createServer((req, res) => {
    const path = new URL(req.url ?? "/", "http://sandbox").pathname;
    const handle = async () => {
      if (path.startsWith("/v1.0/")) return handleGraph(req, res, path);
      if (path.startsWith("/_sandbox/")) return handleSandbox(req, res, path);
      if (req.method === "GET" && path === "/") {
        res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
        res.end(renderSandboxPage(recorded));
        return;
      }
      graphError(res, 404, "NotFound", "Not found.");
    };
    handle().catch((e: unknown) => {
      log.error({ err: e instanceof Error ? e.message : String(e) }, "graph sandbox handler failed");
      if (!res.headersSent) graphError(res, 500, "InternalServerError", "The sandbox failed to handle the request.");
      else res.end();
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port ?? 0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;
  log.info({ port, persisted: Boolean(opts.dataDir), loaded: recorded.length }, "graph sandbox listening");

  return {
    baseUrl: `${origin}/v1.0`,
    pageUrl: `${origin}/`,
    requests: () => recorded.map((r) => structuredClone(r)),
    injectFaults,
    assignDirectory,
    setDirectoryPageSize: (size) => void (pageSize = pageSizeSchema.parse({ pageSize: size }).pageSize),
    stop: async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await journal.flush();
    },
  };
}
