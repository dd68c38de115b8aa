/**
 * Finding 2 in a real browser: a hostile page on another origin, open in a teacher's Chromium on
 * the same machine as a local-mode Keepsafe, tries to record a Child Protection concern "from" the
 * DSL by the posts any page may make cross-site without a preflight: HTML forms (urlencoded, whose
 * `a[b]` names the body parser turns into a whole nested activity, and text/plain, whose name=value
 * can spell JSON) and a no-cors fetch with a JSON text body. Nothing may be recorded.
 */
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import type { Browser } from "playwright-core";
import { wallClockNow } from "../../src/domain/wall-clock.js";
import { launchBrowser, newLoopbackPage } from "../support/browser.js";
import { startTestKeepsafe, staffByRole, type TestKeepsafe } from "../support/keepsafe-instance.js";
import { BotConversation } from "../support/bot-conversation.js";

const dsl = staffByRole(/^DSL/);
const escape = (s: string) => s.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;");

/** The activity as flat `a[b][c]` form fields, the way qs (restify's urlencoded parser) nests them. */
function formFields(value: unknown, prefix = ""): [string, string][] {
  if (value === null || typeof value !== "object") return [[prefix, String(value)]];
  return Object.entries(value).flatMap(([k, v]) => formFields(v, prefix ? `${prefix}[${k}]` : k));
}

function hostilePage(messagesUrl: string, activities: { urlencoded: object; textPlain: object; fetched: object }): string {
  const inputs = formFields(activities.urlencoded)
    .map(([n, v]) => `<input type="hidden" name="${escape(n)}" value="${escape(v)}">`)
    .join("");
  // text/plain sends `name=value`: the name holds the JSON up to a string the value closes.
  const json = JSON.stringify({ ...activities.textPlain, pad: "" });
  const name = json.slice(0, -2);
  return `<!doctype html><html><body>
<iframe name="f1"></iframe><iframe name="f2"></iframe>
<form id="a" method="POST" action="${messagesUrl}" enctype="application/x-www-form-urlencoded" target="f1">${inputs}</form>
<form id="b" method="POST" action="${messagesUrl}" enctype="text/plain" target="f2"><input type="hidden" name="${escape(name)}" value='"}'></form>
<script>
  window.done = 0;
  for (const f of document.querySelectorAll("iframe")) f.addEventListener("load", () => window.done++);
  document.getElementById("a").submit();
  document.getElementById("b").submit();
  fetch(${JSON.stringify(messagesUrl)}, { method: "POST", mode: "no-cors", headers: { "content-type": "text/plain" }, body: ${JSON.stringify(JSON.stringify(activities.fetched))} })
    .finally(() => window.done++);
</script></body></html>`;
}

describe("security: finding 2 — a page from another origin cannot make Keepsafe record anything", function () {
  this.timeout(120_000);
  let keepsafe: TestKeepsafe;
  let browser: Browser;
  let hostile: http.Server;

  before(async () => {
    keepsafe = await startTestKeepsafe();
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    hostile?.closeAllConnections();
    await new Promise<void>((r) => (hostile ? hostile.close(() => r()) : r()));
    await keepsafe?.cleanup();
  });

  it("records no concern from an auto-submitted form (urlencoded, text/plain) or a no-cors fetch", async () => {
    const tenantId = keepsafe.config.identity.tenantId;
    const chat = new BotConversation(keepsafe.url, keepsafe.local.connector!, dsl, tenantId);
    const pupilId = (await chat.search("b")).body.value.results[0].value as string;
    const records = keepsafe.service["deps"].records;
    const chronologyBefore = (await records.chronology(pupilId)).length;
    const anHourAgo = wallClockNow(new Date(Date.now() - 60 * 60_000), "Europe/London");
    const activity = (submissionId: string) => ({
      type: "invoke",
      name: "adaptiveCard/action",
      channelId: "msteams",
      serviceUrl: `${keepsafe.url}/local-connector/`,
      from: { id: `29:${dsl.oid}`, aadObjectId: dsl.oid, name: dsl.displayName },
      recipient: { id: "28:keepsafe-bot", name: "Keepsafe" },
      conversation: { id: `local-${dsl.oid}`, conversationType: "personal", tenantId },
      channelData: { tenant: { id: tenantId } },
      value: {
        trigger: "manual",
        action: {
          type: "Action.Execute",
          verb: "submitConcern",
          data: {
            verb: "submitConcern",
            submissionId,
            pupilId,
            categoryIds: "child-protection",
            occurredDate: anHourAgo.date,
            occurredTime: anHourAgo.time,
            account: "Made-up disclosure written by a hostile web page.",
            alertStaffIds: dsl.oid,
          },
        },
      },
    });
    const ids = { urlencoded: randomUUID(), textPlain: randomUUID(), fetched: randomUUID() };
    const page = hostilePage(`${keepsafe.url}/api/messages`, {
      urlencoded: activity(ids.urlencoded),
      textPlain: activity(ids.textPlain),
      fetched: activity(ids.fetched),
    });
    hostile = http.createServer((_req, res) => {
      res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
      res.end(page);
    });
    await new Promise<void>((r) => hostile.listen(0, "127.0.0.1", () => r()));
    const hostileOrigin = `http://127.0.0.1:${(hostile.address() as AddressInfo).port}`;
    assert.notEqual(new URL(hostileOrigin).origin, new URL(keepsafe.url).origin);

    const tab = await newLoopbackPage(browser);
    const answers: number[] = [];
    tab.on("response", (r) => r.url().endsWith("/api/messages") && answers.push(r.status()));
    await tab.goto(hostileOrigin);
    await tab.waitForFunction(() => (window as unknown as { done: number }).done >= 3, undefined, { timeout: 30_000 });
    await tab.context().close();

    for (const [how, id] of Object.entries(ids)) assert.equal(await records.findBySubmission(id), undefined, `${how}: nothing recorded`);
    assert.equal((await records.chronology(pupilId)).length, chronologyBefore, "the pupil's chronology is unchanged");
    assert.deepEqual(answers, [415, 415, 415], "the browser made all three posts and each was refused unread");
  });
});
