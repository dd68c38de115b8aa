/**
 * "Record a concern about this" on any Teams message (the message extension's action command).
 * fetchTask opens the record-concern form in a dialog with the message's words as the account;
 * submitAction records it through the same command as the chat form (source "message-extension").
 *
 * The answer to submitAction is another dialog holding the confirmation, not a card put into the
 * compose box: a card response would be inserted into the conversation the message came from,
 * which is often a group chat or channel, and a concern must never be posted there. Problems
 * come back the same way: the form again, with each message beside its field and the values kept,
 * and so does "Update form for these categories" (a dialog card's buttons all submit here).
 *
 * Where the words came from (the message's id, author and time) rides in every button's data and
 * is stored with the incident as its `origin`; the message's text is only what went into the account.
 */
import { randomUUID } from "node:crypto";
import { CardFactory, type MessagingExtensionAction, type MessagingExtensionActionResponse, type TurnContext } from "botbuilder";
import type { FormOptions } from "../src/app/views.js";
import type { Actor } from "../src/domain/actor.js";
import { isKeepsafeError, ValidationError } from "../src/domain/errors.js";
import type { Incident, IncidentOrigin } from "../src/domain/incident.js";
import { LIMITS } from "../src/domain/limits.js";
import { childLogger } from "../src/logger.js";
import type { AdaptiveCard, CardElement } from "./cards/card-kit.js";
import { asDialogCard } from "./cards/concern-dialog-card.js";
import { confirmationCard } from "./cards/confirmation-card.js";
import { confirmationView, pupilTitles } from "./confirmation-view.js";
import { formAgainCard, type FieldErrors } from "./form-again.js";
import { UNEXPECTED_FAILURE_MESSAGE } from "./cards/error-card.js";
import { recordConcernCard, REFRESH_CONCERN_VERB } from "./cards/record-concern-card.js";
import { originMessageSchema, parseConcernCard, recordIncidentInputFrom, type ConcernCard } from "./concern-input.js";
import { actorFromActivity } from "./dialogs.js";
import type { BotService } from "./keepsafe-bot.js";
import { freshPupilChoices, pupilPicks, type PupilPicks } from "./pupil-choices.js";
import { formatWallClock } from "../src/domain/wall-clock.js";

const log = childLogger("message-extension");

export const RECORD_CONCERN_COMMAND = "recordConcern";
export const CONCERN_DIALOG_SIZE = { height: "large", width: "large" } as const;

type Service = Pick<BotService, "resolveActor" | "formOptions" | "recordIncident" | "recentPupils" | "pupilsByIds" | "pupilsForTypedName">;

interface MessagePayload {
  id?: unknown;
  body?: { content?: unknown; contentType?: unknown };
  from?: { user?: { displayName?: unknown } };
  createdDateTime?: unknown;
}

export class MessageExtension {
  constructor(private readonly service: Service) {}

  async fetchTask(context: TurnContext, action: MessagingExtensionAction): Promise<MessagingExtensionActionResponse> {
    if (action?.commandId !== RECORD_CONCERN_COMMAND) return messageTask("This command is not supported.");
    try {
      const actor = await actorFromActivity(this.service, context);
      const options = await this.service.formOptions(actor);
      const payload = (action.messagePayload ?? {}) as MessagePayload;
      const account = messageText(payload).slice(0, LIMITS.accountMaxLength);
      const pupilChoices = await freshPupilChoices(this.service, actor);
      const form = recordConcernCard(options, { submissionId: randomUUID(), values: account ? { account } : {}, pupilChoices, role: actor.role });
      log.info({ event: "me.form-offered", staffId: actor.staffId }, "record-concern dialog opened from a message");
      return formTask(forDialog(form, provenance(payload, options.timeZone), originOf(payload)));
    } catch (error) {
      return failed(error, "fetch");
    }
  }

  async submitAction(context: TurnContext, action: MessagingExtensionAction): Promise<MessagingExtensionActionResponse> {
    if (action?.commandId !== RECORD_CONCERN_COMMAND) return messageTask("This command is not supported.");
    try {
      const actor = await actorFromActivity(this.service, context);
      const options = await this.service.formOptions(actor);
      // The same parser as the chat form: data the form could never have sent is refused outright.
      const sent = parseConcernCard(action.data, options.categories);
      // A typed pupil name that matched one pupil is taken; several or none come back as a problem.
      const pupils = await pupilPicks(this.service, actor, sent.values);
      const data = { ...sent, values: pupils.values };
      const typedName = pupils.typedNameProblem ? [pupils.typedNameProblem] : [];
      if (data.verb === REFRESH_CONCERN_VERB) {
        log.info({ event: "me.form-refreshed", staffId: actor.staffId }, "dialog form refreshed for its categories");
        return formTask(this.formAgain(actor, options, data, typedName, pupils));
      }
      let recorded: { incident: Incident; created: boolean };
      try {
        const input = recordIncidentInputFrom(data, options.timeZone, "message-extension", options.categories, actor.role);
        if (typedName.length) throw ValidationError(typedName);
        const origin = originFromData(data);
        recorded = await this.service.recordIncident(actor, origin ? { ...input, origin } : input);
      } catch (error) {
        if (!isKeepsafeError(error) || error.code !== "validation_failed") throw error;
        const fields = typedName.length && !error.fields.includes(typedName[0]) ? [...typedName, ...error.fields] : error.fields;
        log.info({ event: "me.needs-attention", fields: fields.map((f) => f.field) }, "dialog form returned with problems");
        return formTask(this.formAgain(actor, options, data, fields, pupils));
      }
      const { incident, created } = recorded;
      log.info(
        { event: created ? "concern.recorded" : "concern.replayed", via: "message-extension", incidentId: incident.id, staffId: actor.staffId },
        "concern submitted",
      );
      return {
        task: {
          type: "continue",
          value: {
            title: "Concern recorded",
            height: "medium",
            width: "medium",
            card: CardFactory.adaptiveCard(await this.confirmation(actor, options, incident, !created)),
          },
        },
      };
    } catch (error) {
      return failed(error, "submit");
    }
  }

  private formAgain(actor: Actor, options: FormOptions, data: ConcernCard, errors: FieldErrors, pupils: PupilPicks) {
    const note = data.values.origin;
    const { card: form } = formAgainCard(actor, options, data, errors, pupils, ["origin"]);
    return forDialog(form, note, originFromData(data));
  }

  private async confirmation(actor: Actor, options: FormOptions, incident: Incident, alreadyRecorded: boolean) {
    const pupilTitle = await pupilTitles(this.service, actor, incident);
    return confirmationCard(incident, confirmationView(incident, options, pupilTitle, { alreadyRecorded }));
  }
}

/**
 * The form as a dialog card. Dialogs take no Universal Actions, so every Action.Execute (the
 * refresh button inside the form as well as Submit) becomes its Action.Submit fallback, and each
 * carries where the message came from, so the form keeps it through refreshes and problems.
 */
function forDialog(form: AdaptiveCard, note: string | undefined, origin: IncidentOrigin | undefined): AdaptiveCard {
  const convert = (action: CardElement): CardElement => {
    const submit =
      action.type === "Action.Execute" && action.fallback && typeof action.fallback === "object" ? (action.fallback as CardElement) : action;
    if (submit.type !== "Action.Submit") return submit;
    return { ...submit, data: { ...(submit.data as object), ...(note ? { origin: note } : {}), ...(origin ? { originMessage: origin } : {}) } };
  };
  const walk = (el: CardElement): CardElement => {
    const out: CardElement = { ...el };
    if (Array.isArray(el.actions)) out.actions = (el.actions as CardElement[]).map(convert);
    if (Array.isArray(el.items)) out.items = (el.items as CardElement[]).map(walk);
    if (Array.isArray(el.columns)) out.columns = (el.columns as CardElement[]).map(walk);
    return out;
  };
  const dialogCard = asDialogCard(form, note);
  return { ...dialogCard, body: dialogCard.body.map(walk), ...(dialogCard.actions ? { actions: dialogCard.actions.map(convert) } : {}) };
}

/** What Teams told us about the message: its id, its author's display name and when it was sent. */
function originOf(payload: MessagePayload): IncidentOrigin {
  return cleanOrigin({ messageId: payload.id, sender: payload.from?.user?.displayName, sentAt: payload.createdDateTime });
}

/** The origin as it came back in the dialog's data; anything odd in it is dropped, never a reason to refuse the concern. */
const originFromData = (data: ConcernCard): IncidentOrigin | undefined => (data.originMessage ? cleanOrigin(data.originMessage) : undefined);

function cleanOrigin(raw: unknown): IncidentOrigin {
  const parsed = originMessageSchema.safeParse(raw);
  const o = parsed.success ? parsed.data : {};
  const sentAt = o.sentAt && !Number.isNaN(Date.parse(o.sentAt)) ? new Date(o.sentAt).toISOString() : undefined;
  return {
    kind: "teams-message",
    ...(o.messageId ? { messageId: o.messageId } : {}),
    ...(o.sender ? { sender: o.sender } : {}),
    ...(sentAt ? { sentAt } : {}),
  };
}

const formTask = (card: AdaptiveCard): MessagingExtensionActionResponse => ({
  task: { type: "continue", value: { title: "Record a concern", ...CONCERN_DIALOG_SIZE, card: CardFactory.adaptiveCard(card) } },
});

const messageTask = (value: string): MessagingExtensionActionResponse => ({ task: { type: "message", value } });

function failed(error: unknown, step: string): MessagingExtensionActionResponse {
  log.warn(
    { event: `me.${step}-failed`, code: isKeepsafeError(error) ? error.code : error instanceof Error ? error.name : "unknown" },
    "message extension step failed",
  );
  return messageTask(isKeepsafeError(error) ? error.message : UNEXPECTED_FAILURE_MESSAGE);
}

/** "From a Teams message by {sender} at {time}", in the school's time zone. */
export function provenance(payload: MessagePayload, timeZone: string): string {
  const sender =
    typeof payload.from?.user?.displayName === "string" && payload.from.user.displayName.trim() ? payload.from.user.displayName.trim() : "someone";
  const created =
    typeof payload.createdDateTime === "string" && !Number.isNaN(Date.parse(payload.createdDateTime))
      ? formatWallClock(new Date(payload.createdDateTime).toISOString(), timeZone)
      : "an unknown time";
  return `From a Teams message by ${sender} at ${created}`;
}

/** The message's words as plain text: Teams sends HTML (paragraphs, line breaks, mentions, entities). */
export function messageText(payload: MessagePayload): string {
  const content = typeof payload.body?.content === "string" ? payload.body.content : "";
  if (payload.body?.contentType === "text") return content.trim();
  return htmlToText(content);
}

export function htmlToText(html: string): string {
  return decodeEntities(
    html
      .replace(/<(script|style)\b[^>]*>[\s\S]*?<\/\1\s*>/gi, "")
      .replace(/<br\s*\/?>/gi, "\n")
      .replace(/<\/(p|div|li|h[1-6]|blockquote|tr)\s*>/gi, "\n")
      .replace(/<li\b[^>]*>/gi, "- ")
      .replace(/<[^>]*>/g, ""),
  )
    .replace(/\u00a0/g, " ")
    .replace(/[ \t]+/g, " ")
    .replace(/ *\n */g, "\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}

const NAMED: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: "\u00a0", "#39": "'" };

function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
    if (name[0] === "#") {
      const code = name[1] === "x" || name[1] === "X" ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
      return Number.isFinite(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return NAMED[name.toLowerCase()] ?? whole;
  });
}
