/**
 * The record-concern card's data as the service's input. Teams sends every input as a string:
 * multi-selects as "a,b,c", toggles as "true"/"false", the date and time as the school's wall
 * clock. Problems come back as field problems named after the card's inputs, so the form can be
 * shown again with each message beside its field.
 */
import { z } from "zod";
import { fieldProblemsFrom, recordIncidentInputSchema, type RecordIncidentInput } from "../src/app/record-incident.js";
import { CONCERN_FIELDS as F, linkedPartField, linkedPupilField } from "../src/app/concern-fields.js";
import type { FormOptions } from "../src/app/views.js";
import type { FieldProblem } from "../src/domain/errors.js";
import { ValidationError } from "../src/domain/errors.js";
import { LIMITS } from "../src/domain/limits.js";
import { wallClockToIso } from "../src/domain/wall-clock.js";

const text = z.preprocess((v) => (v === undefined || v === null ? "" : v), z.coerce.string());
const list = text.transform((s) => s.split(",").map((x) => x.trim()).filter(Boolean));
const optionalText = text.transform((s) => s.trim() || undefined);
const toggle = text.transform((s) => s.trim() === "true");

/** Card data (Action.Execute's action.data, or the Action.Submit fallback's activity value). */
export const concernCardDataSchema = z.looseObject({
  submissionId: text,
  pupilId: text,
  categoryIds: list,
  subCategoryIds: list,
  occurredDate: text,
  occurredTime: text,
  session: optionalText,
  location: optionalText,
  account: text,
  alertStaffIds: list,
  alertGroupIds: list,
  [F.disclosure]: toggle,
  [F.toldDslInPerson]: optionalText,
  [F.allegation]: toggle,
  [F.allegationStaffIds]: list,
  [F.status]: optionalText,
  [F.assignedToStaffId]: optionalText,
  [F.agencyInvolved]: optionalText,
  [F.plannerDate]: optionalText,
  [F.plannerTime]: optionalText,
  [F.plannerNote]: optionalText,
});

const SUB_CATEGORY_PREFIX = "subCategories.";
const CATEGORY_FIELD_PREFIX = "categoryFields.";

/**
 * The inputs' values as sent, kept so a re-shown form loses nothing. Linked pupil rows are closed
 * up (rows 1, 3 become 1, 2) so that the service's n-th linked pupil is the card's row n.
 */
export function cardValues(data: unknown): Record<string, string> {
  if (!data || typeof data !== "object") return {};
  const values: Record<string, string> = {};
  for (const [k, v] of Object.entries(data)) {
    if (k === "submissionId" || k === "verb" || k === "msteams") continue;
    if (typeof v === "string" || typeof v === "number" || typeof v === "boolean") values[k] = String(v);
  }
  const rows: { pupil: string; part?: string }[] = [];
  for (let row = 1; row <= LIMITS.linkedPupilsMax; row++) {
    const pupil = values[linkedPupilField(row)]?.trim();
    const part = values[linkedPartField(row)];
    delete values[linkedPupilField(row)];
    delete values[linkedPartField(row)];
    if (pupil) rows.push({ pupil, part });
  }
  rows.forEach((r, i) => {
    values[linkedPupilField(i + 1)] = r.pupil;
    if (r.part !== undefined) values[linkedPartField(i + 1)] = r.part;
  });
  return values;
}

/** Throws a validation_failed KeepsafeError with field problems; returns the service's input otherwise. */
export function toRecordIncidentInput(
  data: unknown,
  timeZone: string,
  source: RecordIncidentInput["source"],
  /** The form's categories, to tell multi-select fields from text; without them every field is text. */
  categories: FormOptions["categories"] = [],
): RecordIncidentInput {
  const values = cardValues(data);
  const card = concernCardDataSchema.safeParse({ ...values, submissionId: (data as { submissionId?: unknown } | null)?.submissionId });
  if (!card.success) throw ValidationError(fieldProblemsFrom(card.error));
  const d = card.data;
  const problems: FieldProblem[] = [];
  const occurredAt = wallClockToIso(d.occurredDate, d.occurredTime, timeZone);
  if (!occurredAt) problems.push({ field: "occurredAt", message: "Give the date and time it happened." });
  const chosen = new Set(d.categoryIds);
  const linkedPupils = [];
  for (let row = 1; values[linkedPupilField(row)]; row++)
    linkedPupils.push({ pupilId: values[linkedPupilField(row)], part: values[linkedPartField(row)] ?? "" });
  const reminder = d[F.plannerDate] || d[F.plannerTime] || d[F.plannerNote];
  const candidate = {
    submissionId: d.submissionId,
    pupilId: d.pupilId,
    linkedPupils,
    categoryIds: d.categoryIds,
    subCategoryIds: [...new Set([...d.subCategoryIds, ...subCategoriesFrom(values, chosen)])],
    categoryFields: categoryFieldsFrom(values, chosen, categories),
    occurredAt: occurredAt ?? "",
    session: d.session,
    location: d.location,
    account: d.account,
    disclosure: d[F.disclosure],
    toldDslInPerson: d[F.toldDslInPerson],
    allegationAgainstStaff: d[F.allegation] ? { staffIds: d[F.allegationStaffIds] } : undefined,
    status: d[F.status],
    assignedToStaffId: d[F.assignedToStaffId],
    agencyInvolved: d[F.agencyInvolved],
    plannerReminder: reminder ? { date: d[F.plannerDate] ?? "", time: d[F.plannerTime] ?? "", note: d[F.plannerNote] ?? "" } : undefined,
    alertStaffIds: d.alertStaffIds,
    alertGroupIds: d.alertGroupIds,
    source,
  };
  const parsed = recordIncidentInputSchema.safeParse(candidate);
  if (!parsed.success) {
    // The date problem is already reported in words that fit the two inputs.
    problems.push(...fieldProblemsFrom(parsed.error).filter((p) => !(p.field === "occurredAt" && !occurredAt)));
  }
  if (problems.length || !parsed.success) throw ValidationError(problems);
  return parsed.data;
}

const splitList = (s: string) => s.split(",").map((x) => x.trim()).filter(Boolean);

/** "subCategories.bullying" = "online-bullying,other", for the chosen categories only. */
function subCategoriesFrom(values: Record<string, string>, chosen: Set<string>): string[] {
  return Object.entries(values)
    .filter(([k]) => k.startsWith(SUB_CATEGORY_PREFIX) && chosen.has(k.slice(SUB_CATEGORY_PREFIX.length)))
    .flatMap(([, v]) => splitList(v));
}

/**
 * "categoryFields.behaviour.outcomes" = "Near miss,Aggressive incident". Inputs of a category the
 * person has since un-chosen are still on the card until it refreshes; they are left out.
 */
function categoryFieldsFrom(values: Record<string, string>, chosen: Set<string>, categories: FormOptions["categories"]) {
  const out: Record<string, Record<string, string | string[]>> = {};
  for (const [key, value] of Object.entries(values)) {
    if (!key.startsWith(CATEGORY_FIELD_PREFIX)) continue;
    const [categoryId, fieldId] = key.slice(CATEGORY_FIELD_PREFIX.length).split(".");
    if (!categoryId || !fieldId || !chosen.has(categoryId)) continue;
    const kind = categories.find((c) => c.id === categoryId)?.fields?.find((f) => f.id === fieldId)?.kind;
    (out[categoryId] ??= {})[fieldId] = kind === "multi-select" ? splitList(value) : value;
  }
  return out;
}
