// The tab's API client without a browser: bearer tokens, 401 handling, error bodies and schema checks.
import assert from "node:assert/strict";
import { ApiClient, ApiError, StepUpRequiredError, type TokenSource } from "../../tab/src/api-client.js";
import { decodeClaims, parseBearerChallenge } from "../../tab/src/www-authenticate.js";

type Answer = { status: number; body: unknown; headers?: Record<string, string> };

function fakeFetch(answers: Answer[], seen: { url: string; auth: string | null; method: string }[]): typeof fetch {
  return (async (input: string | URL | Request, init?: RequestInit) => {
    seen.push({ url: String(input), auth: new Headers(init?.headers).get("Authorization"), method: init?.method ?? "GET" });
    const answer = answers.shift();
    assert.ok(answer, "unexpected extra request");
    return new Response(JSON.stringify(answer.body), { status: answer.status, headers: answer.headers });
  }) as typeof fetch;
}

const me = { staffId: "s-1", name: "Dee", role: "DSL", mfa: true, school: { id: "sch", name: "Oakfield" }, idleHideMinutes: 5 };

describe("tab api client", () => {
  it("sends the bearer token and parses the answer", async () => {
    const seen: { url: string; auth: string | null; method: string }[] = [];
    const client = new ApiClient({ getToken: async () => "t1", fetch: fakeFetch([{ status: 200, body: me }], seen) });
    assert.deepEqual(await client.me(), me);
    assert.deepEqual(seen, [{ url: "/api/me", auth: "Bearer t1", method: "GET" }]);
  });

  it("encodes the search query", async () => {
    const seen: { url: string; auth: string | null; method: string }[] = [];
    const client = new ApiClient({ getToken: async () => "t", fetch: fakeFetch([{ status: 200, body: { pupils: [] } }], seen) });
    await client.searchPupils("o'neil & co");
    assert.equal(seen[0].url, "/api/pupils?query=o'neil%20%26%20co");
  });

  it("asks for a fresh token once after a plain 401", async () => {
    const calls: Parameters<TokenSource>[0][] = [];
    const getToken: TokenSource = async (options) => {
      calls.push(options);
      return options?.refresh ? "fresh" : "stale";
    };
    const seen: { url: string; auth: string | null; method: string }[] = [];
    const client = new ApiClient({
      getToken,
      fetch: fakeFetch(
        [
          {
            status: 401,
            body: { error: { code: "unauthenticated", message: "no" } },
            headers: { "WWW-Authenticate": 'Bearer error="invalid_token"' },
          },
          { status: 200, body: me },
        ],
        seen,
      ),
    });
    await client.me();
    assert.deepEqual(
      seen.map((s) => s.auth),
      ["Bearer stale", "Bearer fresh"],
    );
    assert.deepEqual(calls, [undefined, { refresh: true, rejected: "stale" }]);
  });

  it("turns an insufficient_claims challenge into StepUpRequiredError without retrying", async () => {
    const header = 'Bearer realm="", authorization_uri="https://login.example.invalid/authorize", error="insufficient_claims", claims="eyJhIjoxfQ=="';
    const seen: { url: string; auth: string | null; method: string }[] = [];
    const client = new ApiClient({
      getToken: async () => "t",
      fetch: fakeFetch([{ status: 401, body: {}, headers: { "WWW-Authenticate": header } }], seen),
    });
    await assert.rejects(client.me(), (error: unknown) => {
      assert.ok(error instanceof StepUpRequiredError);
      assert.equal(error.challenge.authorizationUri, "https://login.example.invalid/authorize");
      assert.equal(decodeClaims(error.challenge.claims!), '{"a":1}');
      return true;
    });
    assert.equal(seen.length, 1);
  });

  it("maps error bodies and refuses answers that do not match the schema", async () => {
    const client = new ApiClient({
      getToken: async () => "t",
      fetch: fakeFetch(
        [
          { status: 403, body: { error: { code: "forbidden", message: "Not for your role" } } },
          { status: 200, body: { ...me, role: "CARETAKER" } },
        ],
        [],
      ),
    });
    await assert.rejects(
      client.incident("x"),
      (error: unknown) => error instanceof ApiError && error.status === 403 && error.code === "forbidden" && error.message === "Not for your role",
    );
    await assert.rejects(client.me(), (error: unknown) => error instanceof ApiError && error.code === "bad_response");
  });

  it("parses Bearer challenges with quoted commas", () => {
    assert.deepEqual(parseBearerChallenge('Bearer error="insufficient_claims", claims="{\\"x\\":\\"a,b\\"}"'), {
      error: "insufficient_claims",
      authorizationUri: undefined,
      claims: '{"x":"a,b"}',
    });
    assert.equal(parseBearerChallenge('Basic realm="x"'), undefined);
    assert.equal(parseBearerChallenge(null), undefined);
  });
});
