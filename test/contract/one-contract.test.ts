/**
 * One contract: every route of the tab API is described once (src/contract/routes.ts and
 * route-inputs.ts), and the server, the tab's API client, the tests' stand-in API and the OpenAPI
 * document all use that description. A route added in one place only fails here.
 */
import assert from "node:assert/strict";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { ROUTE_LIST, routes, pathOf } from "../../src/contract/routes.js";
import { routeInputs } from "../../src/contract/route-inputs.js";
import { openApiDocument } from "../../src/contract/openapi.js";
import { ApiClient, ApiError } from "../../tab/src/api-client.js";
import { startTestKeepsafe, staffByRole, type TestKeepsafe } from "../support/keepsafe-instance.js";
import { StandInApi } from "../tab/support/stand-in-api.js";

const openApiPath = (p: string) => p.replace(/:([A-Za-z]+)/g, "{$1}");
const pattern = (p: string) => new RegExp(`^${p.replace(/:([A-Za-z]+)/g, "[^/?]+")}(\\?.*)?$`);

describe("one contract for the tab API", function () {
  this.timeout(60_000);
  let keepsafe: TestKeepsafe;
  before(async () => {
    keepsafe = await startTestKeepsafe();
  });
  after(async () => keepsafe?.cleanup());

  it("the server mounts exactly the contract's routes under /api (and /healthz)", () => {
    const mounted = new Set<string>();
    // The running server's router, as restify reports it.
    const info = (keepsafe.http.server as unknown as { getDebugInfo(): { routes: { method: string; path: string }[] } }).getDebugInfo();
    for (const r of info.routes) mounted.add(`${r.method.toUpperCase()} ${r.path}`);
    for (const route of ROUTE_LIST)
      assert.ok(mounted.has(`${route.method} ${route.path}`), `${route.id} is mounted at ${route.method} ${route.path}`);
    const apiRoutes = [...mounted].filter((r) => / \/api\//.test(r) && r !== "GET /api/openapi.json" && !r.startsWith("POST /api/messages"));
    const described = new Set(ROUTE_LIST.map((r) => `${r.method} ${r.path}`));
    for (const r of apiRoutes) assert.ok(described.has(r), `${r} is served but not in the contract`);
  });

  it("every route has its inputs described, and the OpenAPI document is generated from both", async () => {
    const doc = (await (await fetch(`${keepsafe.url}/api/openapi.json`)).json()) as any;
    assert.deepEqual(doc, JSON.parse(JSON.stringify(openApiDocument())));
    for (const route of ROUTE_LIST) {
      assert.ok(route.id in routeInputs, `${route.id} has inputs`);
      const op = doc.paths[openApiPath(route.path)]?.[route.method.toLowerCase()];
      assert.equal(op?.operationId, route.id, `${route.id} is in the OpenAPI document`);
      for (const status of Object.keys(route.responses)) assert.ok(op.responses[status], `${route.id} documents ${status}`);
      const inputs = routeInputs[route.id as keyof typeof routeInputs] as { params?: { shape: object }; body?: unknown };
      for (const name of Object.keys(inputs.params?.shape ?? {})) {
        assert.ok(
          op.parameters.some((p: any) => p.in === "path" && p.name === name),
          `${route.id} documents its ${name}`,
        );
      }
      if (inputs.body) assert.ok(op.requestBody?.content["application/json"], `${route.id} documents its body`);
    }
  });

  it("the tab's client calls each route by its contract entry and refuses an answer the contract does not describe", async () => {
    const seen: { method: string; url: string }[] = [];
    let answer: unknown = {};
    const fetchImpl = (async (url: string, init: RequestInit) => {
      seen.push({ method: init.method ?? "GET", url });
      return new Response(JSON.stringify(answer), { status: 200, headers: { "content-type": "application/json" } });
    }) as typeof fetch;
    const client = new ApiClient({ getToken: async () => "t", fetch: fetchImpl });
    const calls: [string, () => Promise<unknown>][] = [
      ["listMyConcerns", () => client.myConcerns()],
      ["getPupilAudit", () => client.pupilAudit("p-1")],
      ["getStaffAudit", () => client.staffAudit("s-1")],
      ["exportPupilAudit", () => client.exportAudit({ pupilId: "p-1" })],
      ["exportStaffAudit", () => client.exportAudit({ staffId: "s-1" })],
      ["getMe", () => client.me()],
      ["searchPupils", () => client.searchPupils("ab")],
      ["getChronology", () => client.chronology("p-1")],
      ["getIncident", () => client.incident("inc-1")],
      ["acknowledgeAlert", () => client.acknowledge("inc-1")],
      ["addAction", () => client.addAction("inc-1", { requestId: "req-12345", text: "x", occurredAt: new Date().toISOString() })],
      ["approvePendingTags", () => client.approvePendingTags("inc-1", "act-1")],
      ["changeIncident", () => client.changeIncident("inc-1", { kind: "close", reason: "x", version: 0 })],
      ["getFormOptions", () => client.formOptions()],
      [
        "addCaseEntry",
        () =>
          client.addCaseEntry("p-1", {
            kind: "phone-call",
            requestId: "req-12345",
            occurredAt: new Date().toISOString(),
            who: "x",
            direction: "in",
            notes: "x",
          }),
      ],
      ["recordReferralOutcome", () => client.recordReferralOutcome("p-1", "referral-1", { outcome: "x", occurredAt: new Date().toISOString() })],
      ["getCaseEntryOptions", () => client.caseEntryOptions()],
      ["recordIncident", () => client.recordIncident({} as never)],
      ["uploadFile", () => client.uploadFile("sub-12345678", new Blob(["x"]), "a.txt")],
      ["listDraftFiles", () => client.draftFiles("sub-12345678")],
      ["getIncidentReport", () => client.incidentReport({ from: "2026-09-01", to: "2026-12-01" })],
      ["markTask", () => client.markTask("inc-1", "act-1", { done: true, version: 0 })],
      ["listMyActions", () => client.myActions()],
      ["getHome", () => client.home()],
      ["getHomeList", () => client.homeList("urgent")],
      ["getGovernorsSummary", () => client.governorsSummary({ period: "term", date: "2026-11-01" })],
      ["listSubjectAccessRequests", () => client.subjectAccessRequests()],
      ["listEarlyWarnings", () => client.earlyWarnings()],
      ["reviewEarlyWarning", () => client.reviewEarlyWarning("pupil-1", "ew:pupil-1:any-concerns:i-1", "Spoke to the class teacher")],
      [
        "openSubjectAccessRequest",
        () => client.openSubjectAccessRequest({ pupilId: "p-1", requester: "A parent", relationship: "parent", receivedOn: "2026-01-31" }),
      ],
      ["extendSubjectAccessRequest", () => client.extendSubjectAccessRequest("sar-1", "Complex")],
      ["previewSubjectAccessPack", () => client.previewSubjectAccessPack("sar-1", [])],
      ["approveSubjectAccessPack", () => client.approveSubjectAccessPack("sar-1", [])],
    ];
    for (const [id, call] of calls) {
      seen.length = 0;
      answer = { not: "what the contract says" };
      await assert.rejects(
        call(),
        (e: unknown) => e instanceof ApiError && e.code === "bad_response",
        `${id}: an answer off the contract is refused`,
      );
      const route = routes[id as keyof typeof routes];
      assert.equal(seen[0].method, route.method, `${id} method`);
      assert.match(seen[0].url, pattern(route.path), `${id} path`);
    }
    const covered = new Set([
      ...calls.map(([id]) => id),
      "health",
      "downloadFile",
      "getIncidentReportCsv",
      "exportChronologyPdf",
      "downloadCaseEntryFile",
      "exportSubjectAccessPackPdf",
      "exportGovernorsSummaryPdf",
    ]);
    for (const route of ROUTE_LIST) assert.ok(covered.has(route.id), `the tab's client covers ${route.id}`);
    assert.equal(pathOf(routes.getIncident, { incidentId: "a/b" }), "/api/incidents/a%2Fb");
  });

  it("the stand-in API answers through the same schemas (answer() parses each with its route)", async () => {
    const standIn = new StandInApi({ validTokens: ["t"] });
    const server = http.createServer((req, res) => {
      try {
        if (!standIn.handle(req, res)) res.writeHead(404).end();
      } catch (e) {
        res.writeHead(500);
        res.end(String((e as Error).message));
      }
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    try {
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const client = new ApiClient({ getToken: async () => "t", baseUrl: base });
      assert.equal((await client.me()).role, "DSL");
      assert.ok((await client.chronology("p-1")).entries.length > 0);
      assert.equal((await client.incident("inc-2")).incident.reference, "KS-0002");
    } finally {
      await new Promise<void>((r) => server.close(() => r()));
    }
  });

  it("the server's answers match the contract for a real DSL", async () => {
    const dsl = staffByRole(/^DSL/);
    const client = new ApiClient({ getToken: () => keepsafe.tokenFor(dsl), baseUrl: keepsafe.url });
    const me = await client.me();
    assert.equal(me.role, "DSL");
    const { pupils } = await client.searchPupils("a");
    assert.ok(pupils.length > 0);
    const chronology = await client.chronology(pupils[0].id);
    assert.equal(chronology.pupil.id, pupils[0].id);
    await client.formOptions();
  });
});
