/**
 * The record-concern card's later sections: each chosen category's own questions, whether a DSL
 * was told, linked pupils, an allegation about an adult, and what happens next. Each returns card
 * elements built through the FormKit so typed values and problems survive a refresh.
 */
import type { FormOptions } from "../../src/app/views.js";
import { CONCERN_FIELDS as F, linkedPupilField, subCategoryInput } from "../../src/app/concern-fields.js";
import { LINKED_PUPILS_GUIDANCE, type ConcernFormField } from "../../src/domain/concern-form/model.js";
import type { Role } from "../../src/domain/roles.js";
import { canBeAssigned } from "../../src/domain/policy/index.js";
import { markdownLiteral, sideBySide, text, type CardElement } from "./card-kit.js";
import { choice, hint, literalChoice, type FormKit } from "./concern-form-kit.js";

type Category = FormOptions["categories"][number];

export const LINKED_PUPILS_REMINDER = "Use initials for other children in the account.";

/** A field's fixed choices (the model's), as card choices. */
const choicesOf = (f: ConcernFormField) => (f.choices ?? []).map((c) => choice(c.label, c.value));

const sectionHeading = (value: string): CardElement => text(value, { weight: "Bolder", spacing: "Large", separator: true });

/** For each chosen category: its guidance, its sub-categories and its own fields. */
export function categorySections(kit: FormKit, chosen: Category[]): CardElement[] {
  const already = new Set(kit.list("subCategoryIds"));
  return chosen.flatMap((c): CardElement[] => {
    // The school names its categories and writes their guidance: shown as written, never as Markdown.
    const items: CardElement[] = [text(markdownLiteral(c.name), { weight: "Bolder", spacing: "Medium", separator: true })];
    if (c.guidance) items.push(hint(markdownLiteral(c.guidance)));
    const fields = kit.model.categoryFields(c);
    const subs = fields.find((f) => f.id === subCategoryInput(c.id));
    const own = fields.filter((f) => f !== subs);
    if (subs) {
      // A form re-shown from a flat subCategoryIds list (the tab's shape) keeps those choices too.
      const fromFlat = c.subCategories
        .filter((s) => already.has(s.id))
        .map((s) => s.id)
        .join(",");
      const input = kit.input("Input.ChoiceSet", subs, {
        isMultiSelect: true,
        choices: c.subCategories.map((s) => literalChoice(s.name, s.id)),
        ...(fromFlat && kit.values[subs.id] === undefined ? { value: fromFlat } : {}),
      });
      items.push(...kit.field(input));
    }
    for (const f of own)
      items.push(
        ...kit.field(
          f.kind === "multi-choice"
            ? kit.input("Input.ChoiceSet", f, { isMultiSelect: true, choices: (f.choices ?? []).map((o) => literalChoice(o.label, o.value)) })
            : kit.input("Input.Text", f, { isMultiline: true }),
        ),
      );
    return [{ type: "Container", items }];
  });
}

/** Whether a DSL was told in person: asked of non-DSLs when a disclosure or a protected category is raised. */
export function disclosureSection(kit: FormKit, chosen: Category[], role: Role | undefined): CardElement[] {
  const out = kit.field(kit.input("Input.Toggle", F.disclosure));
  const told = kit.model.field(F.toldDslInPerson);
  const answers = {
    disclosure: kit.values[F.disclosure] === "true",
    categoryIds: chosen.map((c) => c.id),
    allegation: kit.values[F.allegation] === "true",
  };
  if (!told.shows?.({ role, categories: chosen, hasLocations: false, hasAlertGroups: false, answers })) return out;
  return [
    ...out,
    hint(told.guidance ?? ""),
    ...kit.field(
      kit.input("Input.ChoiceSet", told, {
        style: "expanded",
        isRequired: true,
        errorMessage: "Say whether you have told a DSL in person.",
        choices: choicesOf(told),
      }),
    ),
  ];
}

/**
 * Rows of typeahead and part, one more than are filled, up to five. Further rows come with
 * `another` (the form's refresh), not hidden on the card: four hidden rows cost 2.6 KB, which a
 * school of 60 staff cannot spare under Teams' 28 KB card limit.
 */
export function linkedPupilsSection(kit: FormKit, titles: Record<string, string>, another: CardElement): CardElement[] {
  let filled = 0;
  const rows = kit.model.field("linkedPupils");
  const max = rows.maxCount ?? 1;
  while (filled < max && kit.values[linkedPupilField(filled + 1)]) filled++;
  const shown = Math.min(max, filled + 1);
  const row = (n: number): CardElement => {
    const [pupil, part] = kit.model.linkedRow(n);
    const chosen = kit.values[pupil.id];
    return sideBySide(
      kit.field(
        kit.input("Input.ChoiceSet", pupil, {
          placeholder: "Start typing a name",
          style: "filtered",
          choices: chosen ? [choice(titles[chosen] ?? "The pupil you chose", chosen)] : [],
          "choices.data": { type: "Data.Query", dataset: "pupils" },
        }),
      ),
      kit.field(kit.input("Input.ChoiceSet", part, { placeholder: "How were they involved?", choices: choicesOf(part) })),
    );
  };
  const more: CardElement[] = shown < max ? [{ type: "ActionSet", actions: [another] }] : [];
  return [sectionHeading(rows.label), hint(rows.guidance ?? LINKED_PUPILS_GUIDANCE), ...Array.from({ length: shown }, (_, i) => row(i + 1)), ...more];
}

/** The allegation toggle and whom it concerns; the named adults are never alerted and never see it. */
export function allegationSection(kit: FormKit, options: FormOptions): CardElement[] {
  return [
    sectionHeading("Allegation about an adult"),
    ...kit.field(kit.input("Input.Toggle", F.allegation)),
    hint(kit.model.field(F.allegation).guidance ?? ""),
    // A card cannot hide it until the box is ticked without a refresh, so it is always there and says so.
    ...kit.field(
      kit.input("Input.ChoiceSet", F.allegationStaffIds, { isMultiSelect: true, choices: options.staff.map((s) => literalChoice(s.name, s.id)) }),
      [hint("Only if the box above is ticked.")],
    ),
  ];
}

/** Status, assignee, agency and the planner reminder. */
export function followUpSection(kit: FormKit, options: FormOptions, today: string): CardElement[] {
  const leads = options.staff.filter(canBeAssigned);
  return [
    sectionHeading("Follow-up"),
    sideBySide(
      kit.field(kit.input("Input.ChoiceSet", F.status, { value: "active", choices: choicesOf(kit.model.field(F.status)) })),
      kit.field(
        kit.input("Input.ChoiceSet", F.assignedToStaffId, {
          placeholder: "A DSL, deputy or SLT",
          choices: leads.map((s) => choice(`${s.name} (${s.role})`, s.id)),
        }),
      ),
    ),
    ...kit.field(kit.input("Input.Text", F.agencyInvolved)),
    text("Add to my planner (optional reminder)", { size: "Small", weight: "Bolder", spacing: "Medium" }),
    sideBySide(kit.field(kit.input("Input.Date", F.plannerDate, { min: today })), kit.field(kit.input("Input.Time", F.plannerTime))),
    ...kit.field(kit.input("Input.Text", F.plannerNote, { isMultiline: true })),
  ];
}
