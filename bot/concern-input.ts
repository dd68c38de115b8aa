/**
 * The record-concern card's data as the service's input. Teams sends every input as a string:
 * multi-selects as "a,b,c", toggles as "true"/"false", the date and time as the school's wall
 * clock. Problems come back as field problems named after the card's inputs, so the form can be
 * shown again with each message beside its field.
 */
import { z } from "zod";
import { fieldProblemsFrom, recordIncidentInputSchema, type RecordIncidentInput } from "../src/app/record-incident.js";
import { CONCERN_FIELDS as F, categoryFieldInput, linkedPartField, linkedPupilField, subCategoryInput } from "../src/app/concern-fields.js";
import { cardDataSchema, emptyRecord, parseCardData } from "./card-data.js";
import type { FormOptions } from "../src/app/views.js";
import type { FieldProblem } from "../src/domain/errors.js";
import { ValidationError } from "../src/domain/errors.js";
import { LIMITS } from "../src/domain/limits.js";
import type { Role } from "../src/domain/roles.js";
import { recordCommandFrom, type ConcernAnswers } from "../src/domain/concern-form/record-command.js";

const text = z.preprocess((v) => (v === undefined || v === null ? "" : v), z.coerce.string());
const list = text.transform((s) =>
  s
    .split(",")
    .map((x) => x.trim())
    .filter(Boolean),
);
const optionalText = text.transform((s) => s.trim() || undefined);
const toggle = text.transform((s) => s.trim() === "true");

/** Card data (Action.Execute's action.data, or the Action.Submit fallback's activity value). */
export const concernCardDataSchema = z.object({
  submissionId: text,
  pupilId: text,
  /** "Or type the pupil's name": resolved by the bot (bot/pupil-choices.ts), never sent to the service. */
  pupilName: optionalText,
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

export const UNKNOWN_CATEGORY_MESSAGE =
  "This card names a category or field this school does not have. Nothing was saved; send Keepsafe a message for a new form.";

/** What one category's own inputs hold: its sub-category choice and its fields, by field id. */
export interface CategoryInputs {
  subCategories?: string;
  fields: Map<string, string>;
}

/** The concern card's (or the message extension dialog's) data, parsed into plain data. */
export interface ConcernCard {
  /** As sent; the service decides whether it is a usable id. */
  submissionId: string | undefined;
  verb: string | undefined;
  /** Every input's value as sent (no prototype), kept so a re-shown form loses nothing; linked rows closed up. */
  values: Record<string, string>;
  /** The inputs of each of the school's categories that the card sent, by category id. */
  categories: Map<string, CategoryInputs>;
  /** Where a message extension's words came from (its dialog's data only). */
  originMessage: z.infer<typeof originMessageSchema> | undefined;
}

/** The message extension's origin as it rides in the dialog's buttons; anything odd in it is dropped. */
export const originMessageSchema = z.object({
  messageId: z.union([z.string(), z.number()]).transform(String).pipe(z.string().trim().max(200)).optional().catch(undefined),
  sender: z.string().trim().max(200).optional().catch(undefined),
  sentAt: z.string().optional().catch(undefined),
});

/** Inputs the card itself has, besides linked rows and the categories' own inputs. */
const FIXED_INPUTS: ReadonlySet<string> = new Set([...Object.keys(concernCardDataSchema.shape).filter((k) => k !== "submissionId"), "origin"]);
const LINKED_ROW = /^linked(Pupil|Part)([1-9]\d?)$/;

/**
 * The one parser of concern card data, for the chat form and the message extension alike: a
 * plain object with no unsafe key (bot/card-data.ts), whose category inputs name only the school's
 * own categories and, for the chosen ones, their own fields. Anything else is refused with a
 * validation_failed error saying why; inputs the form does not have are dropped.
 */
export const concernCardSchema = (categories: FormOptions["categories"]) =>
  cardDataSchema.transform((raw, ctx): ConcernCard => {
    const known = new Map(categories.map((c) => [c.id, new Set((c.fields ?? []).map((f) => f.id))]));
    const values = emptyRecord<string>();
    const byCategory = new Map<string, CategoryInputs>();
    const inputsOf = (categoryId: string) => byCategory.get(categoryId) ?? byCategory.set(categoryId, { fields: new Map() }).get(categoryId)!;
    const rows = new Map<number, { pupil?: string; part?: string }>();
    const chosen = new Set(typeof raw.categoryIds === "string" ? raw.categoryIds.split(",").map((c) => c.trim()) : []);
    for (const [key, v] of Object.entries(raw)) {
      if (typeof v !== "string" && typeof v !== "number" && typeof v !== "boolean") continue;
      const value = String(v);
      const row = LINKED_ROW.exec(key);
      if (FIXED_INPUTS.has(key)) values[key] = value;
      else if (row) {
        const n = Number(row[2]);
        if (n > LIMITS.linkedPupilsMax) continue;
        const r = rows.get(n) ?? rows.set(n, {}).get(n)!;
        if (row[1] === "Pupil") r.pupil = value.trim();
        else r.part = value;
      } else if (key.startsWith(SUB_CATEGORY_PREFIX)) {
        const categoryId = key.slice(SUB_CATEGORY_PREFIX.length);
        if (!known.has(categoryId)) return refuse(ctx);
        inputsOf(categoryId).subCategories = value;
        values[subCategoryInput(categoryId)] = value;
      } else if (key.startsWith(CATEGORY_FIELD_PREFIX)) {
        const rest = key.slice(CATEGORY_FIELD_PREFIX.length);
        const dot = rest.indexOf(".");
        const [categoryId, fieldId] = dot < 0 ? [rest, ""] : [rest.slice(0, dot), rest.slice(dot + 1)];
        if (!known.has(categoryId)) return refuse(ctx);
        // A category the person has since un-chosen is never read, so its leftovers are only dropped.
        if (!chosen.has(categoryId)) continue;
        if (!known.get(categoryId)!.has(fieldId)) return refuse(ctx);
        inputsOf(categoryId).fields.set(fieldId, value);
        values[categoryFieldInput(categoryId, fieldId)] = value;
      }
    }
    // Rows 1, 3 become 1, 2, so that the service's n-th linked pupil is the card's row n.
    [...rows.entries()]
      .filter(([, r]) => r.pupil)
      .sort(([a], [b]) => a - b)
      .forEach(([, r], i) => {
        values[linkedPupilField(i + 1)] = r.pupil!;
        if (r.part !== undefined) values[linkedPartField(i + 1)] = r.part;
      });
    const origin = raw.originMessage === undefined ? undefined : originMessageSchema.safeParse(raw.originMessage);
    return {
      submissionId: typeof raw.submissionId === "string" ? raw.submissionId : undefined,
      verb: typeof raw.verb === "string" ? raw.verb : undefined,
      values,
      categories: byCategory,
      originMessage: origin?.success ? origin.data : undefined,
    };
  });

/** The key itself is not echoed in the message: it came from outside. */
function refuse(ctx: z.RefinementCtx): never {
  ctx.addIssue({ code: "custom", message: UNKNOWN_CATEGORY_MESSAGE, path: ["form"] });
  return z.NEVER;
}

/** Parses card data (see concernCardSchema); throws a validation_failed KeepsafeError naming the problem. */
export const parseConcernCard = (data: unknown, categories: FormOptions["categories"]): ConcernCard =>
  parseCardData(concernCardSchema(categories), data);

/** Throws a validation_failed KeepsafeError with field problems; returns the service's input otherwise. */
export function toRecordIncidentInput(
  data: unknown,
  timeZone: string,
  source: RecordIncidentInput["source"],
  /** The school's categories: card data naming any other is refused. */
  categories: FormOptions["categories"] = [],
  role?: Role,
): RecordIncidentInput {
  return recordIncidentInputFrom(parseConcernCard(data, categories), timeZone, source, categories, role);
}

/** The service's input from parsed card data; throws a validation_failed KeepsafeError with field problems. */
export function recordIncidentInputFrom(
  concern: ConcernCard,
  timeZone: string,
  source: RecordIncidentInput["source"],
  categories: FormOptions["categories"],
  /** Who is filling it in, when known: a DSL's stale told-a-DSL answer is not sent. */
  role?: Role,
): RecordIncidentInput {
  const card = concernCardDataSchema.safeParse({ ...concern.values, submissionId: concern.submissionId });
  if (!card.success) throw ValidationError(fieldProblemsFrom(card.error));
  const command = recordCommandFrom(cardAnswers(concern, card.data), { categories, timeZone, role, source });
  const problems: FieldProblem[] = [];
  if (!command.occurredAt) problems.push({ field: "occurredAt", message: "Give the date and time it happened." });
  const parsed = recordIncidentInputSchema.safeParse(command);
  if (!parsed.success) {
    // The date problem is already reported in words that fit the two inputs.
    problems.push(...fieldProblemsFrom(parsed.error).filter((p) => !(p.field === "occurredAt" && !command.occurredAt)));
  }
  if (problems.length || !parsed.success) throw ValidationError(problems);
  return parsed.data;
}

/** The card's inputs as the form's answers: rows in order, each category's own inputs under its id. */
function cardAnswers(concern: ConcernCard, d: z.infer<typeof concernCardDataSchema>): ConcernAnswers {
  const { values } = concern;
  const linkedPupils = [];
  for (let row = 1; values[linkedPupilField(row)]; row++)
    linkedPupils.push({ pupilId: values[linkedPupilField(row)], part: values[linkedPartField(row)] });
  const perCategory = [...concern.categories.values()].flatMap((c) => splitList(c.subCategories ?? ""));
  return {
    ...d,
    subCategoryIds: [...d.subCategoryIds, ...perCategory],
    categoryFields: new Map([...concern.categories].map(([id, c]) => [id, c.fields])),
    linkedPupils,
    disclosure: d[F.disclosure],
    allegation: d[F.allegation],
  };
}

const splitList = (s: string) =>
  s
    .split(",")
    .map((x) => x.trim())
    .filter(Boolean);
