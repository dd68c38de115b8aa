/**
 * Where Keepsafe can reach each member of staff in Teams chat: the conversation reference of their
 * last activity in their personal chat with the bot (Teams gives a bot no way into a chat the
 * person has never opened). Kept in Cosmos DB (the ChatAddressStore port) so every instance and a
 * restarted one can send alert cards; the in-memory store is for tests of the bot alone.
 */
import type { ConversationReference } from "botbuilder";
import { z } from "zod";
import type { ChatAddressStore } from "../src/ports/chat-addresses.js";

export interface ConversationReferenceStore {
  save(staffId: string, reference: Partial<ConversationReference>): Promise<void>;
  get(staffId: string): Promise<Partial<ConversationReference> | undefined>;
}

export class InMemoryConversationReferences implements ConversationReferenceStore {
  private readonly refs = new Map<string, Partial<ConversationReference>>();

  /** A school's staff list is far smaller; the cap only stops a flood of unknown ids growing memory. */
  constructor(private readonly max = 20_000) {}

  async save(staffId: string, reference: Partial<ConversationReference>): Promise<void> {
    this.refs.delete(staffId); // re-inserted last, so the oldest is evicted first
    this.refs.set(staffId, reference);
    if (this.refs.size > this.max) this.refs.delete(this.refs.keys().next().value!);
  }

  async get(staffId: string): Promise<Partial<ConversationReference> | undefined> {
    return this.refs.get(staffId);
  }
}

/**
 * What a stored reference must hold before the adapter is given it: where to send (the Bot
 * Framework service URL) and which conversation. The rest (bot, user, channel) passes as stored.
 */
const storedReferenceSchema = z.looseObject({
  serviceUrl: z.url({ protocol: /^https?$/ }),
  conversation: z.looseObject({ id: z.string().min(1) }),
});

/** The Cosmos-backed port, seen by the bot as conversation references. */
export function conversationReferencesIn(store: ChatAddressStore): ConversationReferenceStore {
  return {
    save: (staffId, reference) => store.save(staffId, JSON.parse(JSON.stringify(reference)) as Record<string, unknown>),
    async get(staffId) {
      const stored = await store.get(staffId);
      const parsed = stored ? storedReferenceSchema.safeParse(stored) : undefined;
      // A reference that no longer parses is as good as none: the person's next message stores a new one.
      return parsed?.success ? (parsed.data as unknown as Partial<ConversationReference>) : undefined;
    },
  };
}
