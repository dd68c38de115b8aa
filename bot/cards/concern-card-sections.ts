/**
 * The record-concern card's later sections: each chosen category's own questions, whether a DSL
 * was told, linked pupils, an allegation about an adult, and what happens next. Each returns card
 * elements built through the FormKit so typed values and problems survive a refresh.
 */
import type { FormOptions } from "../../src/app/views.js";
import {
  CONCERN_FIELDS as F,
  categoryFieldInput,
  linkedPartField,
  linkedPupilField,
  subCategoryInput,
} from "../../src/app/concern-fields.js";
import { ALLEGATION_GUIDANCE, ALLEGATION_LABEL } from "../../src/domain/allegations.js";
import { LINKED_PARTS, PART_LABELS } from "../../src/domain/incident.js";
import { LIMITS } from "../../src/domain/limits.js";
import type { Role } from "../../src/domain/roles.js";
import { canBeAssigned, mustAskToldDsl } from "../../src/domain/policy/index.js";
import { markdownLiteral, sideBySide, text, type CardElement } from "./card-kit.js";
import { choice, hint, literalChoice, type FormKit } from "./concern-form-kit.js";

type Category = FormOptions["categories"][number];

export const LINKED_PUPILS_REMINDER = "Use initials for other children in the account.";

const sectionHeading = (value: string): CardElement => text(value, { weight: "Bolder", spacing: "Large", separator: true });

/** For each chosen category: its guidance, its sub-categories and its own fields. */
export function categorySections(kit: FormKit, chosen: Category[]): CardElement[] {
  const already = new Set(kit.list("subCategoryIds"));
  return chosen.flatMap((c): CardElement[] => {
    // The school names its categories and writes their guidance: shown as written, never as Markdown.
    const items: CardElement[] = [text(markdownLiteral(c.name), { weight: "Bolder", spacing: "Medium", separator: true })];
    if (c.guidance) items.push(hint(markdownLiteral(c.guidance)));
    if (c.subCategories.length) {
      const id = subCategoryInput(c.id);
      // A form re-shown from a flat subCategoryIds list (the tab's shape) keeps those choices too.
      const fromFlat = c.subCategories.filter((s) => already.has(s.id)).map((s) => s.id).join(",");
      const input: CardElement = {
        type: "Input.ChoiceSet",
        id,
        label: `${c.name}: sub-categories`,
        isMultiSelect: true,
        choices: c.subCategories.map((s) => literalChoice(s.name, s.id)),
        ...(fromFlat && kit.values[id] === undefined ? { value: fromFlat } : {}),
      };
      items.push(...kit.field(input));
    }
    for (const f of c.fields ?? []) {
      const id = categoryFieldInput(c.id, f.id);
      items.push(
        ...kit.field(
          f.kind === "multi-select"
            ? { type: "Input.ChoiceSet", id, label: f.label, isMultiSelect: true, choices: (f.options ?? []).map((o) => literalChoice(o, o)) }
            : {
                type: "Input.Text",
                id,
                label: `${f.label} (up to ${LIMITS.categoryTextMaxLength.toLocaleString("en-GB")} characters)`,
                isMultiline: true,
                maxLength: LIMITS.categoryTextMaxLength,
              },
        ),
      );
    }
    return [{ type: "Container", items }];
  });
}

/** Whether a DSL was told in person: asked of non-DSLs when a disclosure or a protected category is raised. */
export function disclosureSection(kit: FormKit, chosen: Category[], role: Role | undefined): CardElement[] {
  const out = kit.field({
    type: "Input.Toggle",
    id: F.disclosure,
    title: "A child told me this themselves (a disclosure)",
    valueOn: "true",
    valueOff: "false",
  });
  const asked = mustAskToldDsl(role && { role }, chosen, { disclosure: kit.values[F.disclosure] === "true", categoryIds: chosen.map((c) => c.id) });
  if (!asked) return out;
  return [
    ...out,
    hint("A disclosure or a safeguarding concern must be told to a DSL in person at once; the record comes after."),
    ...kit.field({
      type: "Input.ChoiceSet",
      id: F.toldDslInPerson,
      label: "Have you told a DSL in person?",
      style: "expanded",
      isRequired: true,
      errorMessage: "Say whether you have told a DSL in person.",
      choices: [choice("Yes, I have told a DSL in person", "yes"), choice("Not yet: I will go and tell a DSL now (marks it URGENT)", "not-yet")],
    }),
  ];
}

/**
 * Rows of typeahead and part, one more than are filled, up to five. Further rows come with
 * `another` (the form's refresh), not hidden on the card: four hidden rows cost 2.6 KB, which a
 * school of 60 staff cannot spare under Teams' 28 KB card limit.
 */
export function linkedPupilsSection(kit: FormKit, titles: Record<string, string>, another: CardElement): CardElement[] {
  let filled = 0;
  while (filled < LIMITS.linkedPupilsMax && kit.values[linkedPupilField(filled + 1)]) filled++;
  const shown = Math.min(LIMITS.linkedPupilsMax, filled + 1);
  const row = (n: number): CardElement => {
    const chosen = kit.values[linkedPupilField(n)];
    return sideBySide(
      kit.field({
        type: "Input.ChoiceSet",
        id: linkedPupilField(n),
        label: `Linked pupil ${n}`,
        placeholder: "Start typing a name",
        style: "filtered",
        choices: chosen ? [choice(titles[chosen] ?? "The pupil you chose", chosen)] : [],
        "choices.data": { type: "Data.Query", dataset: "pupils" },
      }),
      kit.field({
        type: "Input.ChoiceSet",
        id: linkedPartField(n),
        label: "Their part",
        placeholder: "How were they involved?",
        choices: LINKED_PARTS.map((p) => choice(PART_LABELS[p], p)),
      }),
    );
  };
  const more: CardElement[] = shown < LIMITS.linkedPupilsMax ? [{ type: "ActionSet", actions: [another] }] : [];
  return [
    sectionHeading("Other pupils involved (optional)"),
    hint(`Each linked pupil sees this record in their own chronology, with their own part. ${LINKED_PUPILS_REMINDER}`),
    ...Array.from({ length: shown }, (_, i) => row(i + 1)),
    ...more,
  ];
}

/** The allegation toggle and whom it concerns; the named adults are never alerted and never see it. */
export function allegationSection(kit: FormKit, options: FormOptions): CardElement[] {
  return [
    sectionHeading("Allegation about an adult"),
    ...kit.field({ type: "Input.Toggle", id: F.allegation, title: ALLEGATION_LABEL, valueOn: "true", valueOff: "false" }),
    hint(ALLEGATION_GUIDANCE),
    ...kit.field({
      type: "Input.ChoiceSet",
      id: F.allegationStaffIds,
      label: "Who it concerns (only if the box above is ticked)",
      isMultiSelect: true,
      choices: options.staff.map((s) => literalChoice(s.name, s.id)),
    }),
  ];
}

/** Status, assignee, agency and the planner reminder. */
export function followUpSection(kit: FormKit, options: FormOptions, today: string): CardElement[] {
  const leads = options.staff.filter(canBeAssigned);
  return [
    sectionHeading("Follow-up"),
    sideBySide(
      kit.field({
        type: "Input.ChoiceSet",
        id: F.status,
        label: "Status",
        value: "active",
        choices: [choice("Active (unresolved)", "active"), choice("Closed (no further action)", "closed")],
      }),
      kit.field({
        type: "Input.ChoiceSet",
        id: F.assignedToStaffId,
        label: "Assign to (optional)",
        placeholder: "A DSL, deputy or SLT",
        choices: leads.map((s) => choice(`${s.name} (${s.role})`, s.id)),
      }),
    ),
    ...kit.field({
      type: "Input.Text",
      id: F.agencyInvolved,
      label: `Agency involved (optional, up to ${LIMITS.agencyMaxLength} characters)`,
      maxLength: LIMITS.agencyMaxLength,
    }),
    text("Add to my planner (optional reminder)", { size: "Small", weight: "Bolder", spacing: "Medium" }),
    sideBySide(
      kit.field({ type: "Input.Date", id: F.plannerDate, label: "Reminder date", min: today }),
      kit.field({ type: "Input.Time", id: F.plannerTime, label: "Reminder time" }),
    ),
    ...kit.field({
      type: "Input.Text",
      id: F.plannerNote,
      label: `Reminder note (up to ${LIMITS.plannerNoteMaxLength} characters)`,
      maxLength: LIMITS.plannerNoteMaxLength,
    }),
  ];
}
