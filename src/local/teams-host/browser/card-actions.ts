/**
 * What Teams does when someone presses a button on a bot's card:
 * - Action.Execute: an `adaptiveCard/action` invoke; a card in the answer replaces the card in place.
 * - Action.Submit: a message whose value is the inputs plus data, or, with `msteams.type`, a messageBack,
 *   imBack, signin or a dialog (`task/fetch`, then `task/submit` when the dialog submits).
 * - typeahead: an `application/search` invoke for each query.
 */

import type { BotClient } from "./bot-client.js";
import { renderAdaptiveCard, type CardActionHandlers } from "./card-renderer.js";
import type { DialogHost } from "./dialog-host.js";
import type { Choice } from "./typeahead.js";

const CARD = "application/vnd.microsoft.card.adaptive";

export interface CardSurface {
  /** The bot message the card belongs to, for replyToId. */
  activityId?: string;
  replaceCard(card: unknown): void;
  notice(text: string, kind: "info" | "error"): void;
}

export class CardActions {
  constructor(
    private readonly bot: BotClient,
    private readonly dialogs: DialogHost,
    private readonly registerDialogFrame: (win: Window) => void,
    /** Teams sends its current theme with every dialog request. */
    private readonly currentTheme: () => string = () => "default",
  ) {}

  handlersFor(surface: CardSurface): CardActionHandlers {
    return {
      execute: (action) => this.execute(surface, action),
      submit: (data) => this.submit(surface, data),
      openUrl: (url) => void window.open(url, "_blank", "noopener"),
      search: (dataset, queryText) => this.search(dataset, queryText, surface.activityId),
    };
  }

  private async execute(surface: CardSurface, action: { id?: string; verb?: string; data: Record<string, unknown> }) {
    try {
      const res = await this.bot.invoke(
        "adaptiveCard/action",
        { action: { type: "Action.Execute", id: action.id, verb: action.verb, data: action.data }, trigger: "manual" },
        surface.activityId,
      );
      const body = res.body as { statusCode?: number; type?: string; value?: any } | undefined;
      if (body?.type === CARD) return surface.replaceCard(body.value);
      if (body?.type === "application/vnd.microsoft.activity.message") return surface.notice(String(body.value), "info");
      if (body?.type === "application/vnd.microsoft.error") return surface.notice(body.value?.message ?? "The app reported an error.", "error");
      if (body?.type === "application/vnd.microsoft.activity.loginRequest")
        return surface.notice("The app asked you to sign in, which the local host does not do for cards.", "error");
      if (res.status >= 400) return surface.notice(`Something went wrong (HTTP ${res.status}).`, "error");
    } catch (err) {
      surface.notice(`Could not reach the app: ${(err as Error).message}`, "error");
    }
  }

  private async submit(surface: CardSurface, data: Record<string, unknown>) {
    const teams = data.msteams as { type?: string; text?: string; displayText?: string; value?: unknown } | undefined;
    try {
      switch (teams?.type) {
        case "task/fetch":
          return await this.fetchTask(surface, data);
        case "messageBack":
          return await this.bot.sendMessage({
            text: teams.text,
            displayText: teams.displayText,
            value: teams.value ?? withoutTeams(data),
            replyToId: surface.activityId,
          });
        case "imBack":
          return await this.bot.sendMessage({ text: String(teams.value ?? ""), replyToId: surface.activityId });
        case "signin":
          window.open(String(teams.value), "_blank", "noopener");
          return;
        default:
          return await this.bot.sendMessage({ value: data, replyToId: surface.activityId });
      }
    } catch (err) {
      surface.notice(`Could not reach the app: ${(err as Error).message}`, "error");
    }
  }

  private async search(dataset: string, queryText: string, replyToId?: string): Promise<Choice[]> {
    const res = await this.bot.invoke("application/search", { queryText, queryOptions: { skip: 0, top: 15 }, dataset }, replyToId);
    if (res.status >= 400) throw new Error(`HTTP ${res.status}`);
    const results = (res.body as any)?.value?.results;
    return Array.isArray(results) ? results.map((r: any) => ({ title: String(r.title), value: String(r.value) })) : [];
  }

  private async fetchTask(surface: CardSurface, data: Record<string, unknown>) {
    // Teams wraps a dialog request as {data, context}; botbuilder reads the button's data from `data`.
    const res = await this.bot.invoke("task/fetch", { data, context: { theme: this.currentTheme() } }, surface.activityId);
    await this.showTask(surface, res.body);
  }

  /** Follows a task/fetch or task/submit answer: open or refresh the dialog, show a message, or close. */
  private async showTask(surface: CardSurface, body: any): Promise<void> {
    const task = body?.task;
    const dialogOpen = this.dialogs.isOpen;
    if (task?.type === "message") {
      if (dialogOpen) this.dialogs.complete(undefined);
      return surface.notice(String(task.value), "info");
    }
    if (task?.type !== "continue") {
      if (dialogOpen) this.dialogs.complete(undefined);
      return;
    }
    const info = task.value ?? {};
    const frame = { title: info.title, width: info.width, height: info.height };
    if (info.url) {
      if (dialogOpen) this.dialogs.complete(undefined);
      const result = await this.dialogs.openUrl({ ...frame, url: info.url }, this.registerDialogFrame).catch(() => undefined);
      if (result !== undefined) await this.submitTask(surface, result);
      return;
    }
    const cardJson = info.card?.contentType === CARD ? info.card.content : info.card;
    const content = renderAdaptiveCard(cardJson, {
      ...this.handlersFor(surface),
      submit: (values) => this.submitTask(surface, values),
    });
    if (dialogOpen) this.dialogs.replace(content);
    else void this.dialogs.openCard(frame, content).catch(() => undefined);
  }

  private async submitTask(surface: CardSurface, value: unknown) {
    const res = await this.bot.invoke("task/submit", { data: value, context: { theme: this.currentTheme() } }, surface.activityId);
    await this.showTask(surface, res.body);
  }
}

function withoutTeams(data: Record<string, unknown>) {
  const { msteams: _ignored, ...rest } = data;
  return rest;
}
