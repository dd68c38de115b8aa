/**
 * Keep a body map with a form's draft (keyed by its submissionId) until the concern is submitted;
 * recording the incident attaches it (record-incident.ts). The bot's body map dialog and the tab's
 * form both save through here. The marks arrive already parsed by the edge's schema.
 */
import type { Actor } from "../domain/actor.js";
import type { BodyMapMark } from "../domain/body-map.js";
import type { DraftStore } from "../domain/files.js";
import type { Clock } from "../ports/clock.js";
import { draftOwner } from "./draft-owner.js";

export interface SaveBodyMapDraftInput {
  submissionId: string;
  marks: BodyMapMark[];
}

export async function saveBodyMapDraft(
  deps: { drafts: Pick<DraftStore, "saveBodyMap">; clock: Clock },
  actor: Actor,
  input: SaveBodyMapDraftInput,
): Promise<{ marks: number }> {
  await deps.drafts.saveBodyMap(draftOwner(actor), input.submissionId, {
    marks: input.marks,
    recordedAt: deps.clock.now().toISOString(),
    recordedBy: actor.staffId,
  });
  return { marks: input.marks.length };
}
