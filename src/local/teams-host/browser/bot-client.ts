/**
 * Speaks to Keepsafe's bot the way Teams' channel service does: activities POSTed to /api/messages with
 * a serviceUrl that points back at this host's capture connector, where the bot's replies land.
 */

import type { HostPageConfig, HostStaff } from "../host-config.js";

export interface InvokeResult {
  status: number;
  body: any;
}

export const connectorRoot = () => `${location.origin}/local-connector/`;
export const conversationIdOf = (user: HostStaff) => `local-${user.oid}`;

export class BotClient {
  constructor(
    private readonly config: HostPageConfig,
    private readonly currentUser: () => HostStaff,
  ) {}

  private base(type: string) {
    const user = this.currentUser();
    return {
      type,
      id: `local-in-${crypto.randomUUID()}`,
      channelId: "msteams",
      serviceUrl: connectorRoot(),
      timestamp: new Date().toISOString(),
      localTimestamp: new Date().toISOString(),
      locale: "en-GB",
      from: { id: `29:${user.oid}`, aadObjectId: user.oid, name: user.displayName },
      recipient: { id: this.config.botId, name: this.config.appName },
      conversation: { id: conversationIdOf(user), conversationType: "personal", tenantId: this.config.tenantId },
      channelData: { tenant: { id: this.config.tenantId } },
      entities: [{ type: "clientInfo", locale: "en-GB", country: "GB", platform: "Web" }],
    };
  }

  /**
   * A typed message or an Action.Submit. What the tester "said" (displayText for messageBack) is kept in
   * the transcript; a silent submit shows nothing, as in Teams.
   */
  async sendMessage(message: { text?: string; value?: unknown; replyToId?: string; displayText?: string }) {
    const { text, value, replyToId, displayText } = message;
    const activity = { ...this.base("message"), text: text ?? "", textFormat: "plain", value, replyToId };
    const shown = displayText ?? text;
    if (shown) await this.record({ ...activity, text: shown });
    const res = await this.post(activity);
    if (res.status >= 400) throw new Error(`The bot answered HTTP ${res.status}`);
  }

  /** Invokes answer in the HTTP response body, which is how Action.Execute and typeahead get results. */
  invoke(name: string, value: unknown, replyToId?: string): Promise<InvokeResult> {
    return this.post({ ...this.base("invoke"), name, value, replyToId });
  }

  /** Teams keeps a card swapped by Action.Execute; storing it as an update keeps it across reloads. */
  async persistUpdate(activity: Record<string, unknown>) {
    const conv = conversationIdOf(this.currentUser());
    await fetch(`${connectorRoot()}v3/conversations/${encodeURIComponent(conv)}/activities/${encodeURIComponent(String(activity.id))}`, {
      method: "PUT",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(activity),
    });
  }

  private async record(activity: Record<string, unknown>) {
    const conv = conversationIdOf(this.currentUser());
    await fetch(`${connectorRoot()}conversations/${encodeURIComponent(conv)}/user-activities`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(activity),
    });
  }

  private async post(activity: Record<string, unknown>): Promise<InvokeResult> {
    const res = await fetch(this.config.botEndpoint, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(activity),
    });
    const text = await res.text();
    let body: unknown = undefined;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      body = text;
    }
    return { status: res.status, body };
  }
}
