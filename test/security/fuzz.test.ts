/**
 * Property-based fuzzing of every door from outside, over real HTTP against a whole in-process
 * Keepsafe: the bot's invokes and messages at /api/messages and the tab API's bodies, queries and
 * ids. Payloads are written as JSON text, so `__proto__` arrives as a key exactly as an attacker
 * would send it. Every answer must be under 500 and hold no internals, Object.prototype must stay
 * as it was, and afterwards every stored incident must be whole (its audit event and alerts).
 * Bounded in npm test; KEEPSAFE_FUZZ_RUNS=1000 runs each property longer.
 */
import assert from "node:assert/strict";
import fc from "fast-check";
import { ALERT_CARD_VERBS } from "../../bot/cards/alert-card.js";
import { REFRESH_CONCERN_VERB, SUBMIT_CONCERN_VERB } from "../../bot/cards/record-concern-card.js";
import { startTestKeepsafe, staffByRole, type TestKeepsafe } from "../support/keepsafe-instance.js";

const RUNS = Number(process.env.KEEPSAFE_FUZZ_RUNS) || 30;
const VERBS = [SUBMIT_CONCERN_VERB, REFRESH_CONCERN_VERB, ...ALERT_CARD_VERBS];

// ---- arbitraries, as JSON text ----------------------------------------------------------------

const PROTO_KEYS = [
  "__proto__",
  "constructor",
  "prototype",
  "categoryFields.__proto__.x",
  "categoryFields.__proto__.agencyInvolved",
  "categoryFields.constructor.prototype.polluted",
  "__proto__.polluted",
  "subCategories.__proto__",
  "polluted",
];
const FIELDS = [
  "pupilId",
  "categoryIds",
  "subCategoryIds",
  "account",
  "occurredDate",
  "occurredTime",
  "occurredAt",
  "session",
  "location",
  "alertStaffIds",
  "alertGroupIds",
  "submissionId",
  "verb",
  "incidentId",
  "requestId",
  "text",
  "kind",
  "taggedStaffIds",
  "origin",
  "originMessage",
  "dialog",
  "marks",
  "files",
  "source",
  "categoryFields",
  "linkedPupils",
  "bodyMap",
  "toldDslInPerson",
  "disclosure",
];

const huge = fc
  .integer({ min: 1, max: 200_000 })
  .chain((n) => fc.constantFrom("x", "é", "𝕏", "\u0000", "[a](b)", "<", "%").map((c) => c.repeat(Math.ceil(n / c.length))));
const str = fc.oneof(
  fc.string(),
  fc.string({ unit: "grapheme" }),
  fc.string({ unit: "binary" }),
  fc.constantFrom(...PROTO_KEYS, ...FIELDS, "", " ", "welfare", "../../etc/passwd", "%00", "NaN"),
  huge,
);
/** Dotted card keys ("categoryFields.{category}.{field}") with a prototype key in either place. */
const dotted = fc
  .tuple(
    fc.constantFrom("categoryFields", "subCategories"),
    fc.constantFrom("__proto__", "constructor", "prototype", "welfare"),
    fc.constantFrom("__proto__", "prototype", "agencyInvolved", "polluted"),
  )
  .map((parts) => parts.join("."));
const key = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...PROTO_KEYS) },
  { weight: 2, arbitrary: dotted },
  { weight: 3, arbitrary: fc.constantFrom(...FIELDS) },
  { weight: 1, arbitrary: fc.string() },
);
const scalar = fc.oneof(
  str.map((s) => JSON.stringify(s)),
  fc.integer().map(String),
  fc.double({ noNaN: true, noDefaultInfinity: true }).map(String),
  fc.constantFrom("true", "false", "null", "1e308", "-0"),
);
const json: fc.Arbitrary<string> = fc.letrec<{ value: string }>((tie) => ({
  value: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    scalar,
    fc.array(tie("value"), { maxLength: 4 }).map((xs) => `[${xs.join(",")}]`),
    fc.array(fc.tuple(key, tie("value")), { maxLength: 6 }).map(objectText),
  ),
})).value;
/** Nesting far deeper than any real payload, in objects and arrays. */
const deep = fc
  .tuple(fc.integer({ min: 50, max: 5_000 }), fc.constantFrom(...PROTO_KEYS, "a"), fc.boolean())
  .map(([n, k, arr]) => (arr ? `${"[".repeat(n)}1${"]".repeat(n)}` : `${`{${JSON.stringify(k)}:`.repeat(n)}1${"}".repeat(n)}`));
/** An object with the known fields (wrong types likely) and prototype keys among them. */
const fields = fc.array(fc.tuple(key, fc.oneof({ weight: 4, arbitrary: json }, { weight: 1, arbitrary: deep })), { maxLength: 12 }).map(objectText);
const anything = fc.oneof({ weight: 1, arbitrary: json }, { weight: 1, arbitrary: deep }, { weight: 3, arbitrary: fields });

function objectText(entries: [string, string][]): string {
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${v}`).join(",")}}`;
}

/** A field object with `extra` text spliced in (keys written as text: `__proto__` stays a key). */
const withEntries = (base: Record<string, unknown>, extra: string) => {
  const own = JSON.stringify(base).slice(1, -1);
  const more = extra.startsWith("{") ? extra.slice(1, -1) : "";
  return `{${[own, more].filter(Boolean).join(",")}}`;
};

// ---- the checks on every answer ---------------------------------------------------------------

const PROTO_NAMES = Object.getOwnPropertyNames(Object.prototype).sort();
const INTERNALS = [/\/work\//, /node_modules/, /\n\s*at \S/, /\bat [\w.<>]+ \(/, /\.ts:\d+/, /\.js:\d+:\d+/];

function assertClean(what: string, status: number, body: string) {
  assert.ok(status < 500, `${what}: status ${status}: ${body.slice(0, 300)}`);
  for (const pattern of INTERNALS) assert.ok(!pattern.test(body), `${what}: internals (${pattern}) in ${body.slice(0, 300)}`);
  const added = Object.getOwnPropertyNames(Object.prototype).filter((n) => !PROTO_NAMES.includes(n));
  // The test cleans up what a payload added, so one pollution fails its own property, not every later test in the run.
  for (const name of added) delete (Object.prototype as Record<string, unknown>)[name];
  assert.deepEqual(added, [], `${what}: Object.prototype gained ${added.join(", ")}`);
}

describe("security: fuzz — every door from outside", function () {
  this.timeout(RUNS > 100 ? 0 : 120_000);
  let keepsafe: TestKeepsafe;
  const teacher = staffByRole(/^Teacher \(Year 3\)/);
  const dsl = staffByRole(/^DSL/);
  let tokens: { teacher: string; dsl: string };
  let pupilId: string;
  let incidentId: string;
  const conversationId = `local-${teacher.oid}`;

  const activityText = (extra: string) => {
    const base = {
      id: `act-${Math.random().toString(36).slice(2)}`,
      channelId: "msteams",
      serviceUrl: `${keepsafe.url}/local-connector/`,
      timestamp: new Date().toISOString(),
      from: { id: `29:${teacher.oid}`, aadObjectId: teacher.oid, name: teacher.displayName },
      recipient: { id: "28:keepsafe-bot", name: "Keepsafe" },
      conversation: { id: conversationId, conversationType: "personal", tenantId: keepsafe.config.identity.tenantId },
      channelData: { tenant: { id: keepsafe.config.identity.tenantId } },
    };
    return `${JSON.stringify(base).slice(0, -1)},${extra}}`;
  };

  async function postBot(what: string, extra: string) {
    const before = keepsafe.local.connector!.activities(conversationId).length;
    const res = await fetch(`${keepsafe.url}/api/messages`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: activityText(extra),
    });
    const body = await res.text();
    assertClean(what, res.status, body);
    // Replies that went to the chat (the Action.Submit fallback) hold no internals either.
    const replies = JSON.stringify(keepsafe.local.connector!.activities(conversationId).slice(before));
    assertClean(`${what} (chat reply)`, 200, replies);
  }
  const invoke = (name: string, value: string) => postBot(name, `"type":"invoke","name":${JSON.stringify(name)},"value":${value}`);

  async function callApi(what: string, path: string, token: string, init: RequestInit = {}) {
    const res = await keepsafe.api(path, token, init);
    assertClean(what, res.status, await res.text());
  }
  const postJson = (what: string, path: string, token: string, body: string) =>
    callApi(what, path, token, { method: "POST", headers: { "content-type": "application/json" }, body });

  const check = <T>(arb: fc.Arbitrary<T>, run: (value: T) => Promise<void>) =>
    fc.assert(fc.asyncProperty(arb, run), { numRuns: RUNS, endOnFailure: true });

  before(async () => {
    keepsafe = await startTestKeepsafe();
    tokens = { teacher: await keepsafe.tokenFor(teacher), dsl: await keepsafe.tokenFor(dsl) };
    const actor = await keepsafe.service.resolveActor(teacher.oid, { mfa: false });
    pupilId = (await keepsafe.service.searchPupils(actor, "a"))[0].id;
    const res = await keepsafe.api("/api/incidents", tokens.teacher, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        submissionId: "fuzz-seed-0001",
        pupilId,
        categoryIds: ["welfare"],
        occurredAt: new Date(Date.now() - 3600_000).toISOString(),
        account: "Came in without a coat and said the heating is off at home.",
        alertStaffIds: [dsl.oid],
        source: "tab",
      }),
    });
    assert.equal(res.status, 201);
    incidentId = ((await res.json()) as { incident: { id: string } }).incident.id;
  });
  after(async () => keepsafe?.cleanup());

  // Category ids that are prototype keys, so "categoryFields.__proto__.x" has a category to belong to.
  const protoFields = fc
    .array(
      fc.tuple(
        dotted,
        str.map((v) => JSON.stringify(v)),
      ),
      { minLength: 1, maxLength: 4 },
    )
    .map(objectText);
  const cardData = () =>
    fc
      .tuple(
        fc.constantFrom(...VERBS),
        fc.constantFrom("welfare", "__proto__", "constructor", "welfare,__proto__,prototype"),
        fc.oneof(anything, protoFields),
      )
      .map(([verb, categoryIds, extra]): readonly [string, string] => [
        verb,
        withEntries({ verb, incidentId, pupilId, submissionId: "fuzz-form-0001", categoryIds }, extra),
      ]);

  it("adaptiveCard/action with every verb the bot knows", () =>
    check(cardData(), ([verb, data]) =>
      invoke("adaptiveCard/action", `{"action":{"type":"Action.Execute","verb":${JSON.stringify(verb)},"data":${data}},"trigger":"manual"}`),
    ));

  it("adaptiveCard/action with any value at all", () => check(anything, (value) => invoke("adaptiveCard/action", value)));

  it("the Action.Submit fallback (a message with a value)", () =>
    check(cardData(), ([, data]) => postBot("message with value", `"type":"message","text":"","value":${data}`)));

  it("application/search", () =>
    check(
      fc.oneof(
        anything,
        fc.tuple(str, json).map(([q, o]) => `{"queryText":${JSON.stringify(q)},"dataset":"pupils","queryOptions":${o}}`),
      ),
      (value) => invoke("application/search", value),
    ));

  it("composeExtension/fetchTask and submitAction", () =>
    check(
      fc.tuple(fc.constantFrom("composeExtension/fetchTask", "composeExtension/submitAction"), anything, cardData()),
      ([name, payload, [, data]]) =>
        invoke(name, `{"commandId":"recordConcern","commandContext":"message","messagePayload":${payload},"data":${data}}`),
    ));

  it("task/fetch and task/submit", () =>
    check(
      fc.tuple(fc.constantFrom("task/fetch", "task/submit"), fc.constantFrom("body-map", "files", "__proto__"), anything),
      ([name, dialog, extra]) => invoke(name, `{"data":${withEntries({ dialog, submissionId: "fuzz-form-0001" }, extra)}}`),
    ));

  it("tab API: POST /api/incidents", () =>
    check(anything, (body) =>
      postJson(
        "POST /api/incidents",
        "/api/incidents",
        tokens.teacher,
        withEntries({ source: "tab", pupilId, submissionId: `fuzz-${Math.random()}`.slice(0, 30) }, body),
      ),
    ));

  it("tab API: POST /api/incidents/:id/actions and /acknowledge", () =>
    check(fc.tuple(anything, fc.oneof(fc.constant(incidentId), str)), async ([body, id]) => {
      const at = encodeURIComponent(id);
      await postJson("POST actions", `/api/incidents/${at}/actions`, tokens.dsl, withEntries({ requestId: "fuzz-request-0001" }, body));
      await postJson("POST acknowledge", `/api/incidents/${at}/acknowledge`, tokens.dsl, body);
    }));

  it("tab API: ids and queries (GET incident, chronology, pupils, files)", () =>
    check(fc.tuple(str, str), async ([id, name]) => {
      const at = encodeURIComponent(id);
      await callApi("GET /api/incidents/:id", `/api/incidents/${at}`, tokens.dsl);
      await callApi("GET chronology", `/api/pupils/${at}/chronology`, tokens.dsl);
      await callApi("GET /api/pupils", `/api/pupils?query=${at}&query=${encodeURIComponent(name)}&__proto__[polluted]=1`, tokens.teacher);
      await callApi(
        "GET /api/files",
        `/api/files?submissionId=${at}&name=${encodeURIComponent(name)}&constructor[prototype][polluted]=1`,
        tokens.teacher,
      );
      await callApi("POST /api/files", `/api/files?submissionId=${at}&name=${encodeURIComponent(name)}`, tokens.teacher, {
        method: "POST",
        headers: { "content-type": "text/plain" },
        body: name.slice(0, 1000),
      });
    }));

  it("leaves nothing half-written: every stored incident has its audit event and its alerts", async () => {
    const school = keepsafe.service["deps"].schools;
    const records = keepsafe.service["deps"].records;
    const pupils = await school.listPupils((await keepsafe.service.resolveActor(teacher.oid, { mfa: false })).schoolId);
    let seen = 0;
    for (const p of pupils) {
      const entries = (await records.chronology(p.id)).filter((e) => e.kind === "incident" && e.incidentPupilId === p.id);
      if (!entries.length) continue;
      const audit = await records.auditForPupil(p.id);
      for (const e of entries) {
        seen++;
        const incident = await records.getIncident(e.incidentId);
        assert.ok(incident, `incident ${e.incidentId} is stored`);
        assert.ok(
          audit.some((a) => a.type === "incident.recorded" && a.incidentId === incident.id),
          `incident ${incident.id} has its audit event`,
        );
        const alerts = await records.alertsForIncident(incident.id, incident.pupilId);
        assert.deepEqual(alerts.map((a) => a.staffId).sort(), [...incident.alertedStaffIds].sort(), `incident ${incident.id} has its alerts`);
      }
    }
    assert.ok(seen >= 1, "at least the seeded incident was checked");
  });
});
