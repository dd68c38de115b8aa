/**
 * The tab API against a running Keepsafe: every /api route needs a valid token, DSLs and SLT need
 * MFA, access follows role and category, and views are audited.
 */
import assert from "node:assert/strict";
import { SignJWT, decodeJwt } from "jose";
import { startTestKeepsafe, staffByRole, type TestKeepsafe } from "../support/keepsafe-instance.js";
import type { Actor } from "../../src/domain/actor.js";

describe("tab API", function () {
  this.timeout(60_000);
  let keepsafe: TestKeepsafe;
  const dsl = staffByRole(/^DSL/);
  const slt = staffByRole(/^SLT/);
  const teacher = staffByRole(/^Teacher \(Year 3\)/);
  let pupilId: string;
  let safeguardingId: string;
  let behaviourId: string;

  const actorFor = async (staff: typeof dsl): Promise<Actor> => keepsafe.service.resolveActor(staff.oid, { mfa: true });

  before(async () => {
    keepsafe = await startTestKeepsafe();
    const teacherActor = await actorFor(teacher);
    pupilId = (await keepsafe.service.searchPupils(teacherActor, "a"))[0].id;
    const base = { pupilId, occurredAt: new Date(Date.now() - 3600_000).toISOString(), source: "tab" as const };
    safeguardingId = (
      await keepsafe.service.recordIncident(teacherActor, {
        ...base,
        submissionId: "api-test-safeguarding",
        categoryIds: ["safeguarding"],
        account: "Said they were scared to go home because of shouting.",
        alertStaffIds: [],
        toldDslInPerson: "yes",
      })
    ).incident.id;
    behaviourId = (
      await keepsafe.service.recordIncident(teacherActor, {
        ...base,
        submissionId: "api-test-behaviour",
        categoryIds: ["behaviour"],
        account: "Threw a chair in the classroom during maths.",
        alertStaffIds: [slt.oid],
      })
    ).incident.id;
  });
  after(async () => keepsafe?.cleanup());

  const ROUTES = () => [
    ["GET", "/api/me"],
    ["GET", "/api/pupils?query=a"],
    ["GET", `/api/pupils/${pupilId}/chronology`],
    ["GET", `/api/incidents/${behaviourId}`],
    ["POST", `/api/incidents/${behaviourId}/acknowledge`],
    ["GET", "/api/form-options"],
  ];

  it("refuses every /api route without a token, and with a forged or tampered one", async () => {
    const genuine = await keepsafe.tokenFor(dsl);
    const claims = decodeJwt(genuine);
    const forged = await new SignJWT({ ...claims })
      .setProtectedHeader({ alg: "HS256" })
      .sign(new TextEncoder().encode("guessed-secret-guessed-secret-32b"));
    const [h, , s] = genuine.split(".");
    const tampered = `${h}.${Buffer.from(JSON.stringify({ ...claims, oid: slt.oid })).toString("base64url")}.${s}`;
    for (const [method, path] of ROUTES()) {
      for (const auth of [undefined, "Bearer ", `Bearer ${forged}`, `Bearer ${tampered}`, `Basic ${genuine}`]) {
        const res = await fetch(`${keepsafe.url}${path}`, { method, headers: auth ? { authorization: auth } : {} });
        assert.equal(res.status, 401, `${method} ${path} with ${auth?.slice(0, 12)}`);
        const body = (await res.json()) as { error: { code: string } };
        assert.equal(body.error.code, "unauthenticated");
      }
    }
  });

  it("refuses an expired token and a token for another audience", async () => {
    const idp = keepsafe.local.identity!;
    const expired = await idp.issueAccessToken({
      oid: dsl.oid,
      name: dsl.displayName,
      preferredUsername: dsl.email,
      mfa: true,
      expiresInSeconds: -600,
    });
    const otherAudience = await idp.issueAccessToken({
      oid: dsl.oid,
      name: dsl.displayName,
      preferredUsername: dsl.email,
      mfa: true,
      audience: "api://someone-else",
    });
    for (const token of [expired, otherAudience]) {
      assert.equal((await keepsafe.api("/api/me", token)).status, 401);
    }
  });

  it("asks a DSL without MFA to step up, with the insufficient_claims challenge", async () => {
    const token = await keepsafe.tokenFor(dsl, { mfa: false });
    const res = await keepsafe.api(`/api/incidents/${behaviourId}`, token);
    assert.equal(res.status, 401);
    const challenge = res.headers.get("www-authenticate") ?? "";
    assert.match(challenge, /error="insufficient_claims"/);
    assert.match(challenge, /claims="[A-Za-z0-9+/=]+"/);
    assert.equal(((await res.json()) as { error: { code: string } }).error.code, "mfa_required");
    assert.equal((await keepsafe.api(`/api/incidents/${behaviourId}`, await keepsafe.tokenFor(dsl))).status, 200);
  });

  it("shows SLT behaviour but not safeguarding, and write-only staff no chronology", async () => {
    const sltToken = await keepsafe.tokenFor(slt);
    assert.equal((await keepsafe.api(`/api/incidents/${behaviourId}`, sltToken)).status, 200);
    assert.equal((await keepsafe.api(`/api/incidents/${safeguardingId}`, sltToken)).status, 404, "answered as missing");
    const chronology = (await (await keepsafe.api(`/api/pupils/${pupilId}/chronology`, sltToken)).json()) as { entries: { incidentId: string }[] };
    assert.deepEqual(
      chronology.entries.map((e) => e.incidentId),
      [behaviourId],
    );

    const other = staffByRole(/admin/i);
    const otherToken = await keepsafe.tokenFor(other);
    assert.equal((await keepsafe.api(`/api/pupils/${pupilId}/chronology`, otherToken)).status, 403);
    assert.equal((await keepsafe.api(`/api/incidents/${behaviourId}`, otherToken)).status, 404, "answered as missing");
    // The teacher who raised it may read their own record.
    assert.equal((await keepsafe.api(`/api/incidents/${behaviourId}`, await keepsafe.tokenFor(teacher))).status, 200);
  });

  it("pages the chronology with an opaque continuation, filtering each page without leaking", async () => {
    type Page = { entries: { incidentId: string }[]; continuation?: string };
    const walk = async (token: string) => {
      const seen: string[] = [];
      let continuation: string | undefined;
      let pages = 0;
      do {
        const q = new URLSearchParams({ pageSize: "1", ...(continuation ? { continuation } : {}) });
        const res = await keepsafe.api(`/api/pupils/${pupilId}/chronology?${q}`, token);
        assert.equal(res.status, 200);
        const page = (await res.json()) as Page;
        seen.push(...page.entries.map((e) => e.incidentId));
        continuation = page.continuation;
        assert.ok(++pages <= 3, "paging ends");
      } while (continuation);
      return seen;
    };
    assert.deepEqual((await walk(await keepsafe.tokenFor(dsl))).sort(), [behaviourId, safeguardingId].sort());
    // SLT's pages may come back short (one is empty), never with the safeguarding record.
    assert.deepEqual(await walk(await keepsafe.tokenFor(slt)), [behaviourId]);
  });

  it("refuses a bad page size or continuation with a clear 400", async () => {
    const token = await keepsafe.tokenFor(dsl);
    const first = (await (await keepsafe.api(`/api/pupils/${pupilId}/chronology?pageSize=1`, token)).json()) as { continuation?: string };
    assert.ok(first.continuation);
    const bad = [
      "pageSize=0",
      "pageSize=201",
      "pageSize=abc",
      "pageSize=1.5",
      "continuation=",
      "continuation=not%20opaque!",
      `continuation=${"a".repeat(9000)}`,
      "cursor=x",
      // A real continuation for another pupil's chronology.
      `continuation=${first.continuation}`,
    ];
    for (const [i, q] of bad.entries()) {
      const other = i === bad.length - 1 ? (await keepsafe.service.searchPupils(await actorFor(teacher), "b"))[0].id : pupilId;
      const res = await keepsafe.api(`/api/pupils/${other}/chronology?${q}`, token);
      // An overlong URL is refused before routing (414); anything else reaching the route, 400.
      if (res.status === 414 && q.length > 8000) continue;
      assert.equal(res.status, 400, q.slice(0, 40));
      assert.equal(((await res.json()) as { error: { code: string } }).error.code, "validation_failed");
    }
  });

  it("routes a safeguarding concern to the DSLs even when nobody was chosen, and audits each view", async () => {
    const dslToken = await keepsafe.tokenFor(dsl);
    const view = (await (await keepsafe.api(`/api/incidents/${safeguardingId}`, dslToken)).json()) as {
      alerts: { staffId: string }[];
      myAlert?: object;
    };
    assert.ok(view.alerts.some((a) => a.staffId === dsl.oid));
    assert.ok(view.myAlert);
    const ack = await keepsafe.api(`/api/incidents/${safeguardingId}/acknowledge`, dslToken, { method: "POST" });
    assert.equal(ack.status, 200);
    const audit = await keepsafe.service["deps"].records.auditForPupil(pupilId);
    assert.ok(audit.filter((e) => e.type === "incident.viewed" && e.incidentId === safeguardingId).length >= 1);
    assert.ok(audit.some((e) => e.type === "alert.acknowledged" && e.actorStaffId === dsl.oid));
  });

  it("refuses acknowledging an alert you were not sent", async () => {
    const res = await keepsafe.api(`/api/incidents/${behaviourId}/acknowledge`, await keepsafe.tokenFor(dsl), { method: "POST" });
    assert.equal(res.status, 403);
  });

  it("rejects malformed ids with a clear 400", async () => {
    const res = await keepsafe.api(`/api/incidents/${encodeURIComponent("../../etc")}`, await keepsafe.tokenFor(dsl));
    assert.equal(res.status, 400);
    assert.equal(((await res.json()) as { error: { code: string } }).error.code, "validation_failed");
  });

  it("serves the OpenAPI document and a health check", async () => {
    const doc = (await (await fetch(`${keepsafe.url}/api/openapi.json`)).json()) as { openapi: string; paths: Record<string, unknown> };
    assert.equal(doc.openapi, "3.1.0");
    for (const p of ["/api/pupils", "/api/pupils/{pupilId}/chronology", "/api/incidents/{incidentId}", "/api/incidents/{incidentId}/acknowledge"]) {
      assert.ok(doc.paths[p], p);
    }
    const health = await fetch(`${keepsafe.url}/healthz`);
    assert.equal(health.status, 200);
    assert.deepEqual(await health.json(), { status: "ok", store: "ok" });
  });
});
