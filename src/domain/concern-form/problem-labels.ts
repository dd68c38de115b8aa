/**
 * The words a field problem of the concern form goes by in a summary ("What happened: write at
 * least 10 characters"): the model's own label, without its limits, so the summary names each
 * field as the form shows it. The problem's field name comes from the server, so it is only ever
 * compared, never used as a key into an object.
 */
import type { CategoryField } from "../categories.js";
import type { ConcernFormModel } from "./model.js";

/** Problems the service names by what it checks, where the form has the input that sets it. */
const SHOWN_AT = new Map([
  ["occurredAt", "occurredDate"],
  ["subCategoryIds", "categoryIds"],
]);

const LINKED_ROW = /^linked(Pupil|Part)([1-9]\d{0,2})$/;

export interface CategoryForLabels {
  id: string;
  name: string;
  subCategories: readonly unknown[];
  fields?: readonly CategoryField[];
}

/** The label of the input a problem about `field` is shown beside, or undefined when the form has none. */
export function concernProblemLabel(model: ConcernFormModel, categories: readonly CategoryForLabels[], field: string): string | undefined {
  const id = SHOWN_AT.get(field) ?? field;
  const fixed = model.fields.find((f) => f.id === id);
  if (fixed) return fixed.label;
  const row = LINKED_ROW.exec(field);
  if (row) {
    const [pupil, part] = model.linkedRow(Number(row[2]));
    return row[1] === "Pupil" ? pupil.label : `${pupil.label}: ${part.label.toLowerCase()}`;
  }
  for (const category of categories) {
    const own = model.categoryFields(category).find((f) => f.id === field);
    // A category's own question is named with its category, as it sits under that heading.
    if (own) return own.label.startsWith(`${category.name}:`) ? own.label : `${category.name}: ${own.label}`;
  }
  return undefined;
}
