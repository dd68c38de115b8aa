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
import { recordIncidentInputSchema } from "../app/record-incident.js";
import { addActionInputSchema } from "../app/add-action.js";
import { BODY_MAP_LIMITS, BODY_SIDES } from "../domain/body-map.js";
import type { DraftStore } from "../domain/files.js";
import { toHttpError } from "./http-errors.js";
import { openApiDocument } from "./openapi.js";
import { parseInput, queryOf } from "./plain-input.js";
import { childLogger } from "../logger.js";

const log = childLogger("tab-api");

export interface TabApiDeps {
  service: KeepsafeService;
  tokens: TokenValidator;
  mfaPassed: (claims: ValidatedClaims) => boolean;
  mfaChallenge: () => string;
  /** Reports whether the record store answers, for /healthz. */
  storeHealthy: () => Promise<boolean>;
  /** The forms' drafts: a body map drawn in the tab's form is kept there until the concern is recorded. */
  drafts?: DraftStore;
}

const idParam = z.string().trim().min(1).max(200).regex(/^[A-Za-z0-9:_-]+$/, "Not a valid id.");
// Every body and query has a strict schema: a key the route does not know is refused, not ignored.
const noQuery = z.strictObject({});
const pupilQuery = z.strictObject({ query: z.string().trim().max(100, "Search with at most 100 characters.").default("") });
/** "Mark as read" carries nothing; a body, if sent, must be empty. */
const acknowledgeBody = z.strictObject({}).optional();
const addActionBody = z.strictObject(addActionInputSchema.omit({ incidentId: true }).shape);
const markText = (max: number) => z.string().trim().max(max, `Keep each description to ${max} characters.`).optional().transform((s) => s || undefined);
/** The body map drawn in the tab's form, sent with the concern (the bot's dialog saves it separately). */
const tabBodyMapShape = {
  bodyMap: z
    .object({
      marks: z
        .array(
          z.strictObject({
            side: z.enum(BODY_SIDES),
            x: z.number().min(0).max(1),
            y: z.number().min(0).max(1),
            colour: markText(BODY_MAP_LIMITS.colourMaxLength),
            shape: markText(BODY_MAP_LIMITS.shapeMaxLength),
            size: markText(BODY_MAP_LIMITS.sizeMaxLength),
            note: markText(BODY_MAP_LIMITS.noteMaxLength),
          }),
        )
        .max(BODY_MAP_LIMITS.maxMarks, `A body map can have at most ${BODY_MAP_LIMITS.maxMarks} marks.`),
    })
    .optional(),
};
/** The tab's concern: the command's own input, plus the body map drawn in the form. */
const tabConcernBody = z.strictObject({ ...recordIncidentInputSchema.shape, ...tabBodyMapShape });

type Handler = (actor: Actor, req: Request) => Promise<unknown>;
/** A handler that chooses its own success status (201 for a new record). */
const ANSWER = Symbol("answer");
type Answer = { [ANSWER]: true; status: number; body: unknown };
const answered = (value: unknown): value is Answer => !!value && typeof value === "object" && ANSWER in value;

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
      const result = await handler(actor, req);
      if (answered(result)) send(res, result.status, result.body);
      else send(res, 200, result);
    } catch (err) {
      const answer = toHttpError(err, deps.mfaChallenge);
      if (answer.status >= 500) log.error({ err: errorSummary(err), route: req.getRoute()?.path }, "request failed");
      send(res, answer.status, answer.body, answer.headers);
    }
  };

  const parse = parseInput;
  /** Routes that take no query still refuse one, so nothing unexpected rides along unread. */
  const withoutQuery = (handler: Handler): Handler => (actor, req) => {
    parse(noQuery, queryOf(req.url));
    return handler(actor, req);
  };

  server.get("/healthz", async (_req: Request, res: Response) => {
    const store = await deps.storeHealthy().catch(() => false);
    send(res, store ? 200 : 503, { status: store ? "ok" : "degraded", store: store ? "ok" : "unavailable" });
  });

  server.get("/api/openapi.json", async (_req: Request, res: Response) => {
    send(res, 200, openApiDocument());
  });

  server.get("/api/me", authenticated(withoutQuery((actor) => deps.service.me(actor))));

  server.get(
    "/api/pupils",
    authenticated(async (actor, req) => {
      const { query } = parse(pupilQuery, queryOf(req.url));
      return { pupils: await deps.service.searchPupils(actor, query) };
    }),
  );

  server.get(
    "/api/pupils/:pupilId/chronology",
    authenticated(withoutQuery((actor, req) => deps.service.getChronology(actor, parse(idParam, req.params.pupilId)))),
  );

  server.get(
    "/api/incidents/:incidentId",
    authenticated(withoutQuery((actor, req) => deps.service.getIncidentView(actor, parse(idParam, req.params.incidentId)))),
  );

  server.post(
    "/api/incidents/:incidentId/acknowledge",
    authenticated(withoutQuery(async (actor, req) => {
      const incidentId = parse(idParam, req.params.incidentId);
      parse(acknowledgeBody, req.body);
      const alert = await deps.service.acknowledgeAlert(actor, incidentId);
      return { alert: { staffId: alert.staffId, acknowledgedAt: alert.acknowledgedAt } };
    })),
  );

  server.get("/api/form-options", authenticated(withoutQuery((actor) => deps.service.formOptions(actor))));

  // "Add action": a follow-up, outcome or correction; a repeat with the same requestId adds nothing.
  server.post(
    "/api/incidents/:incidentId/actions",
    authenticated(withoutQuery(async (actor, req) => {
      const incidentId = parse(idParam, req.params.incidentId);
      const body = parse(addActionBody, req.body);
      const { action, created } = await deps.service.addAction(actor, { ...body, incidentId });
      log.info({ event: created ? "action.added" : "action.replayed", incidentId, actionId: action.id, staffId: actor.staffId }, "action from the tab");
      return { [ANSWER]: true, status: created ? 201 : 200, body: { action } };
    })),
  );

  // The tab's "Record a concern" form: the same command, checks and answers as the bot's card.
  server.post(
    "/api/incidents",
    authenticated(withoutQuery(async (actor, req) => {
      const { bodyMap, ...input } = parse(tabConcernBody, req.body);
      if (input.source !== "tab") throw ValidationError([{ field: "source", message: "This door records concerns from the tab only." }]);
      if (bodyMap && deps.drafts) {
        // Kept with the form's draft, as the bot's body map dialog does; recording attaches it.
        const owner = { staffId: actor.staffId, schoolId: actor.schoolId };
        await deps.drafts.saveBodyMap(owner, input.submissionId, { marks: bodyMap.marks, recordedAt: new Date().toISOString(), recordedBy: actor.staffId });
      }
      const { incident, created } = await deps.service.recordIncident(actor, input);
      log.info({ event: created ? "incident.recorded" : "incident.replayed", source: "tab", staffId: actor.staffId }, "concern from the tab");
      return { [ANSWER]: true, status: created ? 201 : 200, body: { incident: { id: incident.id, reference: incident.reference } } };
    })),
  );
}

/** Error detail safe to log: names and codes, never the message of an unknown error (it may quote input). */
function errorSummary(err: unknown) {
  if (err && typeof err === "object") {
    const e = err as { name?: string; code?: string | number; statusCode?: number };
    return { name: e.name, code: e.code, statusCode: e.statusCode };
  }
  return { name: typeof err };
}
