/**
 * The OpenAPI 3.1 description of the tab API, generated from the contract (routes.ts for what each
 * route answers, route-inputs.ts for what it accepts) with zod's own JSON Schema output, so the
 * document cannot drift from what the server parses and the tab expects.
 */
import { z } from "zod";
import { ROUTE_LIST, BINARY, CSV, type RouteDef } from "./routes.js";
import { routeInputs, type RouteInputs } from "./route-inputs.js";
import { errorBodySchema } from "./views.js";

type JsonSchema = Record<string, unknown>;

/** JSON Schema 2020-12 (OpenAPI 3.1's dialect) for a request (input) or an answer (output). */
const jsonSchema = (schema: z.core.$ZodType, io: "input" | "output"): JsonSchema => {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: "any" }) as JsonSchema;
  return rest;
};

const errorResponse = (description: string) => ({ description, content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } } });

function errorsFor(route: RouteDef) {
  if (route.auth === "none") return { "503": errorResponse("The record store does not answer") };
  return {
    "400": errorResponse("Invalid input; `fields` names each problem"),
    "401": errorResponse('Missing or invalid token; or MFA required (WWW-Authenticate error="insufficient_claims")'),
    "403": errorResponse("The signed-in member of staff's role may not do this"),
    "404": errorResponse(route.record ? "Not found, or not one the signed-in member of staff may see (the two answer alike)" : "Not found"),
    ...(route.record === "write" ? { "409": errorResponse("The record changed meanwhile, or this form was already used") } : {}),
    ...(route.body === BINARY ? { "413": errorResponse("The file is too large"), "415": errorResponse("The file's type is not accepted") } : {}),
    "429": errorResponse("Too many requests; wait Retry-After seconds"),
    "503": errorResponse("Record store unavailable; nothing was saved; retry"),
  };
}

const openApiPath = (path: string) => path.replace(/:([A-Za-z]+)/g, "{$1}");

function parametersOf(inputs: RouteInputs) {
  const out: JsonSchema[] = [];
  for (const [where, schema] of [
    ["path", inputs.params],
    ["query", inputs.query],
  ] as const) {
    if (!schema) continue;
    const shape = jsonSchema(schema, "input") as { properties?: Record<string, JsonSchema>; required?: string[] };
    for (const [name, property] of Object.entries(shape.properties ?? {})) {
      out.push({ name, in: where, required: where === "path" || (shape.required ?? []).includes(name), schema: property });
    }
  }
  return out;
}

function operationOf(route: RouteDef) {
  const inputs: RouteInputs = routeInputs[route.id as keyof typeof routeInputs];
  const responses: Record<string, unknown> = {};
  for (const [status, schema] of Object.entries(route.responses)) {
    responses[status] =
      schema === BINARY
        ? { description: "The file, as a download", content: { "application/octet-stream": { schema: { type: "string", format: "binary" } } } }
        : schema === CSV
          ? { description: "CSV (RFC 4180, UTF-8) with a header row, as a download", content: { "text/csv": { schema: { type: "string" } } } }
          : { description: status === "201" ? "Created" : "OK", content: { "application/json": { schema: jsonSchema(schema!, "output") } } };
  }
  const body =
    route.body === BINARY
      ? { required: true, content: { "application/octet-stream": { schema: { type: "string", format: "binary" } } } }
      : inputs.body
        ? { required: true, content: { "application/json": { schema: jsonSchema(inputs.body, "input") } } }
        : undefined;
  return {
    operationId: route.id,
    summary: route.summary,
    ...(route.auth === "none" ? { security: [] } : {}),
    parameters: parametersOf(inputs),
    ...(body ? { requestBody: body } : {}),
    responses: { ...responses, ...errorsFor(route) },
  };
}

let cached: object | undefined;

export function openApiDocument(): object {
  if (cached) return cached;
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of ROUTE_LIST) (paths[openApiPath(route.path)] ??= {})[route.method.toLowerCase()] = operationOf(route);
  cached = {
    openapi: "3.1.0",
    info: {
      title: "Keepsafe tab API",
      version: "1.0.0",
      description: "Safeguarding records for the Keepsafe Teams tab. Every route but /healthz needs an Entra ID bearer token for the Keepsafe app.",
    },
    servers: [{ url: "/" }],
    security: [{ entra: [] }],
    paths,
    components: {
      securitySchemes: {
        entra: { type: "http", scheme: "bearer", bearerFormat: "JWT", description: "Teams SSO token for api://{domain}/{clientId} (access_as_user)" },
      },
      schemas: { Error: jsonSchema(errorBodySchema, "output") },
    },
  };
  return cached;
}
