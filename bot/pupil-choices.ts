/**
 * The Pupil field's ways in besides typeahead, which some Teams clients and Microsoft's Agents
 * Playground do not offer: the pupils this member of staff recorded about recently as fixed
 * choices, and a name typed into "Or type the pupil's name", resolved when the form is refreshed
 * or submitted. Also names every pupil the card has chosen, so the form never shows a bare id.
 */
import { linkedPupilField } from "../src/app/concern-fields.js";
import type { KeepsafeService } from "../src/app/keepsafe-service.js";
import type { Actor } from "../src/domain/actor.js";
import type { FieldProblem } from "../src/domain/errors.js";
import { LIMITS } from "../src/domain/limits.js";
import { emptyRecord } from "./card-data.js";
import { PUPIL_NAME_INPUT, PUPIL_NAME_MAX_LENGTH, uniqueChoices } from "./cards/concern-form-kit.js";
import { pupilTitle } from "./pupil-search.js";

export type PupilService = Pick<KeepsafeService, "recentPupils" | "pupilsByIds" | "pupilsForTypedName">;

export const SEVERAL_PUPILS_MESSAGE = "More than one pupil matches the name you typed. Choose the right one in the Pupil list above.";
export const NO_PUPIL_MESSAGE = "No pupil on the school's roll matches the name you typed. Check the spelling, or choose from the Pupil list.";

export interface PupilPicks {
  /** The values to show and submit: the typed name replaced by the pupil when it matched one. */
  values: Record<string, string>;
  /** Static choices for the Pupil field: the chosen pupil, then the typed name's matches, then recent pupils, each once. */
  choices: { title: string; value: string }[];
  /** Titles of the chosen pupils (the subject and linked rows), by pupil id; no prototype. */
  titles: Record<string, string>;
  /** Said beside the typed-name input when the name matched several pupils or none. */
  typedNameProblem?: FieldProblem;
}

/** The static choices of a fresh form. */
export async function freshPupilChoices(service: PupilService, actor: Actor): Promise<PupilPicks["choices"]> {
  return (await service.recentPupils(actor)).map((p) => ({ title: pupilTitle(p), value: p.id }));
}

/** A typed pupil name resolved: what a submit needs before it can record. */
export type TypedPupil = Pick<PupilPicks, "values" | "typedNameProblem"> & { matches: PupilPicks["choices"] };

export async function pupilPicks(service: PupilService, actor: Actor, sent: Record<string, string>): Promise<PupilPicks> {
  return choicesFor(service, actor, await typedPupil(service, actor, sent));
}

/** The typed name replaced by its pupil when it matched one; no list is read (a recorded concern needs none). */
export async function typedPupil(service: Pick<PupilService, "pupilsForTypedName">, actor: Actor, sent: Record<string, string>): Promise<TypedPupil> {
  const values = Object.assign(emptyRecord<string>(), sent);
  const typed = (values[PUPIL_NAME_INPUT] ?? "").trim().slice(0, PUPIL_NAME_MAX_LENGTH);
  let matches: { title: string; value: string }[] = [];
  let typedNameProblem: FieldProblem | undefined;
  if (typed) {
    const match = await service.pupilsForTypedName(actor, typed);
    if (match.kind === "one") {
      // Taken: the field now holds the pupil, and the name box is cleared so it is not read twice.
      values.pupilId = match.pupil.id;
      delete values[PUPIL_NAME_INPUT];
    } else if (match.kind === "several") {
      matches = match.pupils.map((p) => ({ title: pupilTitle(p), value: p.id }));
      typedNameProblem = { field: PUPIL_NAME_INPUT, message: SEVERAL_PUPILS_MESSAGE };
    } else typedNameProblem = { field: PUPIL_NAME_INPUT, message: NO_PUPIL_MESSAGE };
  }
  return { values, matches, typedNameProblem };
}

/** The form's static choices and the chosen pupils' titles, for a form shown again. */
export async function choicesFor(service: PupilService, actor: Actor, { values, matches, typedNameProblem }: TypedPupil): Promise<PupilPicks> {
  const chosenIds = [values.pupilId, ...Array.from({ length: LIMITS.linkedPupilsMax }, (_, i) => values[linkedPupilField(i + 1)])].filter(
    (id): id is string => !!id,
  );
  const [named, recent] = await Promise.all([service.pupilsByIds(actor, chosenIds), service.recentPupils(actor)]);
  const titles = emptyRecord<string>();
  for (const p of named) titles[p.id] = pupilTitle(p);
  const subject = values.pupilId && titles[values.pupilId] ? [{ title: titles[values.pupilId], value: values.pupilId }] : [];
  const recentChoices = recent.map((p) => ({ title: pupilTitle(p), value: p.id }));
  return { values, choices: uniqueChoices([...subject, ...matches, ...recentChoices]), titles, typedNameProblem };
}
