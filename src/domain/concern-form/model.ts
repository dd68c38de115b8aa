/**
 * The concern form, described once: each field's input id, label, kind, limits, guidance and when
 * it shows. The Adaptive Card builder (bot/cards/) and the tab's React form (tab/src/views/) both
 * render from a model built here, so a label or a limit changed here changes both doors; the
 * server's schema (src/contract/requests.ts) reads the same LIMITS.
 */
import { ALLEGATION_GUIDANCE, ALLEGATION_LABEL } from "../allegations.js";
import type { CategoryField } from "../categories.js";
import { LINKED_PARTS, PART_LABELS } from "../incident.js";
import { LIMITS } from "../limits.js";
import { mustAskToldDsl } from "../policy/form.js";
import { ALERT_ALLEGATION_NOTE, ALERT_APPROVAL_NOTE, alertsWaitForApproval } from "../policy/alerting.js";
import type { Role } from "../roles.js";

export type ConcernFieldKind = "pupil" | "choice" | "multi-choice" | "toggle" | "date" | "time" | "text" | "long-text";

/** The limits the form shows and enforces; the standard form uses the domain's LIMITS. */
export type ConcernFormLimits = Pick<
  typeof LIMITS,
  | "accountMinLength"
  | "accountMaxLength"
  | "agencyMaxLength"
  | "plannerNoteMaxLength"
  | "categoryTextMaxLength"
  | "linkedPupilsMax"
  | "allegationStaffMax"
>;
type Limits = { [K in keyof ConcernFormLimits]: number };

/** What decides whether a field shows: who is filling it in, the school's lists and the answers so far. */
export interface ConcernFormFacts {
  role?: Role;
  categories: readonly { id: string; protected?: boolean }[];
  hasLocations: boolean;
  hasAlertGroups: boolean;
  answers: { disclosure: boolean; categoryIds: readonly string[]; allegation: boolean };
}

export interface ConcernFormField {
  /** The input's id on the card and the field's name in the tab (and in field problems). */
  id: string;
  /** The words a person reads, without limits: see labelOf. */
  label: string;
  kind: ConcernFieldKind;
  required?: boolean;
  /** Said in the label ("optional"), for a field people may think they must fill. */
  optional?: boolean;
  minLength?: number;
  maxLength?: number;
  /** How many may be chosen or added. */
  maxCount?: number;
  guidance?: string;
  /** Fixed choices (the school's own lists, such as staff or sessions, come from the form options). */
  choices?: readonly { value: string; label: string }[];
  /** Whether the field is on the form; always, unless said. */
  shows?: (facts: ConcernFormFacts) => boolean;
}

export const RECORDING_GUIDANCE =
  "Write what you saw or heard: the main facts, the child's own words exactly, and what you did next. " +
  "Be factual and professional, with no opinion. Name other children by initials only.";

export const LINKED_PUPILS_GUIDANCE =
  "Each linked pupil sees this record in their own chronology, with their own part. Use initials for other children in the account.";

/**
 * What the alert box adds on a protected record raised by anyone but a DSL: that a chosen alert to
 * someone new waits for a DSL (policy.splitAlerts); and on an allegation, whatever its categories
 * and whoever raises it, that it will be declined (policy.decideHeldAlerts). The card and the tab
 * both show it from here.
 */
export const alertApprovalNote = (facts: Pick<ConcernFormFacts, "role" | "categories"> & { categoryIds: readonly string[]; allegation?: boolean }) =>
  alertsWaitForApproval(facts.role && { role: facts.role }, facts.categories, facts.categoryIds, facts.allegation)
    ? facts.allegation
      ? ALERT_ALLEGATION_NOTE
      : ALERT_APPROVAL_NOTE
    : undefined;

const count = (n: number) => n.toLocaleString("en-GB");

/** The label as shown on both doors, with its limits: "What happened (required, 10 to 10,000 characters)". */
export function labelOf(field: Pick<ConcernFormField, "label" | "required" | "optional" | "minLength" | "maxLength" | "kind">): string {
  const isText = field.kind === "text" || field.kind === "long-text";
  if (!isText || field.maxLength === undefined) return field.label;
  const length = field.minLength ? `${count(field.minLength)} to ${count(field.maxLength)} characters` : `up to ${count(field.maxLength)} characters`;
  const said = [field.required ? "required" : field.optional ? "optional" : "", length].filter(Boolean).join(", ");
  return `${field.label} (${said})`;
}

/** A category's own question, as an input of the form. */
export const categoryFieldInput = (categoryId: string, fieldId: string) => `categoryFields.${categoryId}.${fieldId}`;
/** The sub-category choice shown under one chosen category. */
export const subCategoryInput = (categoryId: string) => `subCategories.${categoryId}`;
export const linkedPupilField = (row: number) => `linkedPupil${row}`;
export const linkedPartField = (row: number) => `linkedPart${row}`;

export interface ConcernFormModel {
  readonly limits: Limits;
  /** Every fixed field, in the order of the schools' paper form. */
  readonly fields: readonly ConcernFormField[];
  field(id: string): ConcernFormField;
  /** The fixed fields that show for these facts. */
  shown(facts: ConcernFormFacts): ConcernFormField[];
  /** One chosen category's sub-category choice and own questions. */
  categoryFields(category: { id: string; name: string; subCategories: readonly unknown[]; fields?: readonly CategoryField[] }): ConcernFormField[];
  /** Linked pupil row n's two fields. */
  linkedRow(n: number): [ConcernFormField, ConcernFormField];
}

export function concernFormModel(limits: Limits = LIMITS): ConcernFormModel {
  const fields: ConcernFormField[] = [
    { id: "pupilId", label: "Pupil", kind: "pupil", required: true },
    { id: "categoryIds", label: "Categories", kind: "multi-choice", required: true, guidance: "Choose one or more. A DSL will re-tag it if needed." },
    { id: "disclosure", label: "A child told me this themselves (a disclosure)", kind: "toggle" },
    {
      id: "toldDslInPerson",
      label: "Have you told a DSL in person?",
      kind: "choice",
      required: true,
      guidance: "A disclosure or a safeguarding concern must be told to a DSL in person at once; the record comes after.",
      choices: [
        { value: "yes", label: "Yes, I have told a DSL in person" },
        { value: "not-yet", label: "Not yet: I will go and tell a DSL now (marks it URGENT)" },
      ],
      shows: (f) => mustAskToldDsl(f.role && { role: f.role }, f.categories, f.answers),
    },
    { id: "occurredDate", label: "Date", kind: "date", required: true },
    { id: "occurredTime", label: "Time", kind: "time", required: true },
    { id: "session", label: "Session", kind: "choice" },
    { id: "location", label: "Location", kind: "choice", shows: (f) => f.hasLocations },
    {
      id: "account",
      label: "What happened",
      kind: "long-text",
      required: true,
      minLength: limits.accountMinLength,
      maxLength: limits.accountMaxLength,
      guidance: RECORDING_GUIDANCE,
    },
    {
      id: "linkedPupils",
      label: "Other pupils involved (optional)",
      kind: "pupil",
      maxCount: limits.linkedPupilsMax,
      guidance: LINKED_PUPILS_GUIDANCE,
    },
    { id: "allegation", label: ALLEGATION_LABEL, kind: "toggle", guidance: ALLEGATION_GUIDANCE },
    {
      id: "allegationStaffIds",
      label: "Who it concerns",
      kind: "multi-choice",
      maxCount: limits.allegationStaffMax,
      shows: (f) => f.answers.allegation,
    },
    {
      id: "status",
      label: "Status",
      kind: "choice",
      choices: [
        { value: "active", label: "Active (unresolved)" },
        { value: "closed", label: "Closed (no further action)" },
      ],
    },
    { id: "assignedToStaffId", label: "Assign to (optional)", kind: "choice" },
    { id: "agencyInvolved", label: "Agency involved", kind: "text", optional: true, maxLength: limits.agencyMaxLength },
    { id: "plannerDate", label: "Reminder date", kind: "date" },
    { id: "plannerTime", label: "Reminder time", kind: "time" },
    { id: "plannerNote", label: "Reminder note", kind: "long-text", maxLength: limits.plannerNoteMaxLength },
    { id: "alertGroupIds", label: "Alert groups", kind: "multi-choice", shows: (f) => f.hasAlertGroups },
    {
      id: "alertStaffIds",
      label: "Who to alert",
      kind: "multi-choice",
      guidance: "Think of confidentiality: the people you alert can alert others.",
    },
  ];
  const byId = new Map(fields.map((f) => [f.id, f]));
  return {
    limits,
    fields,
    field(id) {
      const found = byId.get(id);
      if (!found) throw new Error(`The concern form has no field ${id}.`);
      return found;
    },
    shown: (facts) => fields.filter((f) => !f.shows || f.shows(facts)),
    categoryFields: (c) => [
      ...(c.subCategories.length ? [{ id: subCategoryInput(c.id), label: `${c.name}: sub-categories`, kind: "multi-choice" as const }] : []),
      ...(c.fields ?? []).map((f): ConcernFormField =>
        f.kind === "multi-select"
          ? {
              id: categoryFieldInput(c.id, f.id),
              label: f.label,
              kind: "multi-choice",
              choices: (f.options ?? []).map((o) => ({ value: o, label: o })),
            }
          : { id: categoryFieldInput(c.id, f.id), label: f.label, kind: "long-text", maxLength: limits.categoryTextMaxLength },
      ),
    ],
    linkedRow: (n) => [
      { id: linkedPupilField(n), label: `Linked pupil ${n}`, kind: "pupil" },
      { id: linkedPartField(n), label: "Their part", kind: "choice", choices: LINKED_PARTS.map((p) => ({ value: p, label: PART_LABELS[p] })) },
    ],
  };
}
