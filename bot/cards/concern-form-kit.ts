/**
 * The bit of the record-concern card every input shares: its value as the person left it and the
 * problems the service found with it, shown directly beneath. Problems for inputs not on the card
 * are collected so the card can show them at the top.
 */
import type { FieldProblem } from "../../src/domain/errors.js";
import { labelOf, type ConcernFormField, type ConcernFormModel } from "../../src/domain/concern-form/model.js";
import { CONCERN_FORM } from "../../src/domain/concern-form/standard-form.js";
import { markdownLiteral, problem, type CardElement } from "./card-kit.js";

/** Service fields with no input of their own name, shown beside the input that sets them. */
const FIELD_TO_INPUT: Record<string, string> = { occurredAt: "occurredTime", subCategoryIds: "categoryIds" };

export class FormKit {
  /** Each input on the card by id, with the label the person sees (a toggle's title). */
  private readonly placed = new Map<string, string | undefined>();

  constructor(
    readonly values: Record<string, string>,
    private readonly errors: FieldProblem[],
    /** The form described once (src/domain/concern-form): every input's id, label and limit come from it. */
    readonly model: ConcernFormModel = CONCERN_FORM,
  ) {}

  /** The model's field `id` (or the field itself) as a card input of `type`: its id, label (a toggle's title) and length limit. */
  input(type: string, of: string | ConcernFormField, extra: CardElement = {}): CardElement {
    const f = typeof of === "string" ? this.model.field(of) : of;
    const words = type === "Input.Toggle" ? { title: labelOf(f), valueOn: "true", valueOff: "false" } : { label: labelOf(f) };
    return { type, id: f.id, ...words, ...(f.maxLength !== undefined ? { maxLength: f.maxLength } : {}), ...extra };
  }

  /** The input with its kept value, then its problems, then anything to show below it. */
  field(input: CardElement, extra: CardElement[] = []): CardElement[] {
    const id = String(input.id);
    const label = typeof input.label === "string" ? input.label : typeof input.title === "string" ? input.title : undefined;
    // "What happened (required, 10 to 10,000 characters)" is named "What happened" in the summary.
    this.placed.set(id, label?.replace(/\s*\([^)]*\)$/, ""));
    const value = this.values[id];
    const problems = this.errors.filter((e) => inputFor(e.field) === id).map((e) => problem(e.message));
    return [value !== undefined ? { ...input, value } : input, ...problems, ...extra];
  }

  /** Problems whose input is not on the card (an expired form id, say); call after every field is built. */
  unplaced(): FieldProblem[] {
    return this.errors.filter((e) => !this.placed.has(inputFor(e.field)));
  }

  /**
   * Every problem in the order found, with the label of the input it is shown beside (none for a
   * problem with no input of its own), for the summary at the top; call after every field is built.
   */
  named(): (FieldProblem & { label?: string })[] {
    return this.errors.map((e) => ({ ...e, label: this.placed.get(inputFor(e.field)) }));
  }

  /** A toggle's or multi-select's kept value as a list. */
  list(id: string): string[] {
    return (this.values[id] ?? "")
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean);
  }
}

const inputFor = (field: string) => FIELD_TO_INPUT[field] ?? field;

export const hint = (value: string): CardElement => ({ type: "TextBlock", text: value, wrap: true, size: "Small", isSubtle: true, spacing: "Small" });

export const choice = (title: string, value: string) => ({ title, value });

/** Each choice once, in the order given: a chosen pupil who is also a recent one is listed once. */
export function uniqueChoices<T extends { value: string }>(choices: T[]): T[] {
  const seen = new Set<string>();
  return choices.filter((c) => !seen.has(c.value) && !!seen.add(c.value));
}

/** The Pupil field's last resort, where the client cannot search: a name the bot resolves on refresh or submit. */
export const PUPIL_NAME_INPUT = "pupilName";
export const PUPIL_NAME_MAX_LENGTH = 100;

/**
 * A choice titled with someone else's words (a member of staff's name, a category the school
 * named), with `ours` (such as " (DSL)") after it, in a choice set drawn as checkboxes or radio
 * buttons (multi-select or expanded): their titles are read as Markdown, so a name like
 * "[Click me](https://...)" must show as typed, never as a link. A dropdown's entries (compact or
 * filtered) are plain option text, where an escape would show as a stray backslash.
 */
export const literalChoice = (words: string, value: string, ours = "") => choice(`${markdownLiteral(words)}${ours}`, value);
