/**
 * The alert card in Teams chat: sent proactively to each alerted person once their alert has gone
 * out, then answered from the card: "Mark as read" (the same acknowledgement the tab records),
 * "Add action" (a form, then the same command as the tab), and Teams' per-user refresh. Card
 * answers use the alerted-person rule (policy.assertCanAnswerOwnAlert) because the bot carries no
 * MFA; none of them shows the record.
 */
import { randomUUID } from "node:crypto";
import { CardFactory, TurnContext, type CloudAdapter, type ConversationReference, type InvokeResponse } from "botbuilder";
import { z } from "zod";
import type { KeepsafeService } from "../src/app/keepsafe-service.js";
import type { AlertCardSender } from "../src/ports/alert-cards.js";
import type { Actor } from "../src/domain/actor.js";
import { isKeepsafeError, UnauthenticatedError, type FieldProblem } from "../src/domain/errors.js";
import { childLogger } from "../src/logger.js";
import { cardResponse, chatMessageFor, errorResponse, errorResponseFor } from "./card-errors.js";
import { ACKNOWLEDGE_ALERT_VERB, ADD_ACTION_VERB, ALERT_CARD_VERBS, OPEN_ADD_ACTION_VERB, addActionCard, alertCard } from "./cards/alert-card.js";
import type { AdaptiveCard } from "./cards/card-kit.js";
import type { ConversationReferenceStore } from "./conversation-references.js";
import { cardDataSchema, parseCardData } from "./card-data.js";
import { wallClockNow, wallClockToIso } from "../src/domain/wall-clock.js";

const log = childLogger("alert-card");

export type AlertCardService = Pick<
  KeepsafeService,
  "resolveActor" | "formOptions" | "alertCardView" | "acknowledgeAlertFromCard" | "addActionFromCard"
>;

export interface AlertCardsDeps {
  service: AlertCardService;
  references: ConversationReferenceStore;
  adapter: CloudAdapter;
  /** The bot's app id ("" in local mode, where the connector takes no token). */
  botAppId: string;
  /** The Teams deep link to the tab at an incident (subEntityId incident:{id}). */
  deepLink: (incidentId: string) => string;
}

const text = z.preprocess((v) => (v === undefined || v === null ? "" : v), z.coerce.string());
const cardData = z.object({
  incidentId: text.pipe(z.string().trim().min(1).max(200)),
  requestId: text,
  text,
  occurredDate: text,
  occurredTime: text,
  kind: text,
  taggedStaffIds: text.transform((s) =>
    s
      .split(",")
      .map((x) => x.trim())
      .filter(Boolean),
  ),
});

export class AlertCards implements AlertCardSender {
  constructor(private readonly deps: AlertCardsDeps) {}

  handles = (verb: unknown): verb is string => typeof verb === "string" && ALERT_CARD_VERBS.includes(verb);

  /** Keeps where the person can be reached: any activity of theirs in a personal chat with the bot. */
  async remember(context: TurnContext): Promise<void> {
    const a = context.activity;
    const staffId = a.from?.aadObjectId;
    const type = a.conversation?.conversationType;
    if (!staffId || !a.serviceUrl || (type !== undefined && type !== "personal")) return;
    await this.deps.references.save(staffId, TurnContext.getConversationReference(a));
  }

  async sendAlertCard(alert: { incidentId: string; recipientStaffId: string }): Promise<"sent" | "no-conversation"> {
    const reference = await this.deps.references.get(alert.recipientStaffId);
    if (!reference) return "no-conversation";
    const actor = await this.deps.service.resolveActor(alert.recipientStaffId, { mfa: false, via: "job" });
    const view = await this.deps.service.alertCardView(actor, alert.incidentId);
    const card = alertCard(view, { deepLink: this.deps.deepLink(view.incidentId), userIds: userIdsOf(reference) });
    await this.deps.adapter.continueConversationAsync(this.deps.botAppId, reference, async (context) => {
      await context.sendActivity({ attachments: [CardFactory.adaptiveCard(card)] });
    });
    log.info({ event: "alert-card.sent", incidentId: alert.incidentId, staffId: alert.recipientStaffId }, "alert card sent");
    return "sent";
  }

  /** adaptiveCard/action with one of the alert card's verbs: answered with the card that replaces it. */
  async onInvoke(context: TurnContext, verb: string, data: unknown): Promise<InvokeResponse> {
    try {
      return cardResponse(await this.cardFor(context, verb, data));
    } catch (error) {
      log.warn({ event: "alert-card.failed", verb, code: errorCode(error) }, "alert card action failed");
      return isKeepsafeError(error) || !(error instanceof z.ZodError)
        ? errorResponseFor(error)
        : errorResponse(400, "validation_failed", "This card is missing its record. Open Keepsafe instead.");
    }
  }

  /** The Action.Submit fallback for older clients: the same answer, as a new message. */
  async onMessage(context: TurnContext, verb: string, value: unknown): Promise<void> {
    try {
      await context.sendActivity({ attachments: [CardFactory.adaptiveCard(await this.cardFor(context, verb, value))] });
    } catch (error) {
      log.warn({ event: "alert-card.failed", verb, code: errorCode(error), via: "message" }, "alert card action failed");
      await context.sendActivity(chatMessageFor(error));
    }
  }

  private async cardFor(context: TurnContext, verb: string, raw: unknown): Promise<AdaptiveCard> {
    // Unsafe keys get their own clear refusal (a KeepsafeError); then only the card's own fields are read.
    const data = cardData.parse(parseCardData(cardDataSchema, raw));
    const actor = await this.actorFor(context);
    const userIds = userIdsOf(TurnContext.getConversationReference(context.activity));
    const shown = async (notice?: string) =>
      alertCard(await this.deps.service.alertCardView(actor, data.incidentId), { deepLink: this.deps.deepLink(data.incidentId), userIds, notice });
    switch (verb) {
      case ACKNOWLEDGE_ALERT_VERB:
        await this.deps.service.acknowledgeAlertFromCard(actor, data.incidentId);
        log.info({ event: "alert.acknowledged", via: "alert-card", incidentId: data.incidentId, staffId: actor.staffId }, "alert marked read");
        return shown();
      case OPEN_ADD_ACTION_VERB:
        return this.addActionForm(actor, data.incidentId, randomUUID(), {}, []);
      case ADD_ACTION_VERB:
        return this.addAction(actor, data, shown);
      default:
        return shown();
    }
  }

  private async addAction(actor: Actor, data: z.infer<typeof cardData>, shown: (notice?: string) => Promise<AdaptiveCard>) {
    const { timeZone } = await this.deps.service.formOptions(actor);
    const requestId = data.requestId.length >= 8 ? data.requestId : randomUUID();
    const values = {
      text: data.text,
      occurredDate: data.occurredDate,
      occurredTime: data.occurredTime,
      kind: data.kind,
      taggedStaffIds: data.taggedStaffIds.join(","),
    };
    const occurredAt = wallClockToIso(data.occurredDate, data.occurredTime, timeZone);
    if (!occurredAt)
      return this.addActionForm(actor, data.incidentId, requestId, values, [
        { field: "occurredAt", message: "Give the date and time it happened or was agreed." },
      ]);
    try {
      const { action, created } = await this.deps.service.addActionFromCard(actor, {
        incidentId: data.incidentId,
        requestId,
        text: data.text,
        occurredAt,
        taggedStaffIds: data.taggedStaffIds,
        kind: data.kind === "correction" ? "correction" : "action",
      });
      log.info(
        { event: created ? "action.added" : "action.replayed", via: "alert-card", incidentId: data.incidentId, actionId: action.id },
        "action from the alert card",
      );
      return shown(action.taggedStaffIds.length ? "Your action was added, and the staff you tagged have been alerted." : "Your action was added.");
    } catch (error) {
      if (!isKeepsafeError(error) || error.code !== "validation_failed") throw error;
      return this.addActionForm(actor, data.incidentId, requestId, values, error.fields);
    }
  }

  private async addActionForm(actor: Actor, incidentId: string, requestId: string, values: Record<string, string>, errors: FieldProblem[]) {
    const [view, options] = await Promise.all([this.deps.service.alertCardView(actor, incidentId), this.deps.service.formOptions(actor)]);
    const now = wallClockNow(new Date(options.now), options.timeZone);
    return addActionCard(view, { requestId, staff: options.staff, now, values, errors });
  }

  private async actorFor(context: TurnContext): Promise<Actor> {
    const staffId = context.activity.from?.aadObjectId;
    if (!staffId) throw UnauthenticatedError("Keepsafe could not tell who you are. Open it from Microsoft Teams.");
    // The bot channel carries no sign-in strength, so bot requests never count as MFA.
    return this.deps.service.resolveActor(staffId, { mfa: false, via: "bot" });
  }
}

/** Teams refreshes a card for the users listed by MRI ("29:…"); the Entra object id is the fallback. */
function userIdsOf(reference: Partial<ConversationReference>): string[] {
  const id = reference.user?.id || reference.user?.aadObjectId;
  return id ? [id] : [];
}

const errorCode = (error: unknown) => (isKeepsafeError(error) ? error.code : error instanceof Error ? error.name : "unknown");
