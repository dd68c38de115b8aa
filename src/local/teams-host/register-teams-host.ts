/**
 * Mounts the local Teams host on Keepsafe's restify server:
 *   GET  /                      the host page
 *   GET  /teams-host/*          its bundled script and CSS
 *   POST /teams-host/sso-token  tab SSO via the local identity provider
 *   *    /local-connector/*     the capture connector the bot replies to (loopback callers only)
 * Local mode only: nothing here checks a Microsoft token, which is the point.
 */

import type { IncomingMessage } from "node:http";
import type { Next, Request, Response, Server } from "restify";
import { childLogger } from "../../logger.js";
import { readBodyText } from "../read-body.js";
import { buildTeamsHostAssets } from "./build-assets.js";
import type { HostPageConfig, HostStaff } from "./host-config.js";
import { HOST_PAGE_POLICY, renderHostPage } from "./host-page.js";
import { createLocalConnector, type LocalConnector } from "./local-connector.js";
import { fetchSsoToken } from "./sso-token-proxy.js";

export interface TeamsHostOptions {
  staff: HostStaff[];
  tenantId: string;
  /** The local identity provider's authority; the host POSTs to `{authority}/local/sso-token`. */
  identityAuthority: string;
  graphSandboxUrl?: string;
  appName?: string;
  /** PEM of the local identity provider's CA, trusted for the token call only. */
  identityCa?: string | Buffer;
  /** Defaults: "/tab/index.html", "/api/messages", "28:keepsafe-bot", "keepsafe". */
  tabUrl?: string;
  botEndpoint?: string;
  botId?: string;
  entityId?: string;
  /** Share a connector with tests; one is created otherwise. */
  connector?: LocalConnector;
}

const MAX_BODY = 1024 * 1024;
const PREFIX = "/local-connector/";
const log = childLogger("teams-host");

/** Registers the routes and returns the capture connector, so the caller can read what the bot sent. */
export function registerTeamsHost(server: Server, opts: TeamsHostOptions): LocalConnector {
  const connector = opts.connector ?? createLocalConnector({ staff: opts.staff, tenantId: opts.tenantId });
  const page: HostPageConfig = {
    appName: opts.appName ?? "Keepsafe",
    staff: opts.staff,
    tenantId: opts.tenantId,
    tabUrl: opts.tabUrl ?? "/tab/index.html",
    botEndpoint: opts.botEndpoint ?? "/api/messages",
    botId: opts.botId ?? "28:keepsafe-bot",
    entityId: opts.entityId ?? "keepsafe",
    graphSandboxUrl: opts.graphSandboxUrl,
  };

  server.get("/", (_req: Request, res: Response, next: Next) => {
    send(res, 200, "text/html; charset=utf-8", renderHostPage(page));
    return next();
  });

  // restify 11: async handlers take (req, res) and resolve instead of calling next().
  server.get("/teams-host/*", async (req: Request, res: Response) => {
    try {
      const name = new URL(req.url ?? "/", "http://local").pathname.slice("/teams-host/".length);
      const file = (await buildTeamsHostAssets()).files.get(name);
      if (!file) send(res, 404, "text/plain; charset=utf-8", "Not found");
      else send(res, 200, file.contentType, file.body);
    } catch (err) {
      log.error({ err: (err as Error).message }, "teams host bundle failed");
      send(res, 500, "text/plain; charset=utf-8", "The local Teams host could not be built; see the server log.");
    }
  });

  server.post("/teams-host/sso-token", async (req: Request, res: Response) => {
    if (!guard(req, res, true)) return;
    try {
      const result = await fetchSsoToken(await readJson(req), opts.staff, opts.identityAuthority, opts.identityCa);
      sendJson(res, result.status, result.body);
    } catch (err) {
      log.warn({ err: (err as Error).message }, "local sso token request failed");
      sendJson(res, 502, { error: "identity_provider_unreachable" });
    }
  });

  const connectorRoute = async (req: Request, res: Response) => {
    const method = (req.method ?? "GET").toUpperCase();
    if (!guard(req, res, method === "POST" || method === "PUT")) return;
    try {
      const url = new URL(req.url ?? "/", "http://local");
      const body = method === "POST" || method === "PUT" ? await readJson(req) : undefined;
      const result = connector.handle({
        method,
        path: url.pathname.slice(PREFIX.length),
        query: Object.fromEntries(url.searchParams),
        body,
      });
      sendJson(res, result.status, result.body ?? {});
    } catch (err) {
      sendJson(res, 400, { error: { code: "BadSyntax", message: (err as Error).message } });
    }
  };
  server.get(`${PREFIX}*`, connectorRoute);
  server.post(`${PREFIX}*`, connectorRoute);
  server.put(`${PREFIX}*`, connectorRoute);
  server.del(`${PREFIX}*`, connectorRoute);

  return connector;
}

/**
 * Loopback callers only: the connector would otherwise let anyone inject "bot" messages. Requiring a JSON
 * content type on writes also forces a CORS preflight, which this server never grants, so another web
 * page open in the tester's browser cannot post here either.
 */
function guard(req: Request, res: Response, needsJson: boolean): boolean {
  if (!isLoopback(req.socket?.remoteAddress)) {
    sendJson(res, 403, { error: { code: "Forbidden", message: "The local connector accepts loopback callers only" } });
    return false;
  }
  if (needsJson && !/^application\/json\b/i.test(String(req.headers["content-type"] ?? ""))) {
    sendJson(res, 415, { error: { code: "UnsupportedMediaType", message: "Send application/json" } });
    return false;
  }
  return true;
}

/** A connection's peer address on this machine (any 127.x, IPv6 ::1, IPv4-mapped); config.ts's isLoopback is about a HOST setting. */
export function isLoopback(address: string | undefined): boolean {
  if (!address) return false;
  const a = address.replace(/^::ffff:/i, "");
  return a === "::1" || /^127\./.test(a);
}

/** Works whether or not the lead installed restify's bodyParser before these routes. */
async function readJson(req: Request): Promise<unknown> {
  const parsed = (req as Request & { body?: unknown }).body;
  if (parsed !== undefined) {
    if (Buffer.isBuffer(parsed) || typeof parsed === "string") return parsed.length ? JSON.parse(parsed.toString()) : undefined;
    return parsed;
  }
  const stream = req as unknown as IncomingMessage;
  if (stream.readableEnded) return undefined;
  const text = await readBodyText(stream, MAX_BODY);
  return text ? JSON.parse(text) : undefined;
}

function send(res: Response, status: number, contentType: string, body: string | Buffer) {
  res.writeHead(status, {
    "content-type": contentType,
    "cache-control": "no-store",
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "content-security-policy": HOST_PAGE_POLICY,
  });
  res.end(body);
}

function sendJson(res: Response, status: number, body: unknown) {
  send(res, status, "application/json; charset=utf-8", JSON.stringify(body));
}
