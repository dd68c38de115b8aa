import type { KeepsafeConfig } from "../src/config.js";
import type { KeepsafeService } from "../src/app/keepsafe-service.js";
import { createBotEndpoint, type BotEndpoint } from "./bot-endpoint.js";
import type { ChatAddressStore } from "../src/ports/chat-addresses.js";
import { conversationReferencesIn } from "./conversation-references.js";

/**
 * The bot endpoint as configured: with Bot settings every activity must carry a valid Bot
 * Framework token; without them (local mode) the HTTP server admits loopback callers only.
 */
export const messagesEndpointFor =
  (config: Pick<KeepsafeConfig, "bot" | "teamsAppId" | "identity">) =>
  (service: KeepsafeService, extras: { publicUrl: () => string; chatAddresses?: ChatAddressStore }): BotEndpoint =>
    createBotEndpoint({
      service,
      tenantId: config.identity.tenantId,
      dialogs: { publicUrl: extras.publicUrl, drafts: service },
      alertCards: {
        service,
        teamsAppId: config.teamsAppId,
        ...(extras.chatAddresses ? { references: conversationReferencesIn(extras.chatAddresses) } : {}),
      },
      auth: config.bot.appId ? { appId: config.bot.appId, appPassword: config.bot.appPassword!, tenantId: config.bot.tenantId } : undefined,
    });
