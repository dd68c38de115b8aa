/**
 * Keepsafe in Teams chat: offers the record-concern form, answers the pupil typeahead and turns
 * a submitted form into a stored incident. It only parses, calls the application service and
 * renders cards; every rule lives in the service and the domain.
 */
import { randomUUID } from "node:crypto";
import {
  CardFactory,
  TeamsActivityHandler,
  type InvokeResponse,
  type MessagingExtensionAction,
  type MessagingExtensionActionResponse,
  type TaskModuleRequest,
  type TaskModuleResponse,
  type TurnContext,
} from "botbuilder";
import type { KeepsafeService } from "../src/app/keepsafe-service.js";
import type { FormOptions } from "../src/app/views.js";
import type { Actor } from "../src/domain/actor.js";
import type { Incident } from "../src/domain/incident.js";
import { isKeepsafeError, UnauthenticatedError, ValidationError } from "../src/domain/errors.js";
import { childLogger } from "../src/logger.js";
import { cardResponse, chatMessageFor, errorResponse, errorResponseFor } from "./card-errors.js";
import { confirmationCard } from "./cards/confirmation-card.js";
import { errorCard } from "./cards/error-card.js";
import { recordConcernCard, REFRESH_CONCERN_VERB, SUBMIT_CONCERN_VERB } from "./cards/record-concern-card.js";
import type { AdaptiveCard } from "./cards/card-kit.js";
import { parseConcernCard, recordIncidentInputFrom, type ConcernCard } from "./concern-input.js";
import { confirmationView, pupilTitles } from "./confirmation-view.js";
import { formAgainCard, type FieldErrors } from "./form-again.js";
import { PUPILS_DATASET, searchInvokeValueSchema, searchPupilsResponse } from "./pupil-search.js";
import { choicesFor, freshPupilChoices, pupilPicks, typedPupil, type PupilPicks } from "./pupil-choices.js";
import { Dialogs, type DialogDeps } from "./dialogs.js";
import { MessageExtension } from "./message-extension.js";
import { withBodyMapButton } from "./cards/body-map-dialog.js";
import type { AlertCards } from "./alert-card.js";
import { isPersonal, PERSONAL_CHAT_ONLY, refusalFor } from "./activity-scope.js";

const log = childLogger("bot");

/** The service calls the bot makes; a narrow view keeps the bot easy to test and to move. */
export type BotService = Pick<
  KeepsafeService,
  "resolveActor" | "searchPupils" | "formOptions" | "recordIncident" | "recentPupils" | "pupilsByIds" | "pupilsForTypedName"
>;

export { PERSONAL_CHAT_ONLY };

type SubmitOutcome = { kind: "recorded"; card: AdaptiveCard } | { kind: "needs-attention"; card: AdaptiveCard };

export class KeepsafeBot extends TeamsActivityHandler {
  private readonly messageExtension: MessageExtension;
  private readonly dialogs: Dialogs | undefined;
  private readonly alertCards: AlertCards | undefined;

  constructor(
    private readonly service: BotService,
    options: { dialogs?: DialogDeps; alertCards?: AlertCards } = {},
  ) {
    super();
    this.messageExtension = new MessageExtension(service);
    this.dialogs = options.dialogs ? new Dialogs(service, options.dialogs) : undefined;
    this.alertCards = options.alertCards;
    // Every personal-chat activity tells us where the person's alert cards can go.
    this.onTurn(async (context, next) => {
      await this.alertCards
        ?.remember(context)
        .catch((e: unknown) => log.warn({ event: "reference.not-saved", code: errorCode(e) }, "conversation reference not kept"));
      await next();
    });
    this.onMessage(async (context, next) => {
      const value = context.activity.value as Record<string, unknown> | undefined;
      if (value && this.alertCards?.handles(value.verb)) await this.alertCards.onMessage(context, value.verb, value);
      else if (value && value.verb === SUBMIT_CONCERN_VERB) await this.submitFromMessage(context, value);
      else if (value && value.verb === REFRESH_CONCERN_VERB) await this.refreshFromMessage(context, value);
      else await this.offerForm(context);
      await next();
    });
    this.onMembersAdded(async (context, next) => {
      // In a personal chat the added member is the bot itself (on install) or the person; either way, greet once.
      if (context.activity.membersAdded?.length) await this.offerForm(context);
      await next();
    });
  }

  protected override async onInvokeActivity(context: TurnContext): Promise<InvokeResponse> {
    if (!isPersonal(context) && PERSONAL_ONLY_INVOKES.has(context.activity.name ?? "") && !this.isAlertCardAction(context))
      return refusalFor(context.activity.name, PERSONAL_CHAT_ONLY);
    switch (context.activity.name) {
      case "adaptiveCard/action":
        return this.onCardAction(context);
      case "application/search":
        return this.onSearch(context);
      default:
        return super.onInvokeActivity(context);
    }
  }

  /** Alert cards are only ever sent into personal chats; their buttons keep their own rules. */
  private isAlertCardAction(context: TurnContext): boolean {
    const verb = (context.activity.value as { action?: { verb?: unknown } } | undefined)?.action?.verb;
    return context.activity.name === "adaptiveCard/action" && !!this.alertCards?.handles(verb);
  }

  // Message extension and dialogs live in their own modules; TeamsActivityHandler routes the invokes here.
  protected override handleTeamsMessagingExtensionFetchTask(c: TurnContext, a: MessagingExtensionAction): Promise<MessagingExtensionActionResponse> {
    return this.messageExtension.fetchTask(c, a);
  }
  protected override handleTeamsMessagingExtensionSubmitAction(
    c: TurnContext,
    a: MessagingExtensionAction,
  ): Promise<MessagingExtensionActionResponse> {
    return this.messageExtension.submitAction(c, a);
  }
  protected override handleTeamsTaskModuleFetch(c: TurnContext, r: TaskModuleRequest): Promise<TaskModuleResponse> {
    return this.dialogs ? this.dialogs.fetch(c, r) : super.handleTeamsTaskModuleFetch(c, r);
  }
  protected override handleTeamsTaskModuleSubmit(c: TurnContext, r: TaskModuleRequest): Promise<TaskModuleResponse> {
    return this.dialogs ? this.dialogs.submit(c, r) : super.handleTeamsTaskModuleSubmit(c, r);
  }

  /** Sends a fresh form; each form has its own submissionId so a double submit stores one record. */
  private async offerForm(context: TurnContext) {
    if (!isPersonal(context)) {
      await context.sendActivity(PERSONAL_CHAT_ONLY);
      return;
    }
    try {
      const actor = await this.actorFor(context);
      const options = await this.service.formOptions(actor);
      const submissionId = randomUUID();
      const form = recordConcernCard(options, { submissionId, pupilChoices: await freshPupilChoices(this.service, actor), role: actor.role });
      const card = this.dialogs ? withBodyMapButton(form, submissionId) : form;
      await context.sendActivity({ attachments: [CardFactory.adaptiveCard(card)] });
      log.info({ event: "form.offered", staffId: actor.staffId }, "record-concern form sent");
    } catch (error) {
      log.warn({ event: "form.refused", code: errorCode(error) }, "could not offer the form");
      await context.sendActivity(chatMessageFor(error));
    }
  }

  private async onCardAction(context: TurnContext): Promise<InvokeResponse> {
    const action = (context.activity.value as { action?: { verb?: unknown; data?: unknown } } | undefined)?.action;
    if (this.alertCards?.handles(action?.verb)) return this.alertCards.onInvoke(context, action.verb, action.data);
    if (action?.verb === REFRESH_CONCERN_VERB) {
      try {
        return cardResponse(await this.refreshed(context, action.data));
      } catch (error) {
        log.warn({ event: "form.refresh-failed", code: errorCode(error) }, "form not refreshed");
        return errorResponseFor(error);
      }
    }
    if (action?.verb !== SUBMIT_CONCERN_VERB)
      return errorResponse(400, "unknown_action", "This card's button is no longer supported. Send Keepsafe a message for a new form.");
    try {
      const outcome = await this.submit(context, action.data, "bot");
      return cardResponse(outcome.card);
    } catch (error) {
      log.warn({ event: "concern.failed", code: errorCode(error), via: "invoke" }, "concern not recorded");
      return errorResponseFor(error);
    }
  }

  /** The Action.Submit fallback for older clients: the same path, answered with new messages. */
  private async submitFromMessage(context: TurnContext, value: Record<string, unknown>) {
    if (!isPersonal(context)) {
      await context.sendActivity(PERSONAL_CHAT_ONLY);
      return;
    }
    try {
      const outcome = await this.submit(context, value, "bot");
      await context.sendActivity({ attachments: [CardFactory.adaptiveCard(outcome.card)] });
    } catch (error) {
      log.warn({ event: "concern.failed", code: errorCode(error), via: "message" }, "concern not recorded");
      await context.sendActivity({
        attachments: [CardFactory.adaptiveCard(isKeepsafeError(error) ? errorCard(chatMessageFor(error)) : errorCard())],
      });
    }
  }

  /** "Update form for these categories": the same form, same id, with every typed value kept. */
  private async refreshed(context: TurnContext, data: unknown): Promise<AdaptiveCard> {
    const actor = await this.actorFor(context);
    const options = await this.service.formOptions(actor);
    const concern = parseConcernCard(data, options.categories);
    const pupils = await pupilPicks(this.service, actor, concern.values);
    return this.formAgain(actor, options, concern, pupils.typedNameProblem ? [pupils.typedNameProblem] : [], pupils);
  }

  /** The refresh button's Action.Submit fallback for older clients: the refreshed form as a new message. */
  private async refreshFromMessage(context: TurnContext, value: Record<string, unknown>) {
    if (!isPersonal(context)) {
      await context.sendActivity(PERSONAL_CHAT_ONLY);
      return;
    }
    try {
      await context.sendActivity({ attachments: [CardFactory.adaptiveCard(await this.refreshed(context, value))] });
    } catch (error) {
      log.warn({ event: "form.refresh-failed", code: errorCode(error), via: "message" }, "form not refreshed");
      await context.sendActivity(chatMessageFor(error));
    }
  }

  private async submit(context: TurnContext, data: unknown, source: "bot"): Promise<SubmitOutcome> {
    const actor = await this.actorFor(context);
    const options = await this.service.formOptions(actor);
    // Data the form could never have sent (unsafe keys, another school's categories) is refused outright, not shown again.
    const sent = parseConcernCard(data, options.categories);
    // A typed pupil name that matched one pupil is taken; several or none come back as a problem.
    // The form's pupil lists are read only if the form comes back (choicesFor below).
    const pupils = await typedPupil(this.service, actor, sent.values);
    const concern = { ...sent, values: pupils.values };
    let recorded: { incident: Incident; created: boolean };
    try {
      const input = recordIncidentInputFrom(concern, options.timeZone, source, options.categories, actor.role);
      if (pupils.typedNameProblem) throw ValidationError([pupils.typedNameProblem]);
      recorded = await this.service.recordIncident(actor, input);
    } catch (error) {
      if (!isKeepsafeError(error) || error.code !== "validation_failed") throw error;
      const fields =
        pupils.typedNameProblem && !error.fields.includes(pupils.typedNameProblem) ? [pupils.typedNameProblem, ...error.fields] : error.fields;
      log.info({ event: "concern.needs-attention", fields: fields.map((f) => f.field) }, "form returned with problems");
      return { kind: "needs-attention", card: this.formAgain(actor, options, concern, fields, await choicesFor(this.service, actor, pupils)) };
    }
    const { incident, created } = recorded;
    log.info({ event: created ? "concern.recorded" : "concern.replayed", incidentId: incident.id, staffId: actor.staffId }, "concern submitted");
    return { kind: "recorded", card: await this.confirmation(actor, options, incident, !created) };
  }

  private formAgain(actor: Actor, options: FormOptions, concern: ConcernCard, errors: FieldErrors, pupils: PupilPicks) {
    const { card: form, submissionId } = formAgainCard(actor, options, concern, errors, pupils);
    // A refreshed or corrected form keeps its dialogs, so a body map or files can still be added.
    return this.dialogs ? withBodyMapButton(form, submissionId) : form;
  }

  private async confirmation(actor: Actor, options: FormOptions, incident: Incident, alreadyRecorded: boolean) {
    const pupilTitle = await pupilTitles(this.service, actor, incident);
    return confirmationCard(incident, confirmationView(incident, options, pupilTitle, { alreadyRecorded }));
  }

  private async onSearch(context: TurnContext): Promise<InvokeResponse> {
    const parsed = searchInvokeValueSchema.safeParse(context.activity.value ?? {});
    if (!parsed.success || parsed.data.dataset !== PUPILS_DATASET) return errorResponse(400, "unknown_dataset", "This search is not supported.");
    try {
      const actor = await this.actorFor(context);
      // The Pupil field sends its inputs (associatedInputs): the pupils it already lists are left out,
      // so nobody is listed twice while typing.
      const listed = parsed.data.data ? [parsed.data.data.pupilId, ...(await this.service.recentPupils(actor)).map((p) => p.id)] : [];
      const { response } = await searchPupilsResponse((a, q, top) => this.service.searchPupils(a, q, top), actor, parsed.data, new Set(listed));
      return response;
    } catch (error) {
      log.warn({ event: "pupil-search.failed", code: errorCode(error) }, "pupil search failed");
      return errorResponseFor(error);
    }
  }

  /** Teams puts the person's Entra object id on every activity; the service decides if they are staff. */
  private async actorFor(context: TurnContext): Promise<Actor> {
    const staffId = context.activity.from?.aadObjectId;
    if (!staffId) throw UnauthenticatedError("Keepsafe could not tell who you are. Open it from Microsoft Teams.");
    // The bot channel carries no sign-in strength, so bot requests never count as MFA.
    return this.service.resolveActor(staffId, { mfa: false, via: "bot" });
  }
}

/**
 * Concern submits and refreshes and dialogs are served in personal chat only. The message
 * extension's fetchTask/submitAction are not here: its dialog is personal to the user wherever
 * the message was, and its answer is never posted into the conversation. Pupil search is not here
 * either: that dialog's pupil typeahead sends it from the group chat or channel the message was
 * in, and its answer too goes only to the person typing, never into the conversation.
 */
const PERSONAL_ONLY_INVOKES: ReadonlySet<string> = new Set(["adaptiveCard/action", "task/fetch", "task/submit"]);

const errorCode = (error: unknown) => (isKeepsafeError(error) ? error.code : error instanceof Error ? error.name : "unknown");
