// The local Teams host: a restify server with the host routes, a stand-in tab using the real teams-js,
// a stand-in identity provider and a stand-in bot, driven in headless Chromium.
import assert from "node:assert/strict";
import type { AddressInfo } from "node:net";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { readFile } from "node:fs/promises";
import { build } from "esbuild";
import restify, { type Request, type Response, type Server } from "restify";
import { chromium, type Browser, type Frame, type Page } from "playwright-core";
import { createLocalConnector, isLoopback, registerTeamsHost, type LocalConnector } from "../../src/local/teams-host/index.js";
import { registerStandInBot, startStandInIdentity, type StandInIdentity } from "./support/teams-host-stand-ins.js";

const here = dirname(fileURLToPath(import.meta.url));
const SCREENSHOT = "/tmp/keepsafe-teams-host.png";
const TENANT = "00000000-0000-4000-8000-0000000000aa";
const staff = [
  { oid: "11111111-1111-4111-8111-111111111111", displayName: "Dana Lead", role: "DSL", label: "DSL (head teacher)", email: "dana@school.example" },
  { oid: "22222222-2222-4222-8222-222222222222", displayName: "Tom Teach", role: "Teacher", label: "Teacher", email: "tom@school.example" },
];

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** Waits for a frame element's text to satisfy a check; returns the text. */
async function textOf(frame: Frame, selector: string, ok: (t: string) => boolean = (t) => t.length > 0, timeout = 15_000) {
  const end = Date.now() + timeout;
  let text = "";
  while (Date.now() < end) {
    text =
      (await frame
        .locator(selector)
        .textContent()
        .catch(() => "")) ?? "";
    if (ok(text)) return text;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${selector} never matched; last text: ${text}`);
}

describe("local Teams host", function () {
  this.timeout(90_000);
  let server: Server;
  let origin: string;
  let identity: StandInIdentity;
  let connector: LocalConnector;
  let bot: ReturnType<typeof registerStandInBot>;
  let browser: Browser;
  let page: Page;

  before(async () => {
    identity = await startStandInIdentity(TENANT);
    server = restify.createServer({ handleUncaughtExceptions: false });
    // As src/http-server.ts does: the host's routes must work with the body already parsed.
    server.use(restify.plugins.queryParser({ mapParams: false }));
    server.use(restify.plugins.bodyParser({ mapParams: false }));
    connector = registerTeamsHost(server, {
      staff,
      tenantId: TENANT,
      identityAuthority: identity.authority,
      graphSandboxUrl: "/graph-sandbox/",
      appName: "Keepsafe",
    });
    bot = registerStandInBot(server);
    const tabScript = await build({
      entryPoints: [join(here, "support", "teams-host-stand-in-tab.ts")],
      bundle: true,
      write: false,
      format: "iife",
      platform: "browser",
      logLevel: "silent",
    });
    const tabHtml = await readFile(join(here, "support", "teams-host-stand-in-tab.html"));
    server.get("/tab/*", async (req: Request, res: Response) => {
      const js = req.url?.startsWith("/tab/stand-in-tab.js");
      res.writeHead(200, { "content-type": js ? "text/javascript" : "text/html" });
      res.end(js ? tabScript.outputFiles[0].contents : tabHtml);
    });
    origin = await listen(server);
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
    server?.close();
    await identity?.close();
  });

  it("hosts the tab, chats with the bot and swaps the card on Action.Execute", async () => {
    const context = await browser.newContext({ viewport: { width: 1400, height: 860 } });
    // Nothing may leave this machine: teams-js would otherwise fetch its origin list from Microsoft's CDN.
    await context.route("**/*", (route) => (new URL(route.request().url()).hostname === "127.0.0.1" ? route.continue() : route.abort()));
    page = await context.newPage();
    const dsl = staff[0];
    await page.goto(`${origin}/?as=${dsl.oid}#subEntityId=incident-42`);

    const tab = page.frame({ url: /\/tab\/index\.html/ }) ?? (await (await page.waitForSelector("#kh-tab")).contentFrame())!;
    await textOf(tab, "#token", (t) => t.length > 0 || false);
    assert.equal(await tab.locator("#error").textContent(), "");
    assert.equal(await tab.locator("#init").textContent(), "initialized");
    const ctx = JSON.parse(await textOf(tab, "#context"));
    assert.deepEqual(ctx, {
      userId: dsl.oid,
      displayName: dsl.displayName,
      upn: dsl.email,
      tenantId: TENANT,
      pageId: "keepsafe",
      subPageId: "incident-42",
      frameContext: "content",
      hostName: "Teams",
      clientType: "web",
      theme: "default",
    });
    assert.equal(await tab.locator("#token").textContent(), `token-for-${dsl.oid}-mfa-true`);
    assert.deepEqual(identity.requests.at(-1), { oid: dsl.oid, name: dsl.displayName, preferredUsername: dsl.email, mfa: true });
    assert.equal(await tab.locator("#dialog-supported").textContent(), "true");
    assert.notEqual(await textOf(tab, "#unsupported"), "");

    // dialog.url.open: the host shows the page in a modal and hands its submission back to the tab.
    await tab.evaluate("openTestDialog()");
    await page.locator(".kh-dialog iframe").waitFor();
    assert.deepEqual(JSON.parse(await textOf(tab, "#dialog-result")), { submittedFrom: "task" });
    assert.equal(await page.locator(".kh-dialog").count(), 0);

    // Chat: the bot's reply arrives through the capture connector and is drawn by adaptivecards.
    await page.locator("#kh-compose input").fill("hello");
    await page.locator("#kh-compose button").click();
    const card = page.locator(".kh-from-bot .ac-adaptiveCard");
    await card.waitFor({ timeout: 15_000 });
    const sent = bot.received.find((a) => a.type === "message")!;
    assert.equal(sent.text, "hello");
    assert.equal(sent.channelId, "msteams");
    assert.deepEqual(sent.from, { id: `29:${dsl.oid}`, aadObjectId: dsl.oid, name: dsl.displayName });
    assert.deepEqual(sent.conversation, { id: `local-${dsl.oid}`, conversationType: "personal", tenantId: TENANT });
    assert.equal(sent.recipient.id, "28:keepsafe-bot");
    assert.equal(sent.serviceUrl, `${origin}/local-connector/`);
    assert.equal(connector.activities(`local-${dsl.oid}`).length, 1);

    // Typeahead: the Data.Query choice set becomes a text box that asks the bot for suggestions.
    const pupil = card.locator("input[data-typeahead='pupils']");
    await pupil.pressSequentially("year 8");
    await page.locator(".kh-typeahead li[role='option']", { hasText: "Pupil B" }).click();
    const search = bot.received.find((a) => a.name === "application/search")!;
    assert.deepEqual(search.value, { queryText: "year 8", queryOptions: { skip: 0, top: 15 }, dataset: "pupils" });

    await card.locator("input[aria-label='Note'], input[placeholder='What happened next']").first().fill("Spoke to parent");
    await page.screenshot({ path: SCREENSHOT.replace(".png", "-before.png") });
    await card.locator("button", { hasText: "Save" }).click();

    await page.locator(".kh-from-bot .ac-adaptiveCard", { hasText: "Saved: Spoke to parent" }).waitFor({ timeout: 15_000 });
    const invoke = bot.received.find((a) => a.name === "adaptiveCard/action")!;
    assert.deepEqual(invoke.value, {
      action: { type: "Action.Execute", verb: "saveNote", data: { recordId: "r1", note: "Spoke to parent", pupil: "pupil-002" } },
      trigger: "manual",
    });
    assert.equal(invoke.replyToId, connector.activities(`local-${dsl.oid}`)[0].id);
    assert.equal(await page.locator(".kh-from-bot .ac-adaptiveCard").count(), 1, "the card is replaced, not added");
    // Teams keeps the swapped card, so the connector holds it too.
    await connector.waitForActivity(`local-${dsl.oid}`, (a) => JSON.stringify(a.attachments).includes("Saved: Spoke to parent"));
    await page.screenshot({ path: SCREENSHOT });

    // Switching user reloads the tab as that user, without MFA for a teacher.
    const teacher = staff[1];
    await page.locator("#kh-user").selectOption(teacher.oid);
    assert.equal(await page.locator("#kh-mfa").isChecked(), false);
    const tab2 = page.frame({ url: /\/tab\/index\.html/ })!;
    await textOf(tab2, "#token", (t) => t === `token-for-${teacher.oid}-mfa-false`);
    assert.equal(JSON.parse(await textOf(tab2, "#context")).userId, teacher.oid);
    assert.equal(await page.locator(".kh-from-bot").count(), 0, "each user has their own chat");
    await context.close();
  });

  it("serves the host page with the staff picker and the Graph sandbox link", async () => {
    const res = await fetch(`${origin}/`);
    assert.equal(res.status, 200);
    const html = await res.text();
    assert.match(html, /Chat with Keepsafe/);
    assert.match(html, /DSL \(head teacher\)/);
    assert.match(html, /\/graph-sandbox\//);
    assert.equal((await fetch(`${origin}/teams-host/host.js`)).status, 200);
    assert.equal((await fetch(`${origin}/teams-host/nope.js`)).status, 404);
  });

  it("captures replies, updates and deletes, and answers member look-ups", async () => {
    const base = `${origin}/local-connector/v3/conversations/${encodeURIComponent("local-" + staff[1].oid)}`;
    const json = { "content-type": "application/json" };
    const created = await (
      await fetch(`${base}/activities`, { method: "POST", headers: json, body: JSON.stringify({ type: "message", text: "one" }) })
    ).json();
    assert.ok(created.id);
    await fetch(`${base}/activities/${created.id}`, { method: "PUT", headers: json, body: JSON.stringify({ type: "message", text: "two" }) });
    assert.deepEqual(
      connector.activities(`local-${staff[1].oid}`).map((a) => a.text),
      ["two"],
    );
    await fetch(`${base}/activities/${created.id}`, { method: "DELETE" });
    assert.equal(connector.activities(`local-${staff[1].oid}`).length, 0);
    const member = await (await fetch(`${base}/members/${encodeURIComponent("29:" + staff[1].oid)}`)).json();
    assert.equal(member.aadObjectId, staff[1].oid);
    assert.equal(member.email, staff[1].email);
    const log = await (
      await fetch(`${origin}/local-connector/conversations/${encodeURIComponent("local-" + staff[1].oid)}/activities?after=0`)
    ).json();
    assert.deepEqual(log.entries.map((e: { op: string }) => e.op).slice(-3), ["create", "update", "delete"]);
    // Writes must be JSON, which a cross-site form cannot send without a preflight.
    assert.equal((await fetch(`${base}/activities`, { method: "POST", body: "x" })).status, 415);
  });

  it("works without restify's bodyParser too", async () => {
    const bare = restify.createServer();
    const own = createLocalConnector();
    registerTeamsHost(bare, { staff, tenantId: TENANT, identityAuthority: identity.authority, connector: own });
    const url = await listen(bare);
    const res = await fetch(`${url}/local-connector/v3/conversations/c1/activities`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ type: "message", text: "hi" }),
    });
    assert.equal(res.status, 200);
    assert.equal(own.activities("c1")[0].text, "hi");
    bare.close();
  });

  it("treats only loopback addresses as local", () => {
    for (const a of ["127.0.0.1", "::1", "::ffff:127.0.0.1"]) assert.equal(isLoopback(a), true, a);
    for (const a of ["10.0.0.1", "192.168.1.2", "::ffff:10.0.0.1", undefined]) assert.equal(isLoopback(a), false, String(a));
  });
});
