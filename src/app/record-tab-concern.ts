/**
 * The tab's "Record a concern" form: the same command, checks and answers as the bot's card. A body
 * map drawn in the tab's form is kept with the form's draft first, as the bot's body map dialog
 * does, so recording attaches it the one way it attaches any draft.
 */
import type { Actor } from "../domain/actor.js";
import type { BodyMapMark } from "../domain/body-map.js";
import type { DraftStore } from "../domain/files.js";
import { recordIncident, type RecordIncidentDeps, type RecordIncidentInput } from "./record-incident.js";
import { saveBodyMapDraft } from "./save-body-map-draft.js";

export type TabConcernInput = RecordIncidentInput & { submissionId: string; bodyMap?: { marks: BodyMapMark[] } };

export async function recordTabConcern(deps: RecordIncidentDeps & { drafts?: DraftStore }, actor: Actor, body: TabConcernInput) {
  const { bodyMap, ...input } = body;
  const drafts = deps.drafts;
  if (bodyMap && drafts) await saveBodyMapDraft({ drafts, clock: deps.clock }, actor, { submissionId: input.submissionId, marks: bodyMap.marks });
  return recordIncident(deps, actor, input);
}
