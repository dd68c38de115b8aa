// Stand-ins for the parts other engineers are building: the identity provider's /local/sso-token and the
// bot behind /api/messages. Each records what it received so the test can check the host sent it.
import { createServer, type Server as HttpServer } from "node:http";
import type { AddressInfo } from "node:net";
import type { Request, Response, Server } from "restify";

export interface StandInIdentity {
  authority: string;
  requests: Record<string, unknown>[];
  close(): Promise<void>;
}

export async function startStandInIdentity(tenantId: string): Promise<StandInIdentity> {
  const requests: Record<string, unknown>[] = [];
  const server: HttpServer = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      if (req.method !== "POST" || req.url !== `/${tenantId}/v2.0/local/sso-token`) {
        res.writeHead(404).end();
        return;
      }
      const body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as Record<string, unknown>;
      requests.push(body);
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ access_token: `token-for-${body.oid}-mfa-${body.mfa}`, token_type: "Bearer" }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    authority: `http://127.0.0.1:${port}/${tenantId}/v2.0`,
    requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

const noteCard = {
  type: "AdaptiveCard",
  $schema: "http://adaptivecards.io/schemas/adaptive-card.json",
  version: "1.5",
  body: [
    { type: "TextBlock", text: "Add a note", weight: "Bolder", size: "Medium" },
    { type: "TextBlock", text: "Notes are **added**, never edited.", wrap: true },
    { type: "Input.Text", id: "note", label: "Note", placeholder: "What happened next" },
    {
      type: "Input.ChoiceSet",
      id: "pupil",
      label: "Pupil",
      style: "filtered",
      "choices.data": { type: "Data.Query", dataset: "pupils" },
    },
  ],
  actions: [
    {
      type: "Action.Execute",
      title: "Save",
      verb: "saveNote",
      data: { recordId: "r1" },
      fallback: { type: "Action.Submit", title: "Save", data: { recordId: "r1" } },
    },
  ],
};

const savedCard = (note: string) => ({
  type: "AdaptiveCard",
  version: "1.5",
  body: [{ type: "TextBlock", text: `Saved: ${note}`, wrap: true }],
});

/** Replies to any message with the note card, through the serviceUrl in the activity, as botbuilder does. */
export function registerStandInBot(server: Server) {
  const received: Record<string, any>[] = [];
  server.post("/api/messages", async (req: Request, res: Response) => {
    const activity = req.body as Record<string, any>;
    received.push(activity);
    if (activity.type === "invoke" && activity.name === "application/search") {
      const all = [
        { title: "Pupil A (Year 7)", value: "pupil-001" },
        { title: "Pupil B (Year 8)", value: "pupil-002" },
      ];
      const q = String(activity.value?.queryText ?? "").toLowerCase();
      res.send(200, {
        type: "application/vnd.microsoft.search.searchResponse",
        value: { results: all.filter((c) => c.title.toLowerCase().includes(q)) },
      });
      return;
    }
    if (activity.type === "invoke" && activity.name === "adaptiveCard/action") {
      res.send(200, { statusCode: 200, type: "application/vnd.microsoft.card.adaptive", value: savedCard(activity.value.action.data.note) });
      return;
    }
    if (activity.type === "message") {
      const url = `${activity.serviceUrl}v3/conversations/${encodeURIComponent(activity.conversation.id)}/activities/${encodeURIComponent(activity.id)}`;
      const reply = {
        type: "message",
        from: activity.recipient,
        recipient: activity.from,
        conversation: activity.conversation,
        replyToId: activity.id,
        text: "Here is a card",
        attachments: [{ contentType: "application/vnd.microsoft.card.adaptive", content: noteCard }],
      };
      const sent = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(reply) });
      res.send(sent.ok ? 200 : 502);
      return;
    }
    res.send(200);
  });
  return { received };
}
