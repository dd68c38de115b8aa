/**
 * The REST API behind the Keepsafe tab. Routes are thin: authenticate the bearer token, parse the
 * input with zod, call the service (which applies the policy), map errors at the edge.
 */
import type { Server, Request, Response } from "restify";
import { z } from "zod";
import type { Actor } from "../domain/actor.js";
import { UnauthenticatedError, ValidationError } from "../domain/errors.js";
import type { TokenValidator, ValidatedClaims } from "../ports/token-validator.js";
import type { KeepsafeService } from "../app/keepsafe-service.js";
import { fieldProblemsFrom } from "../app/record-incident.js";
import { toHttpError } from "./http-errors.js";
import { openApiDocument } from "./openapi.js";
import { childLogger } from "../logger.js";

const log = childLogger("tab-api");

export interface TabApiDeps {
  service: KeepsafeService;
  tokens: TokenValidator;
  mfaPassed: (claims: ValidatedClaims) => boolean;
  mfaChallenge: () => string;
  /** Reports whether the record store answers, for /healthz. */
  storeHealthy: () => Promise<boolean>;
}

const idParam = z.string().trim().min(1).max(200).regex(/^[A-Za-z0-9:_-]+$/, "Not a valid id.");
const pupilQuery = z.object({ query: z.string().trim().max(100).default("") });

type Handler = (actor: Actor, req: Request) => Promise<unknown>;

export function registerTabApi(server: Server, deps: TabApiDeps): void {
  const send = (res: Response, status: number, body: unknown, headers: Record<string, string> = {}) => {
    res.header("Cache-Control", "no-store");
    for (const [k, v] of Object.entries(headers)) res.header(k, v);
    res.send(status, body);
  };

  const authenticated = (handler: Handler) => async (req: Request, res: Response) => {
    try {
      const header = req.header("authorization") ?? "";
      const match = /^Bearer\s+(.+)$/i.exec(header);
      if (!match) throw UnauthenticatedError();
      const claims = await deps.tokens.validate(match[1].trim());
      const actor = await deps.service.resolveActor(claims.oid, { mfa: deps.mfaPassed(claims) });
      send(res, 200, await handler(actor, req));
    } catch (err) {
      const answer = toHttpError(err, deps.mfaChallenge);
      if (answer.status >= 500) log.error({ err: errorSummary(err), route: req.getRoute()?.path }, "request failed");
      send(res, answer.status, answer.body, answer.headers);
    }
  };

  const parse = <T>(schema: z.ZodType<T>, value: unknown): T => {
    const r = schema.safeParse(value);
    if (!r.success) throw ValidationError(fieldProblemsFrom(r.error));
    return r.data;
  };

  server.get("/healthz", async (_req: Request, res: Response) => {
    const store = await deps.storeHealthy().catch(() => false);
    send(res, store ? 200 : 503, { status: store ? "ok" : "degraded", store: store ? "ok" : "unavailable" });
  });

  server.get("/api/openapi.json", async (_req: Request, res: Response) => {
    send(res, 200, openApiDocument());
  });

  server.get("/api/me", authenticated((actor) => deps.service.me(actor)));

  server.get(
    "/api/pupils",
    authenticated(async (actor, req) => {
      const { query } = parse(pupilQuery, req.query ?? {});
      return { pupils: await deps.service.searchPupils(actor, query) };
    }),
  );

  server.get(
    "/api/pupils/:pupilId/chronology",
    authenticated((actor, req) => deps.service.getChronology(actor, parse(idParam, req.params.pupilId))),
  );

  server.get(
    "/api/incidents/:incidentId",
    authenticated((actor, req) => deps.service.getIncidentView(actor, parse(idParam, req.params.incidentId))),
  );

  server.post(
    "/api/incidents/:incidentId/acknowledge",
    authenticated(async (actor, req) => {
      const alert = await deps.service.acknowledgeAlert(actor, parse(idParam, req.params.incidentId));
      return { alert: { staffId: alert.staffId, acknowledgedAt: alert.acknowledgedAt } };
    }),
  );

  server.get("/api/form-options", authenticated((actor) => deps.service.formOptions(actor)));
}

/** Error detail safe to log: names and codes, never the message of an unknown error (it may quote input). */
function errorSummary(err: unknown) {
  if (err && typeof err === "object") {
    const e = err as { name?: string; code?: string | number; statusCode?: number };
    return { name: e.name, code: e.code, statusCode: e.statusCode };
  }
  return { name: typeof err };
}
