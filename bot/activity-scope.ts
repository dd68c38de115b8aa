/**
 * Where an activity may be served. Keepsafe is one school's app: an activity from any other
 * Microsoft 365 organisation (tenant) is refused before the bot reads it, so nothing is served
 * and no conversation reference is kept. Forms and dialogs hold personal data, so they are served
 * in a personal chat with Keepsafe only (bot/keepsafe-bot.ts says which invokes); the refusal is shaped as the activity's
 * kind expects, so Teams shows it politely instead of a failure.
 */
import { ActivityTypes, type InvokeResponse, type TurnContext } from "botbuilder";
import { errorResponse } from "./card-errors.js";

export const OTHER_TENANT = "Keepsafe works only for its own school's Microsoft 365 organisation, so it cannot help with this here.";

export const PERSONAL_CHAT_ONLY =
  "For confidentiality, concerns are recorded in a personal chat with Keepsafe, not here. Open Keepsafe from the apps menu and send it a message.";

/** True when every tenant the activity names is the school's, and it names at least one. */
export function isSchoolTenant(context: TurnContext, tenantId: string): boolean {
  const a = context.activity;
  const named = [a.conversation?.tenantId, (a.channelData as { tenant?: { id?: unknown } } | undefined)?.tenant?.id].filter(
    (t) => t !== undefined && t !== null && t !== "",
  );
  const school = tenantId.toLowerCase();
  return named.length > 0 && named.every((t) => typeof t === "string" && t.toLowerCase() === school);
}

/** Forms and confirmations hold personal data, so they only go to one-to-one chats. */
export function isPersonal(context: TurnContext): boolean {
  const type = context.activity.conversation?.conversationType;
  return type === undefined || type === "personal";
}

/** The refusal as the answer to an invoke of this name. */
export function refusalFor(invokeName: string | undefined, message: string): InvokeResponse {
  switch (invokeName) {
    case "adaptiveCard/action":
    case "application/search":
      return errorResponse(403, "forbidden", message);
    case "task/fetch":
    case "task/submit":
    case "composeExtension/fetchTask":
    case "composeExtension/submitAction":
      return { status: 200, body: { task: { type: "message", value: message } } };
    default:
      return { status: 403, body: { error: { code: "forbidden", message } } };
  }
}

/** Answers the activity with `message`: an invoke gets its refusal, a message gets a reply; nothing else is answered. */
export async function refuse(context: TurnContext, message: string): Promise<void> {
  const a = context.activity;
  if (a.type === ActivityTypes.Invoke) await context.sendActivity({ type: ActivityTypes.InvokeResponse, value: refusalFor(a.name, message) });
  else if (a.type === ActivityTypes.Message) await context.sendActivity(message);
}
