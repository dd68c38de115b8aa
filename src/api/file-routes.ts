/**
 * Evidence files over HTTP, bearer-authenticated like the tab API:
 * - POST /api/files?submissionId=...&name=...[&writtenBy=...] stores a file with a form's draft;
 * - GET /api/files?submissionId=... lists the files already kept with the caller's own form;
 * - GET /api/incidents/{incidentId}/files/{fileId} downloads a file of a stored incident, for
 *   those who may read the incident, audited as "file.downloaded".
 * These are the dialog's and the tab's door for evidence files (bots can only take files in
 * personal chats, platform-notes "Bot files").
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
import { fileTooLargeError, type FileUpload } from "../app/attach-file.js";
import type { KeepsafeService } from "../app/keepsafe-service.js";
import { LIMITS } from "../domain/limits.js";
import { childLogger } from "../logger.js";
import type { TokenValidator, ValidatedClaims } from "../ports/token-validator.js";
import { toHttpError } from "./http-errors.js";
import { authenticate as authenticateBearer, errorSummary } from "./contract-routes.js";
import { parseInput, queryOf } from "./plain-input.js";
import { routeInputs } from "../contract/route-inputs.js";

const log = childLogger("file-routes");

export const FILES_PATH = "/api/files";

/** The use cases behind the file routes; the stores stay behind them (src/compose.ts wires them). */
export type FileRoutesService = Pick<KeepsafeService, "resolveActor" | "beginFileUpload" | "viewFormDraft" | "downloadFile">;

export interface FileRoutesDeps {
  service: FileRoutesService;
  tokens: TokenValidator;
  mfaPassed: (claims: ValidatedClaims) => boolean;
  mfaChallenge: () => string;
}

export const downloadPath = (incidentId: string, fileId: string) =>
  `/api/incidents/${encodeURIComponent(incidentId)}/files/${encodeURIComponent(fileId)}`;

// What each file route accepts is the contract's (src/contract/route-inputs.ts).
const uploadQuery = routeInputs.uploadFile.query;
const listQuery = routeInputs.listDraftFiles.query;
const noQuery = routeInputs.downloadFile.query;

/** How long a refused upload may keep sending before its connection is closed. */
const DRAIN_GRACE_MS = 10_000;

export function registerFileRoutes(server: Server, deps: FileRoutesDeps): void {
  // The tab API's own bearer check: one way to turn a token into a member of staff.
  const authenticate = (req: Request) => authenticateBearer({ ...deps, resolveActor: (id, opts) => deps.service.resolveActor(id, opts) }, req);
  // Both of its callers are reads (the file list and a download).
  const refuse = (res: Response, err: unknown, what: string) => {
    const answer = toHttpError(err, deps.mfaChallenge, { reading: true });
    if (answer.status >= 500) log.error({ err: errorSummary(err) }, `${what} failed`);
    else log.info({ event: `${what}.refused`, status: answer.status, code: answer.body.error.code }, `${what} refused`);
    reply(res, answer.status, answer.body, answer.headers);
  };

  // Runs before the global bodyParser: this route reads its own body (see the header comment).
  server.pre((req: Request, _res: Response, next: () => void) => {
    if (req.method === "POST" && req.path() === FILES_PATH) (req as unknown as { _readBody: boolean })._readBody = true;
    next();
  });

  server.post(FILES_PATH, async (req: Request, res: Response) => {
    let upload: FileUpload | undefined;
    try {
      const actor = await authenticate(req);

      const query = parseInput(uploadQuery, queryOf(req.url));
      const declared = Number(req.headers["content-length"]);
      // A declared size over the limit is refused before anything is read or reserved.
      if (Number.isFinite(declared) && declared > LIMITS.fileMaxBytes) throw fileTooLargeError();

      upload = await deps.service.beginFileUpload(actor, query);
      const content = await readLimited(req, upload.maxBytes);
      if (content === "too-large") throw fileTooLargeError();
      const attached = await upload.complete(content);
      upload = undefined;
      log.info(
        { event: "file.attached", fileId: attached.fileId, size: attached.size, contentType: attached.contentType, staffId: actor.staffId },
        "file stored",
      );
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

  // The files kept with the caller's own form so far, for the dialog to show when it opens again.
  server.get(FILES_PATH, async (req: Request, res: Response) => {
    try {
      const actor = await authenticate(req);
      const { submissionId } = parseInput(listQuery, queryOf(req.url));
      // Drafts are kept per owner: someone else's form under this id answers as an unknown one.
      const { files, pending } = await deps.service.viewFormDraft(actor, submissionId);
      reply(res, 200, { files, pending });
    } catch (err) {
      refuse(res, err, "file.list");
    }
  });

  server.get("/api/incidents/:incidentId/files/:fileId", async (req: Request, res: Response) => {
    try {
      const actor = await authenticate(req);
      parseInput(noQuery, queryOf(req.url));
      const params = req.params as { incidentId?: string; fileId?: string };
      const { file, content } = await deps.service.downloadFile(actor, params.incidentId ?? "", params.fileId ?? "");
      log.info({ event: "file.downloaded", fileId: file.fileId, size: file.size, staffId: actor.staffId }, "file sent");
      // Sent as a download, never shown inline: an evidence file must not run as a page of this site.
      res.writeHead(200, {
        "Content-Type": file.contentType,
        "Content-Length": String(content.length),
        "Content-Disposition": contentDisposition(file.name),
        "X-Content-Type-Options": "nosniff",
        "Content-Security-Policy": "default-src 'none'; sandbox",
        "Cache-Control": "no-store",
      });
      res.end(content);
    } catch (err) {
      refuse(res, err, "file.download");
    }
  });
}

/**
 * `attachment` with the name twice: an ASCII fallback (quotes, backslashes and anything outside
 * printable ASCII replaced) and the exact name, percent-encoded (RFC 6266 / RFC 5987).
 */
export function contentDisposition(name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]|["\\%]/g, "_");
  const exact = encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${ascii}"; filename*=UTF-8''${exact}`;
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
