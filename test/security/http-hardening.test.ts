/**
 * Finding 9 over real HTTP against the whole of Keepsafe: security headers on every answer, a CSP
 * with frame-ancestors on the tab, the dialogs and the local Teams host, size caps, and per-user
 * and per-address rate limits on the tab API and the bot (limits lowered through the environment).
 */
import assert from "node:assert/strict";
import http from "node:http";
import type { AddressInfo } from "node:net";
import type { Browser } from "playwright-core";
import { DEMO_STAFF } from "../../src/local/demo-school.js";
import { TEAMS_FRAME_ANCESTORS } from "../../src/domain/content-security.js";
import { startTestKeepsafe, staffByRole, type TestKeepsafe } from "../support/keepsafe-instance.js";
import { BotConversation } from "../support/bot-conversation.js";
import { launchBrowser, newLoopbackPage } from "../support/browser.js";
import { ApiClient, ApiError } from "../../tab/src/api-client.js";

const teacher = staffByRole(/^Teacher \(Year 3\)/);
const dsl = staffByRole(/^DSL/);

const directive = (policy: string | null, name: string) =>
  (policy ?? "")
    .split(";")
    .map((d) => d.trim())
    .find((d) => d.startsWith(`${name} `));

function assertSafetyHeaders(res: Response, what: string) {
  assert.equal(res.headers.get("x-content-type-options"), "nosniff", `${what}: nosniff`);
  assert.equal(res.headers.get("referrer-policy"), "no-referrer", `${what}: referrer policy`);
}

/** Starts Keepsafe with `env` for the enclosing describe; the getter gives it to the tests. */
function keepsafeFor(env: Record<string, string> = {}): () => TestKeepsafe {
  let keepsafe: TestKeepsafe | undefined;
  before(async () => {
    keepsafe = await startTestKeepsafe(env);
  });
  after(async () => {
    await keepsafe?.cleanup();
  });
  return () => keepsafe!;
}

const conversation = (keepsafe: TestKeepsafe, staff: (typeof DEMO_STAFF)[number]) =>
  new BotConversation(keepsafe.url, keepsafe.local.connector!, staff, keepsafe.config.identity.tenantId);

describe("security: finding 9 — HTTP hardening", function () {
  this.timeout(120_000);

  describe("headers and size limits", () => {
    const instance = keepsafeFor();
    let keepsafe: TestKeepsafe;
    beforeEach(() => {
      keepsafe = instance();
    });

    it("sends nosniff and no-referrer on pages, API answers, errors and restify's own 404s", async () => {
      const token = await keepsafe.tokenFor(teacher);
      const answers: [string, Response][] = [
        ["tab", await fetch(`${keepsafe.url}/tab/index.html`)],
        ["host page", await fetch(`${keepsafe.url}/`)],
        ["host script", await fetch(`${keepsafe.url}/teams-host/host.js`)],
        ["dialog page", await fetch(`${keepsafe.url}/dialogs/body-map.html`)],
        ["API answer", await keepsafe.api("/api/me", token)],
        ["API 401", await fetch(`${keepsafe.url}/api/me`)],
        ["missing tab file", await fetch(`${keepsafe.url}/tab/no-such-file.js`)],
        ["no such route", await fetch(`${keepsafe.url}/api/no-such-route`)],
        ["wrong method", await fetch(`${keepsafe.url}/api/me`, { method: "DELETE" })],
      ];
      for (const [what, res] of answers) assertSafetyHeaders(res, `${what} (${res.status})`);
      const notFound = answers.find(([w]) => w === "no such route")![1];
      assert.equal(notFound.status, 404);
      assert.deepEqual(await notFound.json(), { error: { code: "not_found", message: "Not found." } });
    });

    it("frames the tab and the dialogs only from Teams and Microsoft 365 hosts and, in local mode, the host on this server", async () => {
      const expected = `frame-ancestors ${[...TEAMS_FRAME_ANCESTORS, "'self'"].join(" ")}`;
      assert.match(expected, /https:\/\/\*\.cloud\.microsoft https:\/\/\*\.microsoft365\.com/);
      // The bundle's name carries its content hash: take it from the page that loads it.
      const script = /<script[^>]+src="([^"]+\.js)"/.exec(await (await fetch(`${keepsafe.url}/tab/index.html`)).text())?.[1];
      assert.ok(script, "the tab's page names its script");
      for (const page of ["/tab/index.html", new URL(script, `${keepsafe.url}/tab/`).pathname, "/dialogs/body-map.html", "/dialogs/files.html"]) {
        const res = await fetch(`${keepsafe.url}${page}`);
        assert.equal(res.status, 200, page);
        const policy = res.headers.get("content-security-policy");
        assert.equal(directive(policy, "frame-ancestors"), expected, page);
        assert.equal(directive(policy, "script-src"), "script-src 'self'", page);
        // teams-js fetches its list of valid host origins from Microsoft's CDN.
        assert.equal(directive(policy, "connect-src"), "connect-src 'self' https://res.cdn.office.net", page);
      }
    });

    it("gives the local Teams host page and its assets a CSP that nothing may frame", async () => {
      for (const page of ["/", "/teams-host/host.js", "/teams-host/host-style.css"]) {
        const res = await fetch(`${keepsafe.url}${page}`);
        assert.equal(res.status, 200, page);
        const policy = res.headers.get("content-security-policy");
        assert.equal(directive(policy, "frame-ancestors"), "frame-ancestors 'none'", page);
        assert.equal(directive(policy, "frame-src"), "frame-src 'self'", page);
        assert.equal(directive(policy, "default-src"), "default-src 'none'", page);
      }
    });

    it("refuses a bot body over 256 KB with 413, whether its length is declared or not", async () => {
      const big = JSON.stringify({ type: "message", text: "x".repeat(300 * 1024) });
      const declared = await fetch(`${keepsafe.url}/api/messages`, { method: "POST", headers: { "content-type": "application/json" }, body: big });
      assert.equal(declared.status, 413);
      assert.equal((await declared.json()).error.code, "payload_too_large");
      assertSafetyHeaders(declared, "413");

      const chunked = await fetch(`${keepsafe.url}/api/messages`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: new Blob([big]).stream(),
        duplex: "half",
      } as RequestInit);
      assert.equal(chunked.status, 413);
      assert.equal((await chunked.json()).error.code, "payload_too_large");
    });

    it("still takes a full concern card with a 10,000-character account of 3-byte characters", async () => {
      const account = "€".repeat(10_000);
      const res = await conversation(keepsafe, teacher).execute("submitConcern", {
        submissionId: "size-check-1",
        pupilId: "p-unknown",
        account,
        categoryIds: "behaviour,bullying",
        location: "Classroom",
        occurredAt: "2026-01-01T10:00",
        whatNext: "x".repeat(2000),
      });
      assert.notEqual(res.status, 413);
      assert.ok(res.status < 500, `answered ${res.status}`);
    });

    it("refuses a tab API body over 1 MB with 413 in Keepsafe's error shape", async () => {
      const token = await keepsafe.tokenFor(teacher);
      const res = await keepsafe.api("/api/incidents", token, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ account: "x".repeat(1100 * 1024) }),
      });
      assert.equal(res.status, 413);
      assert.deepEqual(await res.json(), { error: { code: "payload_too_large", message: "The request is too large." } });
    });

    it("refuses an address over 4096 characters with 414", async () => {
      const token = await keepsafe.tokenFor(teacher);
      const res = await keepsafe.api(`/api/pupils?query=${"a".repeat(5000)}`, token);
      assert.equal(res.status, 414);
      assert.equal((await res.json()).error.code, "uri_too_long");
      assertSafetyHeaders(res, "414");
    });
  });

  describe("per-user limits", () => {
    const instance = keepsafeFor({ RATE_LIMIT_USER_PER_MINUTE: "5", RATE_LIMIT_BOT_PER_MINUTE: "3", RATE_LIMIT_IP_PER_MINUTE: "1000" });
    let keepsafe: TestKeepsafe;
    beforeEach(() => {
      keepsafe = instance();
    });

    async function assertThrottled(res: Response) {
      assert.equal(res.status, 429);
      const retryAfter = Number(res.headers.get("retry-after"));
      assert.ok(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 60, `Retry-After ${res.headers.get("retry-after")}`);
      const body = await res.json();
      assert.equal(body.error.code, "throttled");
      assert.match(body.error.message, /Too many requests/);
    }

    it("answers one member of staff's burst on the tab API with 429, files included, and serves others", async () => {
      const mine = await keepsafe.tokenFor(teacher);
      for (let i = 0; i < 5; i++) assert.equal((await keepsafe.api("/api/me", mine)).status, 200);
      await assertThrottled(await keepsafe.api("/api/me", mine));
      await assertThrottled(await keepsafe.api("/api/files?submissionId=s-1", mine));
      assert.equal((await keepsafe.api("/api/me", await keepsafe.tokenFor(dsl))).status, 200);
    });

    it("counts a bot sender by its Entra id, and serves other senders", async () => {
      const chat = conversation(keepsafe, teacher);
      for (let i = 0; i < 3; i++) assert.equal((await chat.post({ type: "message", text: "hi" })).status, 200);
      const over = await chat.post({ type: "message", text: "hi" });
      assert.equal(over.status, 429);
      await assertThrottled(
        await fetch(`${keepsafe.url}/api/messages`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({
            type: "message",
            text: "hi",
            serviceUrl: `${keepsafe.url}/local-connector/`,
            from: { id: `29:${teacher.oid}`, aadObjectId: teacher.oid },
          }),
        }),
      );
      assert.equal((await conversation(keepsafe, dsl).post({ type: "message", text: "hi" })).status, 200);
    });
  });

  describe("per-user bot limit with Bot settings", () => {
    const instance = keepsafeFor({
      BOT_ID: "3b1f0c9e-5a6d-4e2f-8c7b-1a2b3c4d5e6f",
      BOT_PASSWORD: "not-a-real-secret",
      RATE_LIMIT_BOT_PER_MINUTE: "2",
    });
    let keepsafe: TestKeepsafe;
    beforeEach(() => {
      keepsafe = instance();
    });

    it("does not let forged activities naming a member of staff use up their allowance", async () => {
      const forged = {
        type: "message",
        text: "hi",
        channelId: "msteams",
        serviceUrl: "https://smba.trafficmanager.net/teams/",
        from: { id: `29:${teacher.oid}`, aadObjectId: teacher.oid },
        conversation: { id: "x" },
      };
      for (let i = 0; i < 4; i++) {
        const res = await fetch(`${keepsafe.url}/api/messages`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify(forged),
        });
        assert.equal(res.status, 401, `forged activity ${i + 1}`);
      }
    });
  });

  describe("per-address limit", () => {
    const instance = keepsafeFor({ RATE_LIMIT_IP_PER_MINUTE: "4" });
    let keepsafe: TestKeepsafe;
    beforeEach(() => {
      keepsafe = instance();
    });

    it("answers a burst from one address with 429 on the API and on /api/messages before reading the body", async () => {
      const tokens = [await keepsafe.tokenFor(teacher), await keepsafe.tokenFor(dsl)];
      for (let i = 0; i < 4; i++) assert.equal((await keepsafe.api("/api/me", tokens[i % 2])).status, 200);
      const api = await keepsafe.api("/api/me", tokens[1]);
      assert.equal(api.status, 429);
      assert.ok(Number(api.headers.get("retry-after")) >= 1);
      assert.equal((await api.json()).error.code, "throttled");
      // Not even parsed: a body that would be a 400 is a 429.
      const bot = await fetch(`${keepsafe.url}/api/messages`, { method: "POST", headers: { "content-type": "application/json" }, body: "{not json" });
      assert.equal(bot.status, 429);
      assert.equal((await bot.json()).error.code, "throttled");
      // Pages are not API calls and stay served.
      assert.equal((await fetch(`${keepsafe.url}/tab/index.html`)).status, 200);
    });
  });

  describe("the tab's API client against a throttling server", () => {
    const me = { staffId: "s-1", name: "Dee", role: "DSL", mfa: true, school: { id: "sch", name: "Oakfield" }, idleHideMinutes: 5 };
    let server: http.Server;
    let baseUrl: string;
    /** What the server answers next, in order; each request takes one. */
    let script: { status: number; retryAfter?: string }[] = [];
    let seen: number[] = [];

    before(async () => {
      server = http.createServer((req, res) => {
        seen.push(Date.now());
        const next = script.shift() ?? { status: 500 };
        // restify replaces writeHead for the whole process (platform notes): set headers one by one.
        res.statusCode = next.status;
        res.setHeader("content-type", "application/json");
        if (next.retryAfter) res.setHeader("retry-after", next.retryAfter);
        res.end(
          JSON.stringify(
            next.status === 200 ? me : { error: { code: "throttled", message: "Too many requests. Please wait a moment and try again." } },
          ),
        );
      });
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
      baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    after(async () => {
      await new Promise((resolve) => server.close(resolve));
    });
    beforeEach(() => {
      seen = [];
    });

    it("waits out a short Retry-After and tries once more", async () => {
      script = [{ status: 429, retryAfter: "1" }, { status: 200 }];
      const client = new ApiClient({ getToken: async () => "t", baseUrl });
      assert.deepEqual(await client.me(), me);
      assert.equal(seen.length, 2);
      assert.ok(seen[1] - seen[0] >= 950, `waited ${seen[1] - seen[0]} ms`);
    });

    it("raises a plain throttled ApiError when still throttled, or when asked to wait too long", async () => {
      const client = new ApiClient({ getToken: async () => "t", baseUrl });
      script = [
        { status: 429, retryAfter: "1" },
        { status: 429, retryAfter: "1" },
      ];
      await assert.rejects(
        client.me(),
        (e: unknown) => e instanceof ApiError && e.status === 429 && e.code === "throttled" && /Too many requests/.test(e.message),
      );
      assert.equal(seen.length, 2, "tries once more only");

      seen = [];
      script = [{ status: 429, retryAfter: "30" }];
      const started = Date.now();
      await assert.rejects(client.me(), (e: unknown) => e instanceof ApiError && e.code === "throttled");
      assert.equal(seen.length, 1);
      assert.ok(Date.now() - started < 1000, "does not wait 30 s");
    });
  });

  describe("the local Teams host in Chromium with the CSP in force", () => {
    const instance = keepsafeFor();
    let browser: Browser;
    before(async () => {
      browser = await launchBrowser();
    });
    after(async () => {
      await browser?.close();
    });

    it("loads the tab in its frame, renders a card and opens a dialog with no CSP violation", async () => {
      const keepsafe = instance();
      const page = await newLoopbackPage(browser);
      const violations: string[] = [];
      // Every frame reports its own violations; Chromium also logs them to the console.
      await page.context().addInitScript(() => {
        document.addEventListener("securitypolicyviolation", (e) => console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`));
      });
      page.on("console", (m) => {
        if (/CSP violation|Content Security Policy/i.test(m.text())) violations.push(m.text());
      });
      try {
        const host = await page.goto(`${keepsafe.url}/`);
        assert.ok(host?.headers()["content-security-policy"]);
        await page.selectOption("#kh-user", teacher.oid);
        const tab = page.frameLocator("#kh-tab");
        await tab.getByTestId("signed-in").waitFor();
        await page.fill("#kh-compose input[name=message]", "hi");
        await page.click("#kh-compose button[type=submit]");
        await page.locator("#kh-transcript .kh-attachment").first().waitFor();
        await tab.getByTestId("record-concern").click();
        await page.frameLocator(".kh-dialog-frame").getByTestId("concern-form").waitFor();
        assert.deepEqual(violations, []);
      } finally {
        await page.context().close();
      }
    });
  });
});
