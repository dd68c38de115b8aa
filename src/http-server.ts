/**
 * The one HTTP server: the tab API, the bot's /api/messages, the built tab, and in local mode the
 * local Teams host. restify is the product owner's choice for the bot; the tab API shares it.
 */
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import restify, { type Server, type Request, type Response } from "restify";
import type { KeepsafeConfig } from "./config.js";
import { registerTabApi, type TabApiDeps } from "./api/tab-api.js";
import { registerFileRoutes } from "./api/file-routes.js";
import { registerDialogPages } from "./api/dialog-pages.js";
import { botBodyWithinLimit, registerHardening, shapeRestifyError } from "./api/http-hardening.js";
import { createRateLimits } from "./api/rate-limits.js";
import { acceptsGzip, gzipped } from "./api/compressed-files.js";
import { cacheControlFor } from "./api/static-caching.js";
import { TAB_PAGE_POLICY, TEAMS_FRAME_ANCESTORS, withFrameAncestors } from "./domain/content-security.js";
import { registerMessagesRoute, withMessagesBodyRules, type ActivityHandler } from "./api/messages-route.js";
import type { AlertCardSender } from "./ports/alert-cards.js";
import { childLogger } from "./logger.js";

const log = childLogger("http");

/** The Teams app's own colour icon (a PNG; browsers take a PNG at /favicon.ico), for the host page and the tab. */
const FAVICON_FILE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "appPackage", "color.png");

/** What bot/ hands in: a handler for Bot Framework activities. */
export interface MessagesEndpoint extends ActivityHandler {
  /** The bot's proactive alert card, given to the alert dispatcher. */
  alertCards?: AlertCardSender;
}

export interface HttpServerOptions extends TabApiDeps {
  config: KeepsafeConfig;
  messages: MessagesEndpoint;
  tabDistDir: string;
  localRoutes?: (server: Server) => void;
}

export interface HttpServerHandle {
  url: string;
  server: Server;
  close(): Promise<void>;
}

/** Room for a full account and card payload, but not for anything that would exhaust memory. */
const MAX_BODY_BYTES = 1024 * 1024;

const CONTENT_TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".map": "application/json",
  ".png": "image/png",
  ".svg": "image/svg+xml",
};

export async function createHttpServer(opts: HttpServerOptions): Promise<HttpServerHandle> {
  const server = restify.createServer({ name: "keepsafe", handleUncaughtExceptions: false });
  const limits = createRateLimits(opts.config.rateLimits);
  registerHardening(server);
  server.pre(limits.perAddress);
  server.use(restify.plugins.queryParser({ mapParams: false }));
  server.use(withMessagesBodyRules(restify.plugins.bodyParser({ mapParams: false, maxBodySize: MAX_BODY_BYTES, rejectUnknown: false })));

  // Every authenticated API route validates its token here, so each member of staff is counted once per request.
  // Outside production every answer is checked against the contract, so a view that drifts fails in tests.
  const api = { ...opts, tokens: limits.countingUsers(opts.tokens) };
  registerTabApi(server, { ...api, checkResponses: !opts.config.production });
  registerFileRoutes(server, api);
  // The local Teams host, on this same server, frames the tab and the dialogs in local mode.
  const frameAncestors = [...TEAMS_FRAME_ANCESTORS, ...(opts.localRoutes ? ["'self'"] : [])];
  registerDialogPages(server, { distDir: path.join(opts.tabDistDir, "dialogs"), frameAncestors });
  const tabPolicy = withFrameAncestors(TAB_PAGE_POLICY, frameAncestors);

  registerMessagesRoute(server, {
    botAuthConfigured: !!opts.config.bot.appId,
    withinLimit: botBodyWithinLimit,
    messages: { handle: (req, res) => limits.forBotSender(req, res, () => opts.messages.handle(req, res)) },
  });

  // Browsers ask the origin for /favicon.ico on every page; without it each page logs a 404.
  server.get("/favicon.ico", async (_req: Request, res: Response) => {
    const body = await fs.promises.readFile(FAVICON_FILE);
    res.writeHead(200, { "Content-Type": "image/png", "Cache-Control": "public, max-age=86400" });
    res.end(body);
  });
  server.get("/tab/*", async (req: Request, res: Response) => serveFile(opts.tabDistDir, req, res, "/tab/", tabPolicy));

  opts.localRoutes?.(server);

  server.on("restifyError", (req: Request, _res: Response, err: Error & { statusCode?: number }, cb: () => void) => {
    if ((err.statusCode ?? 500) >= 500) log.error({ route: req.getRoute()?.path, name: err.name }, "unhandled error");
    shapeRestifyError(err);
    cb();
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.config.port, opts.config.host, () => resolve());
  });
  const address = server.address() as { port: number };
  const shownHost = opts.config.host === "0.0.0.0" ? "127.0.0.1" : opts.config.host;
  const url = opts.config.publicUrl ?? `http://${shownHost}:${address.port}`;
  return {
    url,
    server,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

async function serveFile(root: string, req: Request, res: Response, prefix: string, policy: string) {
  const relative = decodeURIComponent((req.path() ?? "").slice(prefix.length)) || "index.html";
  const file = path.resolve(root, relative);
  if (!file.startsWith(path.resolve(root) + path.sep)) {
    res.send(404, { error: { code: "not_found", message: "Not found." } });
    return;
  }
  try {
    const [body, stat] = await Promise.all([fs.promises.readFile(file), fs.promises.stat(file)]);
    const compressed = acceptsGzip(req.headers["accept-encoding"]) ? gzipped(file, stat.mtimeMs, body) : undefined;
    res.writeHead(200, {
      "Content-Type": CONTENT_TYPES[path.extname(file)] ?? "application/octet-stream",
      "Cache-Control": cacheControlFor(path.basename(file)),
      "Content-Security-Policy": policy,
      Vary: "Accept-Encoding",
      ...(compressed ? { "Content-Encoding": "gzip" } : {}),
    });
    res.end(compressed ?? body);
  } catch {
    res.send(404, { error: { code: "not_found", message: "Not found." } });
  }
}
