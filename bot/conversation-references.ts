/**
 * Where Keepsafe can reach each member of staff in Teams chat: the conversation reference of their
 * last activity in their personal chat with the bot (Teams gives a bot no way into a chat the
 * person has never opened). Kept in memory; a restart forgets it until the person next talks to
 * the bot, which only means their next alert card waits for that (the alert itself still goes by
 * notification and email).
 */
import type { ConversationReference } from "botbuilder";

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
