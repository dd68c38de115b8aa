/**
 * What every response and request gets before any route runs: the headers that hold on errors and
 * 404s too (restify's own answers included, since `pre` runs before routing), a cap on the URL's
 * length, a tighter cap on the bot's body than the 1 MB every other JSON body has, and restify's own
 * errors answered in Keepsafe's {error: {code, message}} shape without restify's wording.
 */
import type { Request, Response, Server } from "restify";
import { childLogger } from "../logger.js";

const log = childLogger("http");

/**
 * Longest path and query accepted. The longest real one is a file upload's query: a form id and a
 * file name of up to 255 characters, which percent-encoding can make nine times longer.
 */
export const MAX_URL_LENGTH = 4096;

/**
 * The bot's body cap. A full concern card with a 10,000-character account is under 70 KB even when
 * every character takes 3 bytes of UTF-8 or 6 as a JSON escape; Teams' own messages are smaller.
 */
export const MAX_BOT_BODY_BYTES = 256 * 1024;

export const BOT_PATH = "/api/messages";

type Next = (err?: false) => void;

const STATUS_CODES: Record<number, { code: string; message: string }> = {
  400: { code: "bad_request", message: "The request could not be read." },
  404: { code: "not_found", message: "Not found." },
  405: { code: "method_not_allowed", message: "This address does not take that method." },
  413: { code: "payload_too_large", message: "The request is too large." },
  414: { code: "uri_too_long", message: `The address is too long (at most ${MAX_URL_LENGTH} characters).` },
  415: { code: "unsupported_media_type", message: "This content type is not accepted here." },
};

export const errorBodyFor = (status: number) => ({
  error:
    STATUS_CODES[status] ??
    (status >= 500
      ? { code: "internal_error", message: "Something went wrong. Please try again." }
      : { code: `http_${status}`, message: "The request was refused." }),
});

export function registerHardening(server: Server): void {
  server.pre((req: Request, res: Response, next: Next) => {
    res.header("X-Content-Type-Options", "nosniff");
    res.header("Referrer-Policy", "no-referrer");
    if ((req.url ?? "").length > MAX_URL_LENGTH) return refuse(req, res, next, 414);
    if (isBotPost(req) && Number(req.headers["content-length"]) > MAX_BOT_BODY_BYTES) return refuse(req, res, next, 413);
    next();
  });
}

/**
 * The bot's body after bodyParser: a chunked body declares no length, so it is measured here.
 * Answers 413 itself and returns false when over the cap.
 */
export function botBodyWithinLimit(req: Request, res: Response): boolean {
  const raw = (req as Request & { rawBody?: string | Buffer }).rawBody;
  const size = typeof raw === "string" ? Buffer.byteLength(raw) : (raw?.length ?? 0);
  if (size <= MAX_BOT_BODY_BYTES) return true;
  log.info({ event: "request.refused", status: 413, size }, "bot body too large");
  res.send(413, errorBodyFor(413));
  return false;
}

/** restify's own errors (no route, bad JSON, body over 1 MB) in Keepsafe's shape and words. */
export function shapeRestifyError(err: Error & { statusCode?: number; toJSON?: () => unknown }): void {
  const status = err.statusCode ?? 500;
  err.toJSON = () => errorBodyFor(status);
}

function refuse(req: Request, res: Response, next: Next, status: 413 | 414) {
  log.info({ event: "request.refused", status, method: req.method }, "request refused before routing");
  // The body is not read: close the connection rather than drain it.
  res.header("Connection", "close");
  res.send(status, errorBodyFor(status));
  next(false);
}

const isBotPost = (req: Request) => req.method === "POST" && req.path() === BOT_PATH;
