/**
 * The record-concern form shown again after a refresh or a problem, with every value that was
 * sent kept and the pupils named from the typeahead's recent titles. Shared by the chat bot and
 * the message extension, which then dress it for their own surface.
 */
import { randomUUID } from "node:crypto";
import type { FormOptions } from "../src/app/views.js";
import type { Actor } from "../src/domain/actor.js";
import type { AdaptiveCard } from "./cards/card-kit.js";
import { recordConcernCard } from "./cards/record-concern-card.js";
import type { ConcernCard } from "./concern-input.js";
import { emptyRecord } from "./card-data.js";

export type FieldErrors = { field: string; message: string }[];

export function formAgainCard(
  actor: Actor,
  options: FormOptions,
  concern: ConcernCard,
  errors: FieldErrors,
  pupilTitle: (pupilId: string) => string | undefined,
  /** Values the surface carries itself rather than as form inputs (the message extension's origin). */
  omit: readonly string[] = [],
): { card: AdaptiveCard; submissionId: string } {
  const values = Object.assign(emptyRecord<string>(), concern.values);
  for (const key of omit) delete values[key];
  const sent = concern.submissionId;
  // A form whose id was lost gets a fresh one; otherwise the same id keeps the submit idempotent.
  const submissionId = typeof sent === "string" && sent.length >= 8 ? sent : randomUUID();
  const titleFor = (id: string | undefined) => (id ? pupilTitle(id) : undefined);
  // Keyed by pupil ids from the card, so an object with no prototype.
  const pupilTitles = emptyRecord<string>();
  for (const [key, id] of Object.entries(values)) {
    const title = key.startsWith("linkedPupil") ? titleFor(id) : undefined;
    if (title) pupilTitles[id] = title;
  }
  const card = recordConcernCard(options, { submissionId, values, errors, pupilTitle: titleFor(values.pupilId), pupilTitles, role: actor.role });
  return { card, submissionId };
}
