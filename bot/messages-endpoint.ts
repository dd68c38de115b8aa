import type { KeepsafeConfig } from "../src/config.js";
import type { KeepsafeService } from "../src/app/keepsafe-service.js";
import { createBotEndpoint, type BotEndpoint } from "./bot-endpoint.js";

/**
 * The bot endpoint as configured: with Bot settings every activity must carry a valid Bot
 * Framework token; without them (local mode) the HTTP server admits loopback callers only.
 */
export const messagesEndpointFor =
  (config: Pick<KeepsafeConfig, "bot">) =>
  (service: KeepsafeService): BotEndpoint =>
    createBotEndpoint({
      service,
      auth: config.bot.appId
        ? { appId: config.bot.appId, appPassword: config.bot.appPassword!, tenantId: config.bot.tenantId }
        : undefined,
    });
