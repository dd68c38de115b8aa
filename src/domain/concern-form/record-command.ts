/**
 * The one mapping from the concern form's answers to the record command (what
 * src/contract/requests.ts recordIncidentInputSchema then checks, and src/app/record-incident.ts
 * records). The card (bot/concern-input.ts) and the tab (tab/src/concern-form.ts) each gather
 * their answers and call this, so the same answers make the same command whichever door they
 * came through.
 */
import { mustAskToldDsl } from "../policy/form.js";
import type { Role } from "../roles.js";
import { wallClockToIso } from "../wall-clock.js";
import type { CategoryField } from "../categories.js";

/** The form's answers as plain data; lists may still be the card's "a,b" strings where a field is multi-select. */
export interface ConcernAnswers {
  submissionId: string;
  pupilId: string;
  categoryIds: readonly string[];
  subCategoryIds: readonly string[];
  /** Category id -> field id -> the answer; read only for the school's own chosen categories and fields. */
  categoryFields: ReadonlyMap<string, ReadonlyMap<string, string | readonly string[]>>;
  occurredDate: string;
  occurredTime: string;
  session?: string;
  location?: string;
  account: string;
  /** Filled rows in order; a row with no pupil is not a linked pupil. */
  linkedPupils: readonly { pupilId: string; part?: string }[];
  disclosure: boolean;
  toldDslInPerson?: string;
  allegation: boolean;
  allegationStaffIds: readonly string[];
  status?: string;
  assignedToStaffId?: string;
  agencyInvolved?: string;
  plannerDate?: string;
  plannerTime?: string;
  plannerNote?: string;
  alertStaffIds: readonly string[];
  alertGroupIds: readonly string[];
}

/** The school's categories as the form knows them. */
export type FormCategory = { id: string; protected?: boolean; subCategories: readonly { id: string }[]; fields?: readonly CategoryField[] };

export interface RecordCommandContext {
  categories: readonly FormCategory[];
  timeZone: string;
  /** Who is filling it in: a DSL is never asked whether they told a DSL, so no answer of theirs is sent. */
  role?: Role;
  source: "bot" | "message-extension" | "tab";
}

/** The record command, not yet checked: the server's schema says what is wrong, beside each field. */
export interface RecordConcernCommand {
  submissionId: string;
  source: RecordCommandContext["source"];
  pupilId: string;
  linkedPupils: { pupilId: string; part: string }[];
  categoryIds: string[];
  subCategoryIds: string[];
  categoryFields: Record<string, Record<string, string | string[]>>;
  /** "" when the date and time are not a real moment in the school's zone (the schema names it). */
  occurredAt: string;
  session?: string;
  location?: string;
  account: string;
  disclosure: boolean;
  toldDslInPerson?: string;
  allegationAgainstStaff?: { staffIds: string[] };
  status: string;
  assignedToStaffId?: string;
  agencyInvolved?: string;
  plannerReminder?: { date: string; time: string; note: string };
  alertStaffIds: string[];
  alertGroupIds: string[];
}

const present = (s: string | undefined) => (s && s.trim() ? s : undefined);
const splitList = (s: string) =>
  s
    .split(",")
    .map((x) => x.trim())
    .filter(Boolean);
/** A fresh object with no prototype: a key can only ever be an own property. */
const emptyRecord = <T>(): Record<string, T> => Object.create(null) as Record<string, T>;

export function recordCommandFrom(answers: ConcernAnswers, context: RecordCommandContext): RecordConcernCommand {
  const chosen = context.categories.filter((c) => answers.categoryIds.includes(c.id));
  // Sub-categories and fields of a category the person has since un-chosen are left out.
  const subs = new Set(chosen.flatMap((c) => c.subCategories.map((s) => s.id)));
  const asked = mustAskToldDsl(context.role && { role: context.role }, context.categories, answers);
  const note = answers.plannerNote?.trim() ?? "";
  const reminder = present(answers.plannerDate) || present(answers.plannerTime) || note;
  const optional = <K extends string>(key: K, value: string | undefined) => (present(value) ? ({ [key]: value } as Record<K, string>) : {});
  return {
    submissionId: answers.submissionId,
    source: context.source,
    pupilId: answers.pupilId,
    linkedPupils: answers.linkedPupils.filter((l) => l.pupilId).map((l) => ({ pupilId: l.pupilId, part: l.part ?? "" })),
    categoryIds: [...answers.categoryIds],
    subCategoryIds: [...new Set(answers.subCategoryIds)].filter((s) => subs.has(s)),
    categoryFields: categoryFieldsFrom(answers, chosen),
    occurredAt: wallClockToIso(answers.occurredDate, answers.occurredTime, context.timeZone) ?? "",
    ...optional("session", answers.session),
    ...optional("location", answers.location),
    account: answers.account,
    disclosure: answers.disclosure,
    ...(asked ? optional("toldDslInPerson", answers.toldDslInPerson) : {}),
    ...(answers.allegation ? { allegationAgainstStaff: { staffIds: [...answers.allegationStaffIds] } } : {}),
    status: present(answers.status) ?? "active",
    ...optional("assignedToStaffId", answers.assignedToStaffId),
    ...optional("agencyInvolved", answers.agencyInvolved),
    ...(reminder ? { plannerReminder: { date: answers.plannerDate ?? "", time: answers.plannerTime ?? "", note } } : {}),
    alertStaffIds: [...answers.alertStaffIds],
    alertGroupIds: [...answers.alertGroupIds],
  };
}

/** Walks the school's own categories and fields (never the answers' keys), splitting a card's multi-select "a,b". */
function categoryFieldsFrom(answers: ConcernAnswers, chosen: readonly FormCategory[]) {
  const out = emptyRecord<Record<string, string | string[]>>();
  for (const category of chosen) {
    const given = answers.categoryFields.get(category.id);
    if (!given) continue;
    const values = emptyRecord<string | string[]>();
    for (const field of category.fields ?? []) {
      const value = given.get(field.id);
      if (value === undefined) continue;
      values[field.id] = field.kind === "multi-select" ? (typeof value === "string" ? splitList(value) : [...value]) : String(value);
    }
    if (Object.keys(values).length) out[category.id] = values;
  }
  return out;
}
