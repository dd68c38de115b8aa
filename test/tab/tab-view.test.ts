// The tab in headless Chromium, hosted by a stand-in Teams page and talking to a stand-in API.
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { buildTab } from "../../tab/build.js";
import { StandInApi } from "./support/stand-in-api.js";
import { startTabTestServer, type TabTestServer } from "./support/tab-test-server.js";

const SCREENSHOT = "/tmp/keepsafe-tab-chronology.png";

describe("tab in a browser", function () {
  this.timeout(90_000);
  let distDir: string;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;

  before(async () => {
    distDir = await mkdtemp(join(tmpdir(), "keepsafe-tab-view-"));
    await buildTab({ outDir: distDir });
    browser = await chromium.launch({
      executablePath: "/usr/bin/chromium",
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--no-first-run",
        "--disable-sync",
      ],
    });
  });

  after(async () => {
    await browser?.close();
    await rm(distDir, { recursive: true, force: true });
  });

  beforeEach(async () => {
    context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    // Nothing may leave this machine (teams-js would otherwise try Microsoft's CDN).
    await context.route("**/*", (route) => (new URL(route.request().url()).hostname === "127.0.0.1" ? route.continue() : route.abort()));
    page = await context.newPage();
  });

  afterEach(async () => {
    await context?.close();
  });

  describe("signed in with SSO", () => {
    let server: TabTestServer;
    beforeEach(async () => {
      // The first token is stale, so the tab must ask Teams for a new one after the 401.
      server = await startTabTestServer(distDir, new StandInApi({ validTokens: ["sso-token"] }), {
        tokens: ["stale-token", "sso-token"],
        stepUpToken: "unused",
      });
    });
    afterEach(async () => {
      await server.close();
    });

    it("searches, shows the chronology, opens an incident and marks it as read", async () => {
      await page.goto(`${server.origin}/host.html`);
      const tab = page.frameLocator("#tab");

      await tab.getByTestId("pupil-search").fill("ada");
      const results = tab.getByTestId("pupil-result");
      await results.first().waitFor();
      assert.equal(await results.count(), 2);
      const ada = results.filter({ hasText: "Ada Lovelace" });
      assert.match(await ada.innerText(), /Year 5/);
      assert.match(await ada.innerText(), /5 Oak/);
      assert.deepEqual(await ada.getByTestId("flag-badge").evaluateAll((els) => els.map((e) => e.firstChild?.textContent)), ["CP", "SEND", "PPG"]);
      await ada.click();

      const entries = tab.getByTestId("chronology-entry");
      await entries.first().waitFor();
      assert.equal(await entries.count(), 3);
      // Newest first: March, February, January.
      const references = await entries.evaluateAll((rows) => rows.map((row) => /KS-\d+/.exec(row.textContent ?? "")?.[0]));
      assert.deepEqual(references, ["KS-0002", "KS-0003", "KS-0001"]);
      assert.equal(await entries.nth(0).getByTestId("unread-badge").count(), 1);
      assert.equal(await entries.nth(1).getByTestId("unread-badge").count(), 0);
      assert.equal(await entries.nth(1).getByTestId("part-badge").innerText(), "Alleged victim");
      await tab.getByTestId("signed-in").waitFor();
      await page.screenshot({ path: SCREENSHOT });

      await entries.nth(0).click();
      const account = tab.getByTestId("incident-account");
      await account.waitFor();
      assert.match(await account.innerText(), /I don't want to go home tonight/);
      assert.match(await tab.getByTestId("read-only-note").innerText(), /account cannot be edited/);
      assert.equal(await tab.getByTestId("alert-row").count(), 2);

      await tab.getByTestId("acknowledge-button").click();
      const note = tab.getByTestId("acknowledged-note");
      await note.waitFor();
      assert.match(await note.innerText(), /Read by you at .*2025/);
      assert.ok(server.api.calls.some((c) => c.method === "POST" && c.path === "/api/incidents/inc-2/acknowledge" && c.token === "sso-token"));
      assert.equal(await tab.getByTestId("acknowledge-button").count(), 0);

      // The stale token was refused once, then replaced.
      assert.ok(server.api.calls.some((c) => c.token === "stale-token"));
      assert.ok(server.api.calls.filter((c) => c.token === "stale-token").every((c) => c.method === "GET"));
    });

    it("opens straight to the incident from an incident:{id} deep link", async () => {
      await page.goto(`${server.origin}/host.html?subPageId=incident:inc-2`);
      const tab = page.frameLocator("#tab");
      await tab.getByTestId("incident-account").waitFor();
      assert.equal(await tab.getByTestId("chronology-entry").count(), 0);
      assert.equal(await tab.getByTestId("linked-pupil").count(), 1);
    });

    it("blanks the screen with Hide screen, and with Escape twice", async () => {
      await page.goto(`${server.origin}/host.html?subPageId=incident:inc-2`);
      const tab = page.frameLocator("#tab");
      const account = tab.getByTestId("incident-account");
      await account.waitFor();

      await tab.getByTestId("hide-screen").click();
      assert.ok(await tab.getByTestId("privacy-screen").isVisible());
      assert.equal(await account.isVisible(), false);
      await tab.getByTestId("privacy-screen").click();
      assert.ok(await account.isVisible());

      await tab.getByTestId("hide-screen").focus();
      await page.keyboard.press("Escape");
      await page.keyboard.press("Escape");
      assert.ok(await tab.getByTestId("privacy-screen").isVisible());
      assert.equal(await account.isVisible(), false);
      await page.keyboard.press("Enter");
      assert.ok(await account.isVisible());
    });
  });

  it("asks for the MFA step and retries with the token it returns", async () => {
    const server = await startTabTestServer(distDir, new StandInApi({ validTokens: ["sso-token", "mfa-token"], mfaTokens: ["mfa-token"] }), {
      tokens: ["sso-token"],
      stepUpToken: "mfa-token",
    });
    try {
      await page.goto(`${server.origin}/host.html`);
      const tab = page.frameLocator("#tab");
      const prompt = tab.getByTestId("step-up-prompt");
      await prompt.waitFor();
      assert.match(await prompt.innerText(), /Your role needs a second sign-in step \(MFA\) to see records/);
      await tab.getByTestId("step-up-button").click();
      await tab.getByTestId("signed-in").waitFor();
      await tab.getByTestId("pupil-search").fill("bea");
      await tab.getByTestId("pupil-result").first().waitFor();

      const urls = await page.evaluate(() => (window as unknown as { __authenticateUrls: string[] }).__authenticateUrls);
      assert.equal(urls.length, 1);
      const url = new URL(urls[0]);
      assert.equal(url.origin, "https://login.example.invalid");
      assert.match(url.searchParams.get("claims") ?? "", /"acrs"/);
      assert.ok(server.api.calls.some((c) => c.path.startsWith("/api/pupils") && c.token === "mfa-token"));
    } finally {
      await server.close();
    }
  });

  it("says plainly when it is opened outside Teams", async () => {
    const server = await startTabTestServer(distDir, new StandInApi({ validTokens: [] }), { tokens: ["x"], stepUpToken: "x" });
    try {
      await page.goto(`${server.origin}/index.html`);
      const error = page.getByTestId("startup-error");
      await error.waitFor({ timeout: 10_000 });
      assert.match(await error.innerText(), /Keepsafe must be opened inside Microsoft Teams \(or the local Teams host\)/);
    } finally {
      await server.close();
    }
  });
});
