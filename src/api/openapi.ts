/** The OpenAPI 3.1 description of the tab API, served at /api/openapi.json. */
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const json = (schema: object) => ({ "application/json": { schema } });
const errors = {
  "400": { description: "Invalid input", content: json(ref("Error")) },
  "401": {
    description: "Missing or invalid token; or MFA required (WWW-Authenticate error=\"insufficient_claims\")",
    content: json(ref("Error")),
  },
  "403": { description: "The signed-in member of staff may not see this", content: json(ref("Error")) },
  "404": { description: "Not found", content: json(ref("Error")) },
  "503": { description: "Record store unavailable; retry", content: json(ref("Error")) },
};
const ok = (description: string, schema: object) => ({ "200": { description, content: json(schema) }, ...errors });
const idPath = (name: string) => ({ name, in: "path", required: true, schema: { type: "string", pattern: "^[A-Za-z0-9:_-]+$" } });

const PupilSummary = {
  type: "object",
  required: ["id", "displayName", "yearGroup", "className", "flags"],
  properties: {
    id: { type: "string" },
    displayName: { type: "string" },
    yearGroup: { type: "string" },
    className: { type: "string" },
    flags: { type: "array", items: { type: "string", enum: ["LAC", "CP", "CIN", "SEND", "EAL", "PPG", "YC"] } },
  },
};
const StaffRef = { type: "object", required: ["staffId", "name"], properties: { staffId: { type: "string" }, name: { type: "string" } } };
const Part = { type: "string", enum: ["subject", "involved", "alleged-victim", "alleged-perpetrator", "witness"] };

export function openApiDocument() {
  return {
    openapi: "3.1.0",
    info: {
      title: "Keepsafe tab API",
      version: "1.0.0",
      description: "Safeguarding records for the Keepsafe Teams tab. Every route needs an Entra ID bearer token for the Keepsafe app.",
    },
    servers: [{ url: "/" }],
    security: [{ entra: [] }],
    paths: {
      "/api/me": { get: { operationId: "getMe", summary: "The signed-in member of staff", responses: ok("Me", ref("Me")) } },
      "/api/pupils": {
        get: {
          operationId: "searchPupils",
          summary: "Pupil typeahead",
          parameters: [{ name: "query", in: "query", required: false, schema: { type: "string", maxLength: 100 } }],
          responses: ok("Matching pupils, best first (15 at most)", {
            type: "object",
            required: ["pupils"],
            properties: { pupils: { type: "array", items: ref("PupilSummary") } },
          }),
        },
      },
      "/api/pupils/{pupilId}/chronology": {
        get: {
          operationId: "getChronology",
          summary: "A pupil's chronology, newest first, filtered to what the signed-in member of staff may see",
          parameters: [idPath("pupilId")],
          responses: ok("Chronology", ref("Chronology")),
        },
      },
      "/api/incidents/{incidentId}": {
        get: {
          operationId: "getIncident",
          summary: "One incident, read-only (viewing is audited)",
          parameters: [idPath("incidentId")],
          responses: ok("Incident", ref("IncidentView")),
        },
      },
      "/api/incidents/{incidentId}/acknowledge": {
        post: {
          operationId: "acknowledgeIncident",
          summary: "Mark as read: acknowledge the signed-in member of staff's alert",
          parameters: [idPath("incidentId")],
          responses: ok("Acknowledged", {
            type: "object",
            properties: { alert: { type: "object", properties: { staffId: { type: "string" }, acknowledgedAt: { type: "string", format: "date-time" } } } },
          }),
        },
      },
      "/api/form-options": {
        get: { operationId: "getFormOptions", summary: "Categories, staff, groups and locations for the concern form", responses: ok("Options", { type: "object" }) },
      },
    },
    components: {
      securitySchemes: { entra: { type: "http", scheme: "bearer", bearerFormat: "JWT" } },
      schemas: {
        Error: {
          type: "object",
          required: ["error"],
          properties: {
            error: {
              type: "object",
              required: ["code", "message"],
              properties: {
                code: { type: "string" },
                message: { type: "string" },
                fields: { type: "array", items: { type: "object", properties: { field: { type: "string" }, message: { type: "string" } } } },
              },
            },
          },
        },
        Me: {
          type: "object",
          properties: {
            staffId: { type: "string" },
            name: { type: "string" },
            role: { type: "string", enum: ["DSL", "DDSL", "SLT", "STAFF"] },
            mfa: { type: "boolean" },
            school: { type: "object", properties: { id: { type: "string" }, name: { type: "string" } } },
          },
        },
        PupilSummary,
        Chronology: {
          type: "object",
          required: ["pupil", "entries"],
          properties: {
            pupil: { allOf: [ref("PupilSummary"), { type: "object", properties: { dateOfBirth: { type: "string", format: "date" } } }] },
            entries: {
              type: "array",
              items: {
                type: "object",
                properties: {
                  kind: { type: "string", enum: ["incident", "action"] },
                  incidentId: { type: "string" },
                  reference: { type: "string" },
                  part: Part,
                  occurredAt: { type: "string", format: "date-time" },
                  recordedAt: { type: "string", format: "date-time" },
                  categoryIds: { type: "array", items: { type: "string" } },
                  categoryNames: { type: "array", items: { type: "string" } },
                  raisedBy: StaffRef,
                  summary: { type: "string" },
                  status: { type: "string", enum: ["active", "closed"] },
                  unacknowledgedAlerts: { type: "integer" },
                },
              },
            },
          },
        },
        IncidentView: {
          type: "object",
          required: ["incident", "pupil", "alerts"],
          properties: {
            incident: {
              type: "object",
              properties: {
                id: { type: "string" },
                reference: { type: "string" },
                pupilId: { type: "string" },
                occurredAt: { type: "string", format: "date-time" },
                recordedAt: { type: "string", format: "date-time" },
                session: { type: "string" },
                location: { type: "string" },
                account: { type: "string" },
                categoryIds: { type: "array", items: { type: "string" } },
                categoryNames: { type: "array", items: { type: "string" } },
                subCategoryNames: { type: "array", items: { type: "string" } },
                raisedBy: StaffRef,
                status: { type: "string", enum: ["active", "closed"] },
                urgent: { type: "boolean" },
                linkedPupils: { type: "array", items: { type: "object", properties: { pupilId: { type: "string" }, displayName: { type: "string" }, part: Part } } },
              },
            },
            pupil: ref("PupilSummary"),
            alerts: {
              type: "array",
              items: { type: "object", properties: { staffId: { type: "string" }, name: { type: "string" }, acknowledgedAt: { type: "string", format: "date-time" } } },
            },
            myAlert: { type: "object", properties: { acknowledgedAt: { type: "string", format: "date-time" } } },
          },
        },
      },
    },
  };
}
