/**
 * Every activity in a personal chat says where the person can be reached, and almost always says
 * the same as the last one. Writing it to the store each time made every submit and every
 * keystroke of the pupil typeahead a durable write; now it is written when it differs from what
 * this instance last wrote for that person. The activity's own id is left out of the comparison:
 * it changes on every activity and plays no part in reaching the chat later.
 */
import type { ConversationReference } from "botbuilder";
import type { ConversationReferenceStore } from "./conversation-references.js";

/** The people this instance remembers writing for; a school's staff is far fewer. */
const MOST_REMEMBERED = 20_000;

const sameness = (reference: Partial<ConversationReference>) => JSON.stringify({ ...reference, activityId: undefined });

export function savedWhenChanged(store: ConversationReferenceStore): ConversationReferenceStore {
  const lastSaved = new Map<string, string>();
  return {
    async save(staffId, reference) {
      const key = sameness(reference);
      if (lastSaved.get(staffId) === key) return;
      await store.save(staffId, reference);
      // Only after the write succeeded: a failed one is tried again on the next activity.
      lastSaved.delete(staffId);
      lastSaved.set(staffId, key);
      if (lastSaved.size > MOST_REMEMBERED) lastSaved.delete(lastSaved.keys().next().value!);
    },
    get: (staffId) => store.get(staffId),
  };
}
