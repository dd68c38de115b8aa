/**
 * Mounts a route of the contract (src/contract/routes.ts) on restify: authenticate the bearer token,
 * parse the path parameters, query and body with the route's own schemas (route-inputs.ts) into plain
 * data, call the handler, and answer. Every tab API route goes through here, so none can skip the
 * token, the parsing, or the error mapping; and in local mode each answer is checked against the
 * route's response schema, so a view that drifts from the contract fails loudly in tests.
 * Prototype keys and over-deep nesting are refused before any schema runs (plain-input.ts).
 */
import type { Request, Response, Server } from "restify";
import type { z } from "zod";
import type * as zm from "zod/mini";
import type { Actor } from "../domain/actor.js";
import type { DirectoryClaims } from "../domain/policy/index.js";
import { UnauthenticatedError } from "../domain/errors.js";
import { CSV, type RouteDef, type RouteId, type Routes } from "../contract/routes.js";
import { routeInputs } from "../contract/route-inputs.js";
import { parseInput, queryOf } from "./plain-input.js";
import type { TokenValidator, ValidatedClaims } from "../ports/token-validator.js";
import { toHttpError } from "./http-errors.js";
import { childLogger } from "../logger.js";
import { withinRequest } from "../app/request-scope.js";

const log = childLogger("tab-api");

type Inputs<K extends RouteId> = (typeof routeInputs)[K];
type Parsed<S> = S extends z.ZodType ? z.output<S> : undefined;

/** What a handler receives: the route's inputs, parsed. */
export interface RouteInput<K extends RouteId> {
  params: Parsed<Inputs<K> extends { params: infer P } ? P : undefined>;
  query: Parsed<Inputs<K> extends { query: infer Q } ? Q : undefined>;
  body: Parsed<Inputs<K> extends { body: infer B } ? B : undefined>;
  /** For routes that need the raw request (a file's bytes, the caller's address). */
  req: Request;
}

type SuccessBody<K extends RouteId> =
  Routes[K]["responses"] extends Partial<Record<200 | 201, infer S>>
    ? S extends zm.ZodMiniType
      ? z.output<S>
      : S extends typeof CSV
        ? string
        : never
    : never;

/** A file a route answers with (its contract says BINARY): the bytes, their type and a download name. */
export class FileAnswer {
  constructor(
    readonly contentType: string,
    readonly filename: string,
    readonly bytes: string | Uint8Array,
  ) {}
}

type IsBinary<K extends RouteId> = Routes[K]["responses"] extends { 200: "binary" } ? true : false;

/**
 * A handler answers its route's success body (200), or says which success status it is (201 for a
 * new record); a route whose contract answers BINARY answers a FileAnswer.
 */
export type RouteAnswer<K extends RouteId> = IsBinary<K> extends true ? FileAnswer : SuccessBody<K> | { status: 200 | 201; body: SuccessBody<K> };

export interface ContractRouteDeps {
  tokens: TokenValidator;
  mfaPassed: (claims: ValidatedClaims) => boolean;
  mfaChallenge: () => string;
  resolveActor: (staffId: string | undefined, opts: { mfa: boolean; via?: "tab"; directory?: DirectoryClaims }) => Promise<Actor>;
  /** Check each answer against the route's response schema (local mode and tests). */
  checkResponses?: boolean;
}

export function answerWith<K extends RouteId>(status: 200 | 201, body: SuccessBody<K>): RouteAnswer<K> {
  return { status, body } as RouteAnswer<K>;
}

const isStatusAnswer = (v: unknown): v is { status: 200 | 201; body: unknown } =>
  !!v &&
  typeof v === "object" &&
  Object.keys(v).length === 2 &&
  "status" in v &&
  "body" in v &&
  typeof (v as { status: unknown }).status === "number";

export function send(res: Response, status: number, body: unknown, headers: Record<string, string> = {}) {
  res.header("Cache-Control", "no-store");
  for (const [k, v] of Object.entries(headers)) res.header(k, v);
  res.send(status, body);
}

export async function authenticate(deps: Pick<ContractRouteDeps, "tokens" | "mfaPassed" | "resolveActor">, req: Request): Promise<Actor> {
  const match = /^Bearer\s+(.+)$/i.exec(req.header("authorization") ?? "");
  if (!match) throw UnauthenticatedError();
  const claims = await deps.tokens.validate(match[1].trim());
  // The token's app roles and groups go with it: they may decide the role (policy/role-claims.ts).
  return deps.resolveActor(claims.oid, { mfa: deps.mfaPassed(claims), via: "tab", ...(claims.directory ? { directory: claims.directory } : {}) });
}

/** Unsafe keys refused, then the route's (strict) schema; a route with no schema for a part takes none of it. */
const parsePart = (schema: z.ZodType | undefined, value: unknown): unknown => (schema ? parseInput(schema, value) : undefined);

export function mountRoute<K extends RouteId>(
  server: Server,
  route: Routes[K] & RouteDef,
  deps: ContractRouteDeps,
  handler: (actor: Actor, input: RouteInput<K>) => Promise<RouteAnswer<K>>,
): void {
  const inputs = routeInputs[route.id as K] as { params?: z.ZodType; query?: z.ZodType; body?: z.ZodType };
  const method = route.method === "GET" ? "get" : "post";
  // Each request reads the school once however many use cases ask (request-scope.ts).
  server[method](route.path, async (req: Request, res: Response) => withinRequest(() => respond(req, res)));
  async function respond(req: Request, res: Response) {
    try {
      const actor = await authenticate(deps, req);
      const input = {
        params: parsePart(inputs.params, { ...(req.params ?? {}) }),
        query: parsePart(inputs.query, queryOf(req.url)),
        body: parsePart(inputs.body, req.body),
        req,
      } as RouteInput<K>;
      const result = await handler(actor, input);
      if (result instanceof FileAnswer) return sendFile(res, route, result);
      const { status, body } = isStatusAnswer(result) ? result : { status: 200 as const, body: result };
      if (route.responses[status] === CSV) return sendCsv(res, status, body, route.id);
      if (deps.checkResponses) checkAnswer(route, status, body);
      send(res, status, body);
    } catch (err) {
      const answer = toHttpError(err, deps.mfaChallenge, { reading: req.method === "GET" || req.method === "HEAD" });
      if (answer.status >= 500) log.error({ err: errorSummary(err), route: route.id }, "request failed");
      send(res, answer.status, answer.body, answer.headers);
    }
  }
}

/** CSV goes out as written, never through restify's formatters, as a download named after the route. */
function sendCsv(res: Response, status: number, body: unknown, name: string) {
  if (typeof body !== "string") throw new Error(`${name} answered CSV that is not text`);
  res.writeHead(status, {
    "Content-Type": "text/csv; charset=utf-8",
    "Content-Disposition": `attachment; filename="${name}.csv"`,
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
  });
  res.end(body);
}

function sendFile(res: Response, route: RouteDef, file: FileAnswer) {
  if (route.responses[200] !== "binary") throw new Error(`${route.id} answered a file, which its contract does not describe`);
  const bytes =
    typeof file.bytes === "string" ? Buffer.from(file.bytes, "utf8") : Buffer.from(file.bytes.buffer, file.bytes.byteOffset, file.bytes.byteLength);
  res.writeHead(200, {
    "Content-Type": file.contentType,
    "Content-Length": String(bytes.length),
    // Only safe characters of the name go in the header; attachment so a browser never renders it in place.
    "Content-Disposition": `attachment; filename="${file.filename.replace(/[^A-Za-z0-9._-]/g, "_")}"`,
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
    // An uploaded file must never run as a page of this site, even if opened directly.
    "Content-Security-Policy": "default-src 'none'; sandbox",
  });
  res.end(bytes);
}

/** An answer the contract does not describe is a bug here, not something to send. */
function checkAnswer(route: RouteDef, status: number, body: unknown) {
  const schema = route.responses[status as 200 | 201];
  if (!schema || schema === "binary" || schema === CSV) throw new Error(`${route.id} answered ${status}, which its contract does not describe`);
  const r = (schema as zm.ZodMiniType).safeParse(body);
  if (!r.success) {
    log.error(
      { route: route.id, issues: r.error.issues.map((i) => ({ path: i.path.join("."), code: i.code })) },
      "answer does not match the contract",
    );
    throw new Error(`${route.id}'s answer does not match its contract`);
  }
}

/** Error detail safe to log: names and codes, never the message of an unknown error (it may quote input). */
export function errorSummary(err: unknown) {
  if (err && typeof err === "object") {
    const e = err as { name?: string; code?: string | number; statusCode?: number };
    return { name: e.name, code: e.code, statusCode: e.statusCode };
  }
  return { name: typeof err };
}
