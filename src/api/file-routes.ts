/**
 * POST /api/files?submissionId=...&name=...[&writtenBy=...]: the dialog's and the tab's door for
 * evidence files (bots can only take files in personal chats, platform-notes "Bot files").
 * The body is the file itself, read as a stream and cut off at LIMITS.fileMaxBytes, so a huge
 * upload is refused without being held in memory. Its Content-Type is ignored: the type is
 * decided from the content. Thin like the tab API: authenticate, parse, call the command.
 *
 * restify's bodyParser is installed globally in src/http-server.ts; it would buffer (and cap at
 * 1 MB) this route's body. registerFileRoutes adds a `pre` handler that marks this route's body
 * as already read, which bodyReader honours, so the handler gets the raw stream.
 */
import type { IncomingMessage } from "node:http";
import type { Request, Response, Server } from "restify";
import { z } from "zod";
import { FileAttacher, fileTooLargeError, type FileUpload } from "../app/attach-file.js";
import type { KeepsafeService } from "../app/keepsafe-service.js";
import { fieldProblemsFrom } from "../app/record-incident.js";
import { UnauthenticatedError, ValidationError } from "../domain/errors.js";
import type { DraftStore } from "../domain/files.js";
import { LIMITS } from "../domain/limits.js";
import { childLogger } from "../logger.js";
import { systemClock, type Clock } from "../ports/clock.js";
import type { FileStore } from "../ports/file-store.js";
import type { TokenValidator, ValidatedClaims } from "../ports/token-validator.js";
import { toHttpError } from "./http-errors.js";

const log = childLogger("file-routes");

export const FILES_PATH = "/api/files";

export interface FileRoutesDeps {
  service: Pick<KeepsafeService, "resolveActor">;
  tokens: TokenValidator;
  mfaPassed: (claims: ValidatedClaims) => boolean;
  mfaChallenge: () => string;
  files: FileStore;
  drafts: DraftStore;
  clock?: Clock;
}

const uploadQuery = z.object({
  submissionId: z.string().trim().min(1, "The form is missing its id; open a new form."),
  name: z.string().optional(),
  writtenBy: z.string().optional(),
});

/** How long a refused upload may keep sending before its connection is closed. */
const DRAIN_GRACE_MS = 10_000;

export function registerFileRoutes(server: Server, deps: FileRoutesDeps): void {
  const attacher = new FileAttacher({ files: deps.files, drafts: deps.drafts, clock: deps.clock ?? systemClock });

  // Runs before the global bodyParser: this route reads its own body (see the header comment).
  server.pre((req: Request, _res: Response, next: () => void) => {
    if (req.method === "POST" && req.path() === FILES_PATH) (req as unknown as { _readBody: boolean })._readBody = true;
    next();
  });

  server.post(FILES_PATH, async (req: Request, res: Response) => {
    let upload: FileUpload | undefined;
    try {
      const header = req.header("authorization") ?? "";
      const match = /^Bearer\s+(.+)$/i.exec(header);
      if (!match) throw UnauthenticatedError();
      const claims = await deps.tokens.validate(match[1].trim());
      const actor = await deps.service.resolveActor(claims.oid, { mfa: deps.mfaPassed(claims) });

      const query = uploadQuery.safeParse(Object.fromEntries(new URL(req.url ?? "/", "http://local").searchParams));
      if (!query.success) throw ValidationError(fieldProblemsFrom(query.error));
      const declared = Number(req.headers["content-length"]);
      // A declared size over the limit is refused before anything is read or reserved.
      if (Number.isFinite(declared) && declared > LIMITS.fileMaxBytes) throw fileTooLargeError();

      upload = await attacher.begin(actor, query.data);
      const content = await readLimited(req, upload.maxBytes);
      if (content === "too-large") throw fileTooLargeError();
      const attached = await upload.complete(content);
      upload = undefined;
      log.info({ event: "file.attached", fileId: attached.fileId, size: attached.size, contentType: attached.contentType, staffId: actor.staffId }, "file stored");
      reply(res, 201, attached);
    } catch (err) {
      await upload?.abandon().catch(() => undefined);
      const answer = toHttpError(err, deps.mfaChallenge);
      if (answer.status >= 500) log.error({ err: errorSummary(err) }, "file upload failed");
      else log.info({ event: "file.refused", status: answer.status, code: answer.body.error.code }, "file refused");
      // Whatever is still arriving is discarded; the connection is not reused.
      const unread = !req.complete;
      if (unread) discardRest(req);
      reply(res, answer.status, answer.body, { ...answer.headers, ...(unread ? { Connection: "close" } : {}) });
    }
  });
}

function reply(res: Response, status: number, body: unknown, headers: Record<string, string> = {}) {
  res.header("Cache-Control", "no-store");
  for (const [k, v] of Object.entries(headers)) res.header(k, v);
  res.send(status, body);
}

/** Reads the whole body, or stops keeping it (and answers "too-large") once it passes `max` bytes. */
function readLimited(req: IncomingMessage, max: number): Promise<Buffer | "too-large"> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const cleanup = () => {
      req.off("data", onData);
      req.off("end", onEnd);
      req.off("error", onError);
      req.off("aborted", onAborted);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > max) {
        cleanup();
        chunks.length = 0;
        resolve("too-large");
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      cleanup();
      resolve(Buffer.concat(chunks, size));
    };
    const onError = (e: Error) => {
      cleanup();
      reject(e);
    };
    const onAborted = () => onError(new Error("upload aborted"));
    req.on("data", onData);
    req.once("end", onEnd);
    req.once("error", onError);
    req.once("aborted", onAborted);
  });
}

/** Lets the client finish sending (so it can read the answer), keeping nothing, for a short while. */
function discardRest(req: IncomingMessage) {
  req.on("data", () => undefined);
  req.resume();
  const timer = setTimeout(() => req.socket?.destroy(), DRAIN_GRACE_MS);
  timer.unref();
  req.once("end", () => clearTimeout(timer));
  req.once("close", () => clearTimeout(timer));
}

function errorSummary(err: unknown) {
  if (err && typeof err === "object") {
    const e = err as { name?: string; code?: string | number; statusCode?: number };
    return { name: e.name, code: e.code, statusCode: e.statusCode };
  }
  return { name: typeof err };
}
