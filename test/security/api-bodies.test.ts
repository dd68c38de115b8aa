/**
 * Every tab API body and query is parsed by a strict zod schema into plain data, after refusing
 * `__proto__`, `constructor` and `prototype` keys anywhere (restify's JSON.parse makes
 * "__proto__" an ordinary own key). Sent as raw JSON text over real HTTP: a JS object literal
 * with "__proto__" would set its prototype instead of carrying the key.
 */
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import fc from "fast-check";
import { startTestKeepsafe, staffByRole, type TestKeepsafe } from "../support/keepsafe-instance.js";

type Problem = { field: string; message: string };
type ErrorBody = { error: { code: string; fields?: Problem[] } };

const polluted = () => Object.prototype.hasOwnProperty.call(Object.prototype, "polluted") || ({} as Record<string, unknown>).polluted !== undefined;

describe("security: tab API bodies and queries are parsed into plain data, refusing prototype keys", function () {
  this.timeout(120_000);
  let keepsafe: TestKeepsafe;
  let token: string;
  let incidentId: string;
  let pupilId: string;
  const dsl = staffByRole(/^DSL/);
  const occurredAt = new Date(Date.now() - 3600_000).toISOString();

  const send = async (method: string, path: string, raw?: string) => {
    const res = await keepsafe.api(path, token, {
      method,
      ...(raw === undefined ? {} : { body: raw, headers: { "content-type": "application/json" } }),
    });
    return { status: res.status, body: (await res.json()) as ErrorBody };
  };
  const refused = async (method: string, path: string, raw: string | undefined, field: string | RegExp) => {
    const { status, body } = await send(method, path, raw);
    assert.equal(status, 400, `${method} ${path} ${raw?.slice(0, 80)}: ${JSON.stringify(body)}`);
    assert.equal(body.error.code, "validation_failed");
    const fields = (body.error.fields ?? []).map((f) => f.field);
    assert.ok(
      fields.some((f) => (typeof field === "string" ? f === field : field.test(f))),
      `expected ${field} in ${fields}`,
    );
    assert.equal(polluted(), false, "Object.prototype unchanged");
    return body;
  };
  const actionsStored = async () => (await keepsafe.service["deps"].records.actionsForIncident(incidentId, pupilId)).length;

  before(async () => {
    keepsafe = await startTestKeepsafe();
    token = await keepsafe.tokenFor(dsl);
    pupilId = ((await (await keepsafe.api("/api/pupils?query=a", token)).json()) as { pupils: { id: string }[] }).pupils[0].id;
    const recorded = await keepsafe.api("/api/incidents", token, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        submissionId: `bodies-${randomUUID()}`,
        source: "tab",
        pupilId,
        categoryIds: ["behaviour"],
        occurredAt,
        account: "Threw a chair in the classroom during maths.",
        alertStaffIds: [dsl.oid],
      }),
    });
    assert.equal(recorded.status, 201, await recorded.clone().text());
    incidentId = ((await recorded.json()) as { incident: { id: string } }).incident.id;
  });
  after(async () => keepsafe?.cleanup());

  const actionJson = (extra: string) => `{"requestId":"req-bodies-0001","text":"Spoke to the class teacher.","occurredAt":"${occurredAt}"${extra}}`;

  it("refuses __proto__, and constructor.prototype nested deep, in an action's body; nothing is stored", async () => {
    const path = `/api/incidents/${incidentId}/actions`;
    const before = await actionsStored();
    const top = await refused("POST", path, actionJson(`,"__proto__":{"polluted":"yes","taggedStaffIds":["x"]}`), "__proto__");
    assert.match(top.error.fields![0].message, /"__proto__" is not accepted/);
    await refused(
      "POST",
      path,
      actionJson(`,"taggedStaffIds":[{"a":{"b":{"constructor":{"prototype":{"polluted":"yes"}}}}}]`),
      "taggedStaffIds.0.a.b.constructor",
    );
    await refused("POST", path, actionJson(`,"extra":{"prototype":{"polluted":"yes"}}`), "extra.prototype");
    assert.equal(await actionsStored(), before);
  });

  it("refuses prototype keys in a concern's category fields and body map, storing nothing", async () => {
    const submissionId = `bodies-${randomUUID()}`;
    const concern = (extra: string) =>
      `{"submissionId":"${submissionId}","source":"tab","pupilId":"${pupilId}","categoryIds":["behaviour"],"occurredAt":"${occurredAt}","account":"Threw a chair in the classroom during maths.","alertStaffIds":["${dsl.oid}"]${extra}}`;
    await refused("POST", "/api/incidents", concern(`,"categoryFields":{"__proto__":{"agencyInvolved":"X"}}`), "categoryFields.__proto__");
    await refused(
      "POST",
      "/api/incidents",
      concern(`,"bodyMap":{"marks":[{"side":"front","x":0.5,"y":0.5,"constructor":{"prototype":{"polluted":1}}}]}`),
      "bodyMap.marks.0.constructor",
    );
    assert.equal(await keepsafe.service["deps"].records.findBySubmission(submissionId), undefined, "nothing stored");
    // The same body without the bad key is recorded: the refusal was for the key alone.
    assert.equal((await send("POST", "/api/incidents", concern(""))).status, 201);
  });

  it("refuses unknown fields, wrong types, huge strings and bodies that are not objects, each naming the field", async () => {
    const path = `/api/incidents/${incidentId}/actions`;
    const before = await actionsStored();
    const unknown = await refused("POST", path, actionJson(`,"incidentId":"another-incident"`), "incidentId");
    assert.match(unknown.error.fields![0].message, /not part of the form/);
    await refused("POST", path, `{"requestId":"req-bodies-0002","text":123,"occurredAt":"${occurredAt}"}`, "text");
    await refused("POST", path, actionJson(`,"taggedStaffIds":"everyone"`), "taggedStaffIds");
    await refused("POST", path, `{"requestId":"req-bodies-0003","text":"${"x".repeat(200_000)}","occurredAt":"${occurredAt}"}`, "text");
    await refused("POST", path, `{"requestId":"${"r".repeat(50_000)}","text":"Spoke to them.","occurredAt":"${occurredAt}"}`, "requestId");
    await refused("POST", path, "[]", "form");
    await refused("POST", path, '"just a string"', "form");
    await refused("POST", `/api/incidents/${incidentId}/acknowledge`, '{"__proto__":{"polluted":"yes"}}', "__proto__");
    await refused("POST", `/api/incidents/${incidentId}/acknowledge`, '{"acknowledgedAt":"2020-01-01T00:00:00Z"}', "acknowledgedAt");
    let deep = '"leaf"';
    for (let i = 0; i < 50; i++) deep = `{"a":${deep}}`;
    await refused("POST", path, actionJson(`,"taggedStaffIds":[${deep}]`), /^taggedStaffIds\.0(\.a)+$/);
    assert.equal(await actionsStored(), before);
  });

  it("refuses prototype keys, unknown keys and repeated keys in every query", async () => {
    await refused("GET", "/api/pupils?query=a&__proto__=x", undefined, "__proto__");
    await refused("GET", "/api/pupils?query=a&constructor=x", undefined, "constructor");
    await refused("GET", "/api/pupils?query=a&query=b", undefined, "query");
    await refused("GET", "/api/pupils?query=a&top=500", undefined, "top");
    await refused("GET", `/api/pupils?query=${"a".repeat(500)}`, undefined, "query");
    await refused("GET", "/api/me?__proto__[polluted]=yes", undefined, "__proto__[polluted]");
    await refused("GET", "/api/form-options?prototype=1", undefined, "prototype");
    await refused("GET", `/api/incidents/${incidentId}?constructor=1`, undefined, "constructor");
    await refused("GET", `/api/pupils/${pupilId}/chronology?x=1`, undefined, "x");
    await refused("GET", `/api/files?submissionId=${randomUUID()}&__proto__=1`, undefined, "__proto__");
    await refused("GET", `/api/files?submissionId=a&submissionId=b`, undefined, "submissionId");
    await refused("POST", `/api/files?submissionId=${randomUUID()}&prototype=1`, "hello", "prototype");
    // The ordinary queries still work.
    assert.equal((await send("GET", "/api/pupils?query=a")).status, 200);
    assert.equal((await send("GET", "/api/me")).status, 200);
  });

  it("refuses a prototype key hidden anywhere in an otherwise valid action (fast-check, over HTTP)", async () => {
    const path = `/api/incidents/${incidentId}/actions`;
    const before = await actionsStored();
    const runs = Number(process.env.KEEPSAFE_FUZZ_RUNS ?? 25);
    const key = fc.constantFrom("__proto__", "constructor", "prototype");
    // A JSON value whose nested objects hide one refused key somewhere inside.
    const hidden = fc
      .tuple(key, fc.array(fc.constantFrom("a", "b", "0"), { maxLength: 5 }), fc.jsonValue({ maxDepth: 2 }), fc.boolean())
      .map(([bad, route, leaf, inArray]) => {
        let text = `{"${bad}":${JSON.stringify(leaf) ?? "null"}}`;
        for (const step of route.reverse()) text = `{"${step}":${text}}`;
        return inArray ? `[${text}]` : text;
      });
    await fc.assert(
      fc.asyncProperty(fc.constantFrom("taggedStaffIds", "text", "kind", "__extra"), hidden, async (field, value) => {
        const { status, body } = await send("POST", path, actionJson(`,"${field}":${value}`));
        return status === 400 && body.error.code === "validation_failed" && !polluted();
      }),
      { numRuns: runs },
    );
    assert.equal(await actionsStored(), before);
  });
});
