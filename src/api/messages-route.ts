/**
 * POST /api/messages before botbuilder sees it. Only application/json is taken: a web page can
 * post a form (urlencoded, multipart, text/plain) cross-site with no preflight, but not JSON, so
 * a hostile page open in a teacher's browser cannot reach the bot. The body must be a Bot
 * Framework activity envelope; anything else is a 400 that says so and nothing more (no parser
 * or botbuilder message). In local mode, with no token to prove an activity came from Teams, the
 * bot replies only to a connector on this machine: a serviceUrl that is not loopback is refused,
 * so a forged activity can never point a conversation (and the alert cards sent into it) elsewhere.
 * With Bot settings, botbuilder's own token and serviceUrl checks stay in force.
 */
import type { Request, RequestHandler, Response, Server } from "restify";
import { z } from "zod";
import { isLoopback } from "../config.js";

export const MESSAGES_PATH = "/api/messages";

/** What bot/ hands in: a handler for Bot Framework activities. */
export interface ActivityHandler {
  handle(req: Request, res: Response): Promise<void>;
}

const text = (max: number) => z.string().max(max);

/** The fields Keepsafe and botbuilder rely on; the rest of the activity is botbuilder's to read. */
export const activityEnvelopeSchema = z.looseObject({
  type: z.string().regex(/^[A-Za-z]{1,64}$/),
  serviceUrl: z.url({ protocol: /^https?$/ }).max(2048),
  id: text(1000).optional(),
  name: text(200).optional(),
  channelId: text(100).optional(),
  from: z.looseObject({ id: text(1000), aadObjectId: text(100).optional() }).optional(),
  conversation: z.looseObject({ id: text(1000), conversationType: text(50).optional(), tenantId: text(100).optional() }).optional(),
  channelData: z.looseObject({ tenant: z.looseObject({ id: text(100) }).optional() }).optional(),
});

const refusal = (code: string, message: string) => ({ error: { code, message } });
const NOT_AN_ACTIVITY = refusal("bad_activity", "The request body is not a Bot Framework activity.");

const isMessagesPost = (req: Request) => req.method === "POST" && req.path() === MESSAGES_PATH;
const mediaType = (req: Request) => (req.headers["content-type"] ?? "").split(";")[0].trim().toLowerCase();

/**
 * The server's body parser, with /api/messages' own rules in front of it: a body that is not JSON
 * is answered 415 before it is read, and a parse failure is a plain 400 (the parser's message
 * quotes the body and names its internals).
 */
export function withMessagesBodyRules(bodyParser: RequestHandler[]): RequestHandler[] {
  const contentType: RequestHandler = (req, res, next) => {
    if (!isMessagesPost(req) || mediaType(req) === "application/json") return next();
    res.send(415, refusal("unsupported_media_type", "The bot accepts application/json only."));
    return next(false);
  };
  const guarded = bodyParser.map(
    (parse): RequestHandler =>
      (req, res, next) =>
        parse(req, res, (err?: unknown) => {
          if (!err || !isMessagesPost(req)) return next(err as Error | undefined);
          const tooLarge = (err as { statusCode?: number }).statusCode === 413;
          res.send(tooLarge ? 413 : 400, tooLarge ? refusal("payload_too_large", "The activity is too large.") : NOT_AN_ACTIVITY);
          return next(false);
        }),
  );
  return [contentType, ...guarded];
}

/** http(s)://127.x, localhost or [::1]: the local Teams host's connector and the tests' ones. */
export function isLoopbackServiceUrl(serviceUrl: string): boolean {
  const host = URL.canParse(serviceUrl) ? new URL(serviceUrl).hostname : "";
  return /^127(\.\d{1,3}){3}$/.test(host) || host === "localhost" || host === "[::1]";
}

const normaliseAddress = (a: string | undefined) => (a ?? "").replace(/^::ffff:/, "");

export interface MessagesRouteOptions {
  messages: ActivityHandler;
  botAuthConfigured: boolean;
  /** The size check for a body still streaming (http-hardening.ts); answers and returns false when over. */
  withinLimit?: (req: Request, res: Response) => boolean;
}

export function registerMessagesRoute(server: Server, opts: MessagesRouteOptions): void {
  const localMode = !opts.botAuthConfigured;
  // restify 11 refuses a non-async handler with fewer than three arguments.
  server.post(MESSAGES_PATH, async (req: Request, res: Response) => {
    if (opts.withinLimit && !opts.withinLimit(req, res)) return;
    // Without Bot Framework credentials nothing can prove an activity came from Teams, so only
    // this machine (the local Teams host, the tests) may post activities.
    if (localMode && !isLoopback(normaliseAddress(req.socket.remoteAddress))) {
      res.send(403, refusal("forbidden", "The bot accepts activities from this machine only until Bot settings are given."));
      return;
    }
    const envelope = activityEnvelopeSchema.safeParse(req.body);
    if (!envelope.success) {
      res.send(400, NOT_AN_ACTIVITY);
      return;
    }
    if (localMode && !isLoopbackServiceUrl(envelope.data.serviceUrl)) {
      res.send(
        403,
        refusal(
          "forbidden",
          "Until Bot settings are given, the bot replies only to this machine: the activity's serviceUrl must be a loopback address.",
        ),
      );
      return;
    }
    await opts.messages.handle(req, res);
  });
}
