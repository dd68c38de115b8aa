/**
 * The record-concern form shown again after a refresh or a problem, with every value that was
 * sent kept and every chosen pupil named (bot/pupil-choices.ts), never shown by id. Shared by the
 * chat bot and the message extension, which then dress it for their own surface.
 */
import { randomUUID } from "node:crypto";
import type { FormOptions } from "../src/app/views.js";
import type { Actor } from "../src/domain/actor.js";
import type { AdaptiveCard } from "./cards/card-kit.js";
import { recordConcernCard } from "./cards/record-concern-card.js";
import type { ConcernCard } from "./concern-input.js";
import { emptyRecord } from "./card-data.js";
import type { PupilPicks } from "./pupil-choices.js";

export type FieldErrors = { field: string; message: string }[];

export function formAgainCard(
  actor: Actor,
  options: FormOptions,
  concern: ConcernCard,
  errors: FieldErrors,
  pupils: PupilPicks,
  /** Values the surface carries itself rather than as form inputs (the message extension's origin). */
  omit: readonly string[] = [],
): { card: AdaptiveCard; submissionId: string } {
  const values = Object.assign(emptyRecord<string>(), pupils.values);
  for (const key of omit) delete values[key];
  const sent = concern.submissionId;
  // A form whose id was lost gets a fresh one; otherwise the same id keeps the submit idempotent.
  const submissionId = typeof sent === "string" && sent.length >= 8 ? sent : randomUUID();
  const card = recordConcernCard(options, {
    submissionId,
    values,
    errors,
    pupilChoices: pupils.choices,
    pupilTitles: pupils.titles,
    role: actor.role,
  });
  return { card, submissionId };
}
