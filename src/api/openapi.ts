/** The OpenAPI 3.1 description of the tab API, served at /api/openapi.json. */
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const json = (schema: object) => ({ "application/json": { schema } });
const errors = {
  "400": { description: "Invalid input (unknown, prototype-named or mistyped fields are named in `fields`)", content: json(ref("Error")) },
  "401": {
    description: "Missing or invalid token; or MFA required (WWW-Authenticate error=\"insufficient_claims\")",
    content: json(ref("Error")),
  },
  "403": { description: "The member of staff's role may not do this (for any record, existing or not)", content: json(ref("Error")) },
  "404": { description: "Not found, or not one this member of staff may see: both answer the same", content: json(ref("Error")) },
  "503": { description: "Record store unavailable; retry", content: json(ref("Error")) },
};
const ok = (description: string, schema: object) => ({ "200": { description, content: json(schema) }, ...errors });
const idPath = (name: string) => ({ name, in: "path", required: true, schema: { type: "string", pattern: "^[A-Za-z0-9:_-]+$" } });
/** An operation on one record named in the path, answering 200 with `schema`. */
const onRecord = (operationId: string, summary: string, pathId: string, description: string, schema: object) => ({
  operationId,
  summary,
  parameters: [idPath(pathId)],
  responses: ok(description, schema),
});
/** A create made idempotent by a request id: 201 the first time, 200 with the first result on a repeat. */
const createdOnce = (created: string, repeated: string, schema: object) => ({
  "201": { description: created, content: json(schema) },
  "200": { description: repeated, content: json(schema) },
});

const PupilSummary = {
  type: "object",
  required: ["id", "displayName", "yearGroup", "className", "flags"],
  properties: {
    id: { type: "string" },
    displayName: { type: "string" },
    yearGroup: { type: "string" },
    className: { type: "string" },
    flags: {
      type: "array",
      description: "Only the flags the signed-in role may know: all for DSLs, all but CP and CIN for SLT, none for other staff or without MFA",
      items: { type: "string", enum: ["LAC", "CP", "CIN", "SEND", "EAL", "PPG", "YC"] },
    },
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
        get: onRecord(
          "getChronology",
          "A pupil's chronology, newest first, filtered to what the signed-in member of staff may see",
          "pupilId",
          "Chronology",
          ref("Chronology"),
        ),
      },
      "/api/incidents": {
        post: {
          operationId: "recordIncident",
          summary: "Record a concern from the tab: the same command as the bot's form (source \"tab\"); the incident cannot be edited afterwards",
          requestBody: { required: true, content: json(ref("RecordIncidentInput")) },
          responses: {
            ...createdOnce("Recorded", "Already recorded with this submissionId by the same person: the first incident", ref("Recorded")),
            "409": { description: "The submissionId was used by someone else", content: json(ref("Error")) },
            ...errors,
          },
        },
      },
      "/api/incidents/{incidentId}": {
        get: onRecord("getIncident", "One incident, read-only (viewing is audited)", "incidentId", "Incident", ref("IncidentView")),
      },
      "/api/incidents/{incidentId}/acknowledge": {
        post: onRecord("acknowledgeIncident", "Mark as read: acknowledge the signed-in member of staff's alert", "incidentId", "Acknowledged", {
          type: "object",
          properties: { alert: { type: "object", properties: { staffId: { type: "string" }, acknowledgedAt: { type: "string", format: "date-time" } } } },
        }),
      },
      "/api/incidents/{incidentId}/actions": {
        post: {
          operationId: "addAction",
          summary:
            "Add an action (follow-up, outcome, or a correction of the incident) that has happened or been agreed; the tagged staff are alerted (Teams and email: who added it and the categories only). Seen only by those tagged, its author and DSLs",
          parameters: [idPath("incidentId")],
          requestBody: { required: true, content: json(ref("AddActionInput")) },
          responses: {
            ...createdOnce("Added", "Already added with this requestId by the same person: the first action", {
              type: "object",
              required: ["action"],
              properties: { action: ref("Action") },
            }),
            ...errors,
          },
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
                  actionId: { type: "string", description: "On kind \"action\" rows: the action (occurredAt, raisedBy and summary are the action's)" },
                  actionKind: { type: "string", enum: ["action", "correction"] },
                },
              },
            },
          },
        },
        AddActionInput: {
          type: "object",
          required: ["requestId", "text", "occurredAt"],
          properties: {
            requestId: { type: "string", minLength: 8, maxLength: 100, pattern: "^[A-Za-z0-9:_-]+$", description: "Made once per form; a repeat returns the first action" },
            text: { type: "string", minLength: 1, maxLength: 5000, description: "What was done or agreed (LIMITS.actionMaxLength)" },
            occurredAt: { type: "string", format: "date-time", description: "When it happened or was agreed; not in the future (5 minutes' drift allowed)" },
            taggedStaffIds: {
              type: "array",
              maxItems: 30,
              items: { type: "string" },
              description: "Active staff to alert; never an adult an allegation names (400 on field taggedStaffIds)",
            },
            kind: { type: "string", enum: ["action", "correction"], default: "action" },
          },
        },
        Action: {
          type: "object",
          required: ["id", "kind", "text", "occurredAt", "recordedAt", "recordedBy", "taggedStaffIds", "taggedNames"],
          properties: {
            id: { type: "string" },
            kind: { type: "string", enum: ["action", "correction"] },
            text: { type: "string" },
            occurredAt: { type: "string", format: "date-time" },
            recordedAt: { type: "string", format: "date-time" },
            recordedBy: StaffRef,
            taggedStaffIds: { type: "array", items: { type: "string" } },
            taggedNames: { type: "array", items: { type: "string" } },
          },
        },
        Recorded: {
          type: "object",
          required: ["incident"],
          properties: { incident: { type: "object", required: ["id", "reference"], properties: { id: { type: "string" }, reference: { type: "string" } } } },
        },
        RecordIncidentInput: {
          type: "object",
          required: ["submissionId", "pupilId", "categoryIds", "occurredAt", "account", "source"],
          properties: {
            submissionId: { type: "string", minLength: 8, maxLength: 100, description: "Made by the form; a repeat returns the first incident" },
            pupilId: { type: "string" },
            linkedPupils: { type: "array", items: { type: "object", properties: { pupilId: { type: "string" }, part: { type: "string", enum: ["involved", "alleged-victim", "alleged-perpetrator", "witness"] } } } },
            categoryIds: { type: "array", items: { type: "string" }, minItems: 1 },
            subCategoryIds: { type: "array", items: { type: "string" } },
            categoryFields: { type: "object", additionalProperties: { type: "object", additionalProperties: { oneOf: [{ type: "string" }, { type: "array", items: { type: "string" } }] } } },
            occurredAt: { type: "string", format: "date-time" },
            session: { type: "string", enum: ["before-school", "morning", "lunch", "afternoon", "after-school", "outside-school"] },
            location: { type: "string" },
            account: { type: "string" },
            disclosure: { type: "boolean" },
            toldDslInPerson: { type: "string", enum: ["yes", "not-yet"] },
            allegationAgainstStaff: { type: "object", properties: { staffIds: { type: "array", items: { type: "string" } } } },
            status: { type: "string", enum: ["active", "closed"] },
            assignedToStaffId: { type: "string" },
            agencyInvolved: { type: "string" },
            plannerReminder: { type: "object", properties: { date: { type: "string", format: "date" }, time: { type: "string" }, note: { type: "string" } } },
            alertStaffIds: { type: "array", items: { type: "string" } },
            alertGroupIds: { type: "array", items: { type: "string" } },
            source: { type: "string", enum: ["tab"] },
            bodyMap: {
              type: "object",
              description: "Marks drawn on the form's body map; kept with the form's files and stored with the incident",
              properties: {
                marks: {
                  type: "array",
                  maxItems: 20,
                  items: {
                    type: "object",
                    required: ["side", "x", "y"],
                    properties: {
                      side: { type: "string", enum: ["front", "back"] },
                      x: { type: "number", minimum: 0, maximum: 1 },
                      y: { type: "number", minimum: 0, maximum: 1 },
                      colour: { type: "string" },
                      shape: { type: "string" },
                      size: { type: "string" },
                      note: { type: "string" },
                    },
                  },
                },
              },
            },
          },
        },
        IncidentView: {
          type: "object",
          required: ["incident", "pupil", "alerts", "actions"],
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
                linkedPupils: { type: "array", items: { type: "object", properties: { pupilId: { type: "string" }, displayName: { type: "string" }, part: Part, partLabel: { type: "string" } } } },
                dayOfWeek: { type: "string" },
                sessionLabel: { type: "string" },
                subCategories: { type: "array", items: { type: "object", properties: { categoryName: { type: "string" }, name: { type: "string" } } } },
                categoryFields: { type: "array", items: { type: "object", properties: { categoryName: { type: "string" }, label: { type: "string" }, value: { type: "string" } } } },
                disclosure: { type: "boolean" },
                toldDslInPerson: { type: "boolean" },
                allegation: { type: "object", description: "Shown to DSL-level readers only", properties: { note: { type: "string" } } },
                assignedTo: StaffRef,
                agencyInvolved: { type: "string" },
                plannerReminder: { type: "object", properties: { date: { type: "string" }, time: { type: "string" }, note: { type: "string" } } },
                origin: { type: "object", properties: { kind: { type: "string", enum: ["teams-message"] }, sender: { type: "string" }, sentAt: { type: "string", format: "date-time" } } },
                bodyMap: { type: "object", properties: { marks: { type: "array", items: { type: "object" } }, recordedAt: { type: "string", format: "date-time" } } },
                files: {
                  type: "array",
                  items: {
                    type: "object",
                    properties: {
                      fileId: { type: "string" }, name: { type: "string" }, contentType: { type: "string" }, typeLabel: { type: "string" },
                      size: { type: "integer" }, uploadedBy: StaffRef, writtenBy: { type: "string" }, uploadedAt: { type: "string", format: "date-time" },
                      downloadUrl: { type: "string", description: "GET with the bearer token" },
                    },
                  },
                },
              },
            },
            pupil: ref("PupilSummary"),
            alerts: {
              type: "array",
              items: { type: "object", properties: { staffId: { type: "string" }, name: { type: "string" }, acknowledgedAt: { type: "string", format: "date-time" } } },
            },
            myAlert: { type: "object", properties: { acknowledgedAt: { type: "string", format: "date-time" } } },
            actions: { type: "array", description: "The actions this reader may see, oldest first by occurredAt", items: ref("Action") },
          },
        },
      },
    },
  };
}
