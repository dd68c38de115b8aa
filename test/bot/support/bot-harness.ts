/**
 * Teams, as far as the bot can tell: a restify server with the real bot endpoint at
 * /api/messages, and a capture server standing in for the Bot Framework connector (the
 * activity's serviceUrl) that records every reply the bot sends. Both bind 127.0.0.1 port 0.
 */
import { randomUUID } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import restify from "restify";
import { createBotEndpoint } from "../../../bot/bot-endpoint.js";
import type { BotService } from "../../../bot/keepsafe-bot.js";
import type { DialogDeps } from "../../../bot/dialogs.js";

export interface CapturedActivity {
  conversationId: string;
  path: string;
  activity: {
    type: string;
    text?: string;
    replyToId?: string;
    attachments?: { contentType: string; content: Record<string, unknown> }[];
  };
}

export interface BotHarness {
  botUrl: string;
  serviceUrl: string;
  sent: CapturedActivity[];
  post(activity: Record<string, unknown>): Promise<{ status: number; body: unknown }>;
  /** An activity as Teams posts it: from a member of staff (their Entra object id) in `conversation`, with `extra` on top. */
  activity(extra: Record<string, unknown>, from: string, conversation: { id: string; conversationType: string }): Record<string, unknown>;
  /** Waits until the connector has received `count` activities in total (replies are sent before the HTTP answer, but be safe). */
  waitForSent(count: number, timeoutMs?: number): Promise<CapturedActivity[]>;
  close(): Promise<void>;
}

/** The school's tenant as the harness's bot is configured; every activity it builds names it, as Teams does. */
export const HARNESS_TENANT_ID = "0b7e4c2a-6d1f-4a3e-9c8b-5f2e1d0a9b7c";

const listen = (server: { listen: (...a: never[]) => unknown; address(): unknown }, ready: (cb: () => void) => void) =>
  new Promise<number>((resolve) => ready(() => resolve((server.address() as AddressInfo).port)));

export async function startBotHarness(service: BotService, options: { dialogs?: DialogDeps } = {}): Promise<BotHarness> {
  const sent: CapturedActivity[] = [];
  let counter = 0;
  const connector = http.createServer((req, res) => {
    let raw = "";
    req.on("data", (c) => (raw += c));
    req.on("end", () => {
      const match = /^\/v3\/conversations\/([^/]+)\/activities(?:\/[^/]+)?$/.exec(req.url ?? "");
      if (req.method !== "POST" || !match) {
        res.writeHead(404);
        res.end();
        return;
      }
      sent.push({ conversationId: decodeURIComponent(match[1]), path: req.url!, activity: JSON.parse(raw) });
      // Not chained: restify patches http.ServerResponse.prototype and writeHead stops returning `this`.
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ id: `sent-${++counter}` }));
    });
  });
  const connectorPort = await listen(connector as never, (cb) => connector.listen(0, "127.0.0.1", cb));

  const endpoint = createBotEndpoint({ service, tenantId: HARNESS_TENANT_ID, dialogs: options.dialogs });
  const server = restify.createServer({ name: "keepsafe-bot-test" });
  server.use(restify.plugins.bodyParser());
  // restify 11 accepts only async handlers with two arguments (or callback ones with three).
  server.post("/api/messages", async (req: restify.Request, res: restify.Response) => {
    await endpoint.handle(req, res);
  });
  const botPort = await listen(server as never, (cb) => server.listen(0, "127.0.0.1", cb));

  const botUrl = `http://127.0.0.1:${botPort}/api/messages`;
  const serviceUrl = `http://127.0.0.1:${connectorPort}/`;
  return {
    botUrl,
    serviceUrl,
    sent,
    activity: (extra, from, conversation) => ({
      id: randomUUID(),
      channelId: "msteams",
      serviceUrl,
      from: { id: `29:${from}`, aadObjectId: from, name: "A member of staff" },
      recipient: { id: "28:keepsafe-bot", name: "Keepsafe" },
      conversation,
      channelData: { tenant: { id: HARNESS_TENANT_ID } },
      timestamp: new Date().toISOString(),
      ...extra,
    }),
    async post(activity) {
      const res = await fetch(botUrl, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(activity),
      });
      const text = await res.text();
      return { status: res.status, body: text ? JSON.parse(text) : undefined };
    },
    async waitForSent(count, timeoutMs = 5_000) {
      const deadline = Date.now() + timeoutMs;
      while (sent.length < count) {
        if (Date.now() > deadline) throw new Error(`connector received ${sent.length} activities, expected ${count}`);
        await new Promise((r) => setTimeout(r, 20));
      }
      return sent;
    },
    async close() {
      // fetch keeps connections alive; close them or close() waits for their idle timeout.
      const closing = new Promise<void>((r) => server.close(() => r()));
      server.server.closeAllConnections();
      await closing;
      connector.closeAllConnections();
      await new Promise<void>((r) => connector.close(() => r()));
    },
  };
}
