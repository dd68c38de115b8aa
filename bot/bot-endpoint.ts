/**
 * The HTTP door Teams (through the Bot Framework connector) posts activities to. It declares the
 * request and response shapes botbuilder needs, so any server (restify, node:http) can mount it:
 *   server.post("/api/messages", async (req, res) => { await endpoint.handle(req, res); });
 * (restify 11 refuses a non-async handler with fewer than three arguments.)
 * With no auth it accepts unauthenticated activities and replies without a token: loopback-only
 * local mode. Production always passes the single-tenant app registration.
 */
import {
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  ConfigurationServiceClientCredentialFactory,
  type Request,
  type Response,
  type TurnContext,
} from "botbuilder";
import { isKeepsafeError } from "../src/domain/errors.js";
import { childLogger } from "../src/logger.js";
import type { DialogDeps } from "./dialogs.js";
import { KeepsafeBot, type BotService } from "./keepsafe-bot.js";
import { AlertCards, type AlertCardService } from "./alert-card.js";
import { InMemoryConversationReferences, type ConversationReferenceStore } from "./conversation-references.js";
import { buildDeepLink } from "../src/app/alert-content.js";
import { isSchoolTenant, OTHER_TENANT, refuse } from "./activity-scope.js";
import { withinRequest } from "../src/app/request-scope.js";
import { savedWhenChanged } from "./saved-when-changed.js";

const log = childLogger("bot-endpoint");

export const TURN_ERROR_APOLOGY = "Sorry, Keepsafe hit a problem and could not finish that. Nothing you typed has been lost; please try again.";

export interface BotEndpointDeps {
  service: BotService;
  /** The school's Microsoft 365 tenant: activities naming any other are refused before the bot reads them. */
  tenantId: string;
  auth?: { appId: string; appPassword: string; tenantId: string };
  /** The body map and files dialogs (PUBLIC_URL and the form-draft use cases); without it task/fetch is not offered. */
  dialogs?: DialogDeps;
  /** The alert card sent into each alerted person's chat; without it no alert cards are sent. */
  alertCards?: { service: AlertCardService; teamsAppId: string; tabEntityId?: string; references?: ConversationReferenceStore };
}

export interface BotEndpoint {
  handle(req: Request, res: Response): Promise<void>;
  readonly bot: KeepsafeBot;
  /** Given to the alert dispatcher (src/compose.ts). */
  readonly alertCards?: AlertCards;
}

export function createBotEndpoint(deps: BotEndpointDeps): BotEndpoint {
  const auth = deps.auth
    ? new ConfigurationBotFrameworkAuthentication(
        { MicrosoftAppId: deps.auth.appId, MicrosoftAppTenantId: deps.auth.tenantId },
        // New multi-tenant registrations ended in 2025 (platform-notes): Keepsafe is single-tenant.
        new ConfigurationServiceClientCredentialFactory({
          MicrosoftAppId: deps.auth.appId,
          MicrosoftAppPassword: deps.auth.appPassword,
          MicrosoftAppType: "SingleTenant",
          MicrosoftAppTenantId: deps.auth.tenantId,
        }),
      )
    : new ConfigurationBotFrameworkAuthentication({});
  const adapter = new CloudAdapter(auth);
  adapter.onTurnError = async (context: TurnContext, error: Error) => {
    // Codes and activity types only: an error's message may quote what someone typed.
    log.error(
      {
        event: "turn.failed",
        code: isKeepsafeError(error) ? error.code : (error?.name ?? "unknown"),
        activityType: context.activity.type,
        activityName: context.activity.name,
      },
      "unhandled error in a bot turn",
    );
    try {
      await context.sendActivity(TURN_ERROR_APOLOGY);
    } catch (sendError) {
      log.error({ event: "turn.apology-failed", code: (sendError as Error)?.name ?? "unknown" }, "could not send the apology");
    }
  };
  const cards = deps.alertCards;
  const alertCards = cards
    ? new AlertCards({
        service: cards.service,
        references: savedWhenChanged(cards.references ?? new InMemoryConversationReferences()),
        adapter,
        botAppId: deps.auth?.appId ?? "",
        deepLink: (incidentId) => buildDeepLink(cards.teamsAppId, cards.tabEntityId || "keepsafe", `incident:${incidentId}`),
      })
    : undefined;
  const bot = new KeepsafeBot(deps.service, { dialogs: deps.dialogs, alertCards });
  return {
    bot,
    alertCards,
    // Each activity reads the school once however many use cases ask (request-scope.ts).
    handle: (req, res) =>
      withinRequest(() =>
        adapter.process(req, res, async (context) => {
          if (isSchoolTenant(context, deps.tenantId)) return bot.run(context);
          log.warn(
            { event: "activity.other-tenant", activityType: context.activity.type, activityName: context.activity.name },
            "activity from another tenant refused",
          );
          await refuse(context, OTHER_TENANT);
        }),
      ),
  };
}
