/**
 * Talks to Keepsafe's /api/messages as Teams does: personal-chat activities and invokes with a
 * serviceUrl pointing at the local connector, where the bot's replies are captured.
 */
import type { DemoStaffMember } from "../../src/local/demo-school.js";
import type { LocalConnector } from "../../src/local/teams-host/index.js";

type Json = Record<string, unknown>;

/** A member of staff's personal chat with a running Keepsafe, and a pupil id its typeahead offers for `query`. */
export async function chatWithPupil(
  keepsafe: { url: string; local: { connector?: LocalConnector }; config: { identity: { tenantId: string } } },
  staff: DemoStaffMember,
  query = "b",
): Promise<{ chat: BotConversation; pupilId: string }> {
  const chat = new BotConversation(keepsafe.url, keepsafe.local.connector!, staff, keepsafe.config.identity.tenantId);
  const pupilId = (await chat.search(query)).body.value.results[0].value as string;
  return { chat, pupilId };
}

export class BotConversation {
  readonly conversationId: string;

  constructor(
    private readonly baseUrl: string,
    private readonly connector: LocalConnector,
    private readonly staff: DemoStaffMember,
    private readonly tenantId: string,
  ) {
    this.conversationId = `local-${staff.oid}`;
  }

  private activity(extra: Json): Json {
    return {
      id: `act-${Math.random().toString(36).slice(2)}`,
      channelId: "msteams",
      serviceUrl: `${this.baseUrl}/local-connector/`,
      timestamp: new Date().toISOString(),
      from: { id: `29:${this.staff.oid}`, aadObjectId: this.staff.oid, name: this.staff.displayName },
      recipient: { id: "28:keepsafe-bot", name: "Keepsafe" },
      conversation: { id: this.conversationId, conversationType: "personal", tenantId: this.tenantId },
      channelData: { tenant: { id: this.tenantId } },
      ...extra,
    };
  }

  async post(extra: Json): Promise<{ status: number; body: any }> {
    const res = await fetch(`${this.baseUrl}/api/messages`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(this.activity(extra)),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  }

  /** Sends a chat message and waits for the bot's card reply. */
  async sendAndWaitForCard(text: string): Promise<any> {
    const before = this.connector.activities(this.conversationId).length;
    const res = await this.post({ type: "message", text });
    if (res.status >= 300) throw new Error(`bot answered ${res.status}`);
    const reply = await this.connector.waitForActivity(
      this.conversationId,
      (a) => Array.isArray(a.attachments) && this.connector.activities(this.conversationId).indexOf(a) >= before,
    );
    return (reply.attachments as any[])[0].content;
  }

  search(queryText: string, dataset = "pupils") {
    return this.post({ type: "invoke", name: "application/search", value: { queryText, queryOptions: { skip: 0, top: 15 }, dataset } });
  }

  execute(verb: string, data: Json) {
    return this.post({
      type: "invoke",
      name: "adaptiveCard/action",
      value: { action: { type: "Action.Execute", id: verb, verb, data }, trigger: "manual" },
    });
  }
}

/** Every Action.Execute / Action.Submit in a card, wherever it sits. */
export function findActions(card: any): any[] {
  const found: any[] = [];
  const walk = (node: any) => {
    if (!node || typeof node !== "object") return;
    if (Array.isArray(node)) return node.forEach(walk);
    if (node.type === "Action.Execute" || node.type === "Action.Submit") found.push(node);
    for (const v of Object.values(node)) walk(v);
  };
  walk(card);
  return found;
}

export function cardText(card: unknown): string {
  const texts: string[] = [];
  const walk = (node: any) => {
    if (!node || typeof node !== "object") return;
    if (Array.isArray(node)) return node.forEach(walk);
    for (const [k, v] of Object.entries(node)) {
      if ((k === "text" || k === "value" || k === "title") && typeof v === "string") texts.push(v);
      else walk(v);
    }
  };
  walk(card);
  return texts.join("\n");
}
