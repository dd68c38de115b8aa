/**
 * "Record a concern about this" on any Teams message (the message extension's action command).
 * fetchTask opens the record-concern form in a dialog with the message's words as the account;
 * submitAction records it through the same command as the chat form (source "message-extension").
 *
 * The answer to submitAction is another dialog holding the confirmation, not a card put into the
 * compose box: a card response would be inserted into the conversation the message came from,
 * which is often a group chat or channel, and a concern must never be posted there. Problems
 * come back the same way: the form again, with each message beside its field and the values kept.
 */
import { randomUUID } from "node:crypto";
import { CardFactory, type MessagingExtensionAction, type MessagingExtensionActionResponse, type TurnContext } from "botbuilder";
import type { FormOptions } from "../src/app/views.js";
import type { Actor } from "../src/domain/actor.js";
import { isKeepsafeError } from "../src/domain/errors.js";
import type { Incident } from "../src/domain/incident.js";
import { LIMITS } from "../src/domain/limits.js";
import { childLogger } from "../src/logger.js";
import type { AdaptiveCard } from "./cards/card-kit.js";
import { asDialogCard } from "./cards/concern-dialog-card.js";
import { confirmationCard } from "./cards/confirmation-card.js";
import { UNEXPECTED_FAILURE_MESSAGE } from "./cards/error-card.js";
import { recordConcernCard } from "./cards/record-concern-card.js";
import { cardValues, toRecordIncidentInput } from "./concern-input.js";
import { actorFromActivity } from "./dialogs.js";
import type { BotService } from "./keepsafe-bot.js";
import type { RecentPupils } from "./recent-pupils.js";
import { formatWallClock } from "./school-time.js";

const log = childLogger("message-extension");

export const RECORD_CONCERN_COMMAND = "recordConcern";
export const CONCERN_DIALOG_SIZE = { height: "large", width: "large" } as const;

type Service = Pick<BotService, "resolveActor" | "formOptions" | "recordIncident">;

interface MessagePayload {
  body?: { content?: unknown; contentType?: unknown };
  from?: { user?: { displayName?: unknown } };
  createdDateTime?: unknown;
}

export class MessageExtension {
  constructor(
    private readonly service: Service,
    private readonly recentPupils: RecentPupils,
  ) {}

  async fetchTask(context: TurnContext, action: MessagingExtensionAction): Promise<MessagingExtensionActionResponse> {
    if (action?.commandId !== RECORD_CONCERN_COMMAND) return messageTask("This command is not supported.");
    try {
      const actor = await actorFromActivity(this.service, context);
      const options = await this.service.formOptions(actor);
      const payload = (action.messagePayload ?? {}) as MessagePayload;
      const account = messageText(payload).slice(0, LIMITS.accountMaxLength);
      const form = recordConcernCard(options, { submissionId: randomUUID(), values: account ? { account } : {} });
      log.info({ event: "me.form-offered", staffId: actor.staffId }, "record-concern dialog opened from a message");
      return formTask(asDialogCard(form, provenance(payload, options.timeZone)));
    } catch (error) {
      return failed(error, "fetch");
    }
  }

  async submitAction(context: TurnContext, action: MessagingExtensionAction): Promise<MessagingExtensionActionResponse> {
    if (action?.commandId !== RECORD_CONCERN_COMMAND) return messageTask("This command is not supported.");
    const data: unknown = action.data ?? {};
    try {
      const actor = await actorFromActivity(this.service, context);
      const options = await this.service.formOptions(actor);
      let recorded: { incident: Incident; created: boolean };
      try {
        recorded = await this.service.recordIncident(actor, toRecordIncidentInput(data, options.timeZone, "message-extension"));
      } catch (error) {
        if (!isKeepsafeError(error) || error.code !== "validation_failed") throw error;
        log.info({ event: "me.needs-attention", fields: error.fields.map((f) => f.field) }, "dialog form returned with problems");
        return formTask(this.formAgain(actor, options, data, error.fields));
      }
      const { incident, created } = recorded;
      log.info({ event: created ? "concern.recorded" : "concern.replayed", via: "message-extension", incidentId: incident.id, staffId: actor.staffId }, "concern submitted");
      return {
        task: {
          type: "continue",
          value: {
            title: "Concern recorded",
            height: "medium",
            width: "medium",
            card: CardFactory.adaptiveCard(this.confirmation(actor, options, incident, !created)),
          },
        },
      };
    } catch (error) {
      return failed(error, "submit");
    }
  }

  private formAgain(actor: Actor, options: FormOptions, data: unknown, errors: { field: string; message: string }[]) {
    const values = cardValues(data);
    const sent = (data as { submissionId?: unknown }).submissionId;
    const submissionId = typeof sent === "string" && sent.length >= 8 ? sent : randomUUID();
    const pupilTitle = values.pupilId ? this.recentPupils.titleFor(actor.staffId, values.pupilId) : undefined;
    const note = typeof (data as { origin?: unknown }).origin === "string" ? String((data as { origin: string }).origin) : undefined;
    return asDialogCard(recordConcernCard(options, { submissionId, values, errors, pupilTitle }), note);
  }

  private confirmation(actor: Actor, options: FormOptions, incident: Incident, alreadyRecorded: boolean) {
    const categoryName = new Map(options.categories.map((c) => [c.id, c.name]));
    const staffName = new Map(options.staff.map((s) => [s.id, s.name]));
    return confirmationCard(incident, {
      pupilName: this.recentPupils.titleFor(actor.staffId, incident.pupilId) ?? "The pupil chosen on the form",
      categoryNames: incident.categoryIds.map((id) => categoryName.get(id) ?? "Recorded category"),
      alertedNames: incident.alertedStaffIds.map((id) => staffName.get(id) ?? "A member of staff"),
      timeZone: options.timeZone,
      alreadyRecorded,
    });
  }
}

const formTask = (card: AdaptiveCard): MessagingExtensionActionResponse => ({
  task: { type: "continue", value: { title: "Record a concern", ...CONCERN_DIALOG_SIZE, card: CardFactory.adaptiveCard(card) } },
});

const messageTask = (value: string): MessagingExtensionActionResponse => ({ task: { type: "message", value } });

function failed(error: unknown, step: string): MessagingExtensionActionResponse {
  log.warn({ event: `me.${step}-failed`, code: isKeepsafeError(error) ? error.code : error instanceof Error ? error.name : "unknown" }, "message extension step failed");
  return messageTask(isKeepsafeError(error) ? error.message : UNEXPECTED_FAILURE_MESSAGE);
}

/** "From a Teams message by {sender} at {time}", in the school's time zone. */
export function provenance(payload: MessagePayload, timeZone: string): string {
  const sender = typeof payload.from?.user?.displayName === "string" && payload.from.user.displayName.trim()
    ? payload.from.user.displayName.trim()
    : "someone";
  const created = typeof payload.createdDateTime === "string" && !Number.isNaN(Date.parse(payload.createdDateTime))
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
