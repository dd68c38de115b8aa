/**
 * "Chat with Keepsafe": the 1:1 chat with the bot. The transcript comes from the capture connector's
 * change log, polled, so a reload or a second window shows the same conversation.
 */

import type { HostStaff } from "../host-config.js";
import { conversationIdOf, connectorRoot, type BotClient } from "./bot-client.js";
import type { CardActions } from "./card-actions.js";
import { renderAdaptiveCard } from "./card-renderer.js";

const CARD = "application/vnd.microsoft.card.adaptive";
const POLL_MS = 700;

interface Entry {
  seq: number;
  op: "create" | "update" | "delete";
  from: "bot" | "user";
  activity: Activity;
}

interface Activity {
  id: string;
  type?: string;
  text?: string;
  attachments?: { contentType?: string; content?: unknown; name?: string }[];
  [key: string]: unknown;
}

interface Shown {
  activity: Activity;
  el: HTMLElement;
  signature: string;
}

export class ChatPane {
  private readonly shown = new Map<string, Shown>();
  private after = 0;
  private conversationId = "";
  private generation = 0;

  constructor(
    private readonly transcript: HTMLElement,
    private readonly form: HTMLFormElement,
    private readonly bot: BotClient,
    private readonly actions: CardActions,
  ) {
    form.addEventListener("submit", (e) => {
      e.preventDefault();
      void this.send();
    });
  }

  /** Each member of staff has their own 1:1 chat, as in Teams. */
  switchUser(user: HostStaff) {
    this.generation++;
    this.conversationId = conversationIdOf(user);
    this.after = 0;
    this.shown.clear();
    this.transcript.replaceChildren();
    void this.pollLoop(this.generation);
  }

  private async send() {
    const input = this.form.elements.namedItem("message") as HTMLInputElement;
    const text = input.value.trim();
    if (!text) return;
    input.value = "";
    try {
      await this.bot.sendMessage({ text });
    } catch (err) {
      this.systemNote(`Message not delivered: ${(err as Error).message}`);
    }
    void this.pollOnce();
  }

  private async pollLoop(generation: number) {
    while (generation === this.generation) {
      await this.pollOnce().catch(() => undefined);
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
  }

  private async pollOnce() {
    const generation = this.generation;
    const url = `${connectorRoot()}conversations/${encodeURIComponent(this.conversationId)}/activities?after=${this.after}`;
    const res = await fetch(url);
    if (!res.ok || generation !== this.generation) return;
    const page = (await res.json()) as { entries: Entry[]; last: number };
    for (const entry of page.entries) if (entry.seq > this.after) this.apply(entry);
    this.after = Math.max(this.after, page.last);
  }

  private apply(entry: Entry) {
    this.after = entry.seq;
    const { activity } = entry;
    const existing = this.shown.get(activity.id);
    if (entry.op === "delete") {
      existing?.el.remove();
      this.shown.delete(activity.id);
      return;
    }
    // Only messages are visible in Teams; typing indicators and the like are not kept.
    if (activity.type && activity.type !== "message") return;
    const signature = JSON.stringify([activity.text, activity.attachments]);
    if (existing && existing.signature === signature) return;
    const el = this.renderMessage(activity, entry.from);
    if (existing) existing.el.replaceWith(el);
    else this.transcript.append(el);
    this.shown.set(activity.id, { activity, el, signature });
    if (!existing) el.scrollIntoView({ block: "end" });
  }

  private renderMessage(activity: Activity, from: "bot" | "user"): HTMLElement {
    const el = document.createElement("article");
    el.className = `kh-msg kh-from-${from}`;
    el.dataset.activityId = activity.id;
    if (activity.text) {
      const text = document.createElement("div");
      text.className = "kh-text";
      text.textContent = activity.text;
      el.append(text);
    }
    const notices = document.createElement("div");
    notices.className = "kh-notices";
    (activity.attachments ?? []).forEach((attachment, index) => {
      const holder = document.createElement("div");
      holder.className = "kh-attachment";
      if (attachment.contentType === CARD) {
        holder.append(this.renderCard(activity, index, attachment.content, notices));
      } else {
        holder.textContent = `[${attachment.contentType ?? "attachment"} is not shown by the local host]`;
      }
      el.append(holder);
    });
    el.append(notices);
    return el;
  }

  private renderCard(activity: Activity, index: number, card: unknown, notices: HTMLElement): HTMLElement {
    const handlers = this.actions.handlersFor({
      activityId: activity.id,
      notice: (text, kind) => {
        const note = document.createElement("p");
        note.className = `kh-notice kh-notice-${kind}`;
        note.setAttribute("role", kind === "error" ? "alert" : "status");
        note.textContent = text;
        notices.replaceChildren(note);
      },
      // Teams swaps the card in place for the one in the invoke answer and keeps the swap.
      replaceCard: (next) => {
        const attachments = [...(activity.attachments ?? [])];
        attachments[index] = { ...attachments[index], contentType: CARD, content: next };
        const updated: Activity = { ...activity, attachments };
        this.apply({ seq: this.after, op: "update", from: "bot", activity: updated });
        void this.bot.persistUpdate(updated).catch(() => undefined);
      },
    });
    return renderAdaptiveCard(card, handlers);
  }

  private systemNote(text: string) {
    const note = document.createElement("p");
    note.className = "kh-notice kh-notice-error";
    note.setAttribute("role", "alert");
    note.textContent = text;
    this.transcript.append(note);
  }
}
