/**
 * School setup: the parts of a school's configuration its DSL owns — categories with their
 * guidance, sub-categories and fields; locations; who the head teacher and the chair of governors
 * are (allegations about staff are routed to them); the time zone; extra alert groups; the terms
 * and closed days that school days are counted by (school-calendar-setup.ts); the referral agencies
 * and the types of document on a pupil's file.
 * Given as a whole JSON document (`keepsafe setup --file setup.json`), checked in full, and saved
 * only when every part is valid. Child Protection and Child in Need always stay DSL-only.
 */
import { z } from "zod";
import { slug, type Category } from "../domain/categories.js";
import { NotFoundError, ValidationError, type FieldProblem } from "../domain/errors.js";
import { LIMITS } from "../domain/limits.js";
import { PROTOTYPE_KEYS } from "../contract/requests.js";
import type { School } from "../domain/school.js";
import type { SchoolStore } from "../ports/school-store.js";
import { fieldProblemsFrom } from "./record-incident.js";
import { buildCalendar, calendarIssueProblems, calendarSchema, isCalendarIssue } from "./school-calendar-setup.js";

/** Categories the law and the schools' policies fix: they may be renamed or given guidance, never opened up or removed. */
const FIXED = {
  "child-protection": { protected: true, dslAllocatedOnly: true },
  "child-in-need": { protected: true, dslAllocatedOnly: true },
  safeguarding: { protected: true, dslAllocatedOnly: false },
} as const;

const text = (max: number) => z.string().trim().min(1).max(max);
/** Ids become keys (and "constructor", "prototype" pass the pattern), so a prototype's name is refused by name first. */
const notPrototypeName = (what: string) => (v: string, ctx: z.RefinementCtx) => {
  if (PROTOTYPE_KEYS.has(v)) ctx.addIssue({ code: "custom", message: `"${v}" cannot be used as ${what}: choose another.`, continue: false });
};
const idText = z
  .string()
  .trim()
  .superRefine(notPrototypeName("an id"))
  .regex(/^[a-z0-9][a-z0-9-]{0,59}$/, "Use lower-case letters, digits and dashes.");
const documentTypeText = z
  .string()
  .trim()
  .min(1, "Give the document type a name.")
  .max(80, "Keep a document type to 80 characters.")
  .superRefine(notPrototypeName("a document type"));

const categorySchema = z.object({
  id: idText.optional(),
  name: text(60),
  guidance: z.string().trim().max(1000).optional(),
  protected: z.boolean().default(false),
  dslAllocatedOnly: z.boolean().default(false),
  subCategories: z
    .array(z.object({ id: idText.optional(), name: text(80) }))
    .max(40)
    .default([]),
  fields: z
    .array(
      z.object({
        id: idText,
        label: text(80),
        kind: z.enum(["multi-select", "text"]),
        options: z.array(text(80)).max(30).optional(),
      }),
    )
    .max(6)
    .default([]),
});

export const schoolSetupSchema = z
  .object({
    name: text(120).optional(),
    timeZone: z
      .string()
      .trim()
      .refine((tz) => isTimeZone(tz), "Not a time zone (use a name such as Europe/London).")
      .optional(),
    locations: z.array(text(LIMITS.locationMaxLength)).min(1).max(60).optional(),
    headTeacherStaffId: z.string().trim().min(1).optional(),
    chairOfGovernorsStaffId: z.string().trim().min(1).optional(),
    categories: z.array(categorySchema).min(1).max(40).optional(),
    // Fractions allowed (0.5 is thirty seconds); at most a school day's lesson, so a screen is never left open all day.
    idleHideMinutes: z.number().min(0.1).max(120).optional(),
    tellRaiserWhenRead: z.boolean().optional(),
    reviewAfterDays: z.number().int().min(1).max(365).optional(),
    // Early warning (early-warning.ts): counts and windows, each rule given whole.
    earlyWarning: z
      .strictObject({
        anyWithinDays: z.int().min(1).max(365),
        anyCount: z.int().min(2).max(100),
        staffWithinDays: z.int().min(1).max(365),
        staffCount: z.int().min(2).max(100),
      })
      .optional(),
    alertGroups: z
      .array(z.object({ id: idText, name: text(60), staffIds: z.array(z.string().trim().min(1)).max(200) }))
      .max(20)
      .optional(),
    // The school's own referral agencies and expected response (school days): the whole list, replacing the last.
    referralAgencies: z
      .array(z.strictObject({ id: idText, name: text(80), responseDays: z.int("Give the expected response in whole school days.").min(0).max(200) }))
      .min(1)
      .max(30)
      .refine((list) => new Set(list.map((a) => a.id)).size === list.length, "An agency is listed twice.")
      .optional(),
    // The types of document on a pupil's file, the whole list replacing the last; entries keep the label they were stored with.
    documentTypes: z
      .array(documentTypeText)
      .min(1, "List at least one type of document.")
      .max(30, "List at most 30 types of document.")
      .superRefine((list, ctx) => {
        const seen = new Set<string>();
        for (const t of list) {
          if (seen.has(t.toLowerCase()))
            ctx.addIssue({ code: "custom", message: `"${t}" is listed twice (as a document type, case does not count).` });
          seen.add(t.toLowerCase());
        }
      })
      .optional(),
    // Terms and closed days, given whole; every due date and overdue alert counts school days by them.
    calendar: calendarSchema.optional(),
    // School days before a subject access deadline that the safeguarding team is first alerted.
    subjectAccessAlertDays: z.int("Give the days as a whole number of school days.").min(1).max(20).optional(),
  })
  .strict();
export type SchoolSetupInput = z.input<typeof schoolSetupSchema>;

function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat("en-GB", { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

export async function applySchoolSetup(deps: { schools: SchoolStore }, schoolId: string, raw: unknown): Promise<School> {
  const parsed = schoolSetupSchema.safeParse(raw);
  if (!parsed.success) {
    const [calendarIssues, others] = [parsed.error.issues.filter(isCalendarIssue), parsed.error.issues.filter((i) => !isCalendarIssue(i))];
    const found = [...fieldProblemsFrom(new z.ZodError(others)), ...calendarIssueProblems(calendarIssues)];
    throw ValidationError(found, "Nothing was changed: the setup file has problems.");
  }
  const input = parsed.data;
  const school = await deps.schools.getSchool(schoolId);
  if (!school) throw NotFoundError("The school");
  const staff = new Set((await deps.schools.listStaff(schoolId)).filter((s) => s.active).map((s) => s.id));
  const problems: FieldProblem[] = [];

  for (const [field, id] of [
    ["headTeacherStaffId", input.headTeacherStaffId],
    ["chairOfGovernorsStaffId", input.chairOfGovernorsStaffId],
  ] as const) {
    if (id && !staff.has(id)) problems.push({ field, message: "Not an active member of this school's staff list (import them first)." });
  }
  for (const group of input.alertGroups ?? []) {
    if (group.staffIds.some((id) => !staff.has(id)))
      problems.push({ field: `alertGroups.${group.id}`, message: "Names someone not on the staff list." });
  }
  if (new Set(input.locations ?? []).size !== (input.locations ?? []).length)
    problems.push({ field: "locations", message: "A location is listed twice." });

  const categories = input.categories ? buildCategories(input.categories, problems) : school.categories;
  const calendar = input.calendar ? buildCalendar(input.calendar, problems) : school.calendar;
  if (problems.length) throw ValidationError(problems, "Nothing was changed: the setup file has problems.");

  const updated: School = {
    ...school,
    ...(input.name ? { name: input.name } : {}),
    ...(input.timeZone ? { timeZone: input.timeZone } : {}),
    ...(input.locations ? { locations: input.locations } : {}),
    ...(input.headTeacherStaffId ? { headTeacherStaffId: input.headTeacherStaffId } : {}),
    ...(input.chairOfGovernorsStaffId ? { chairOfGovernorsStaffId: input.chairOfGovernorsStaffId } : {}),
    ...(input.idleHideMinutes !== undefined ? { idleHideMinutes: input.idleHideMinutes } : {}),
    ...(input.tellRaiserWhenRead !== undefined ? { tellRaiserWhenRead: input.tellRaiserWhenRead } : {}),
    ...(input.reviewAfterDays !== undefined ? { reviewAfterDays: input.reviewAfterDays } : {}),
    ...(input.referralAgencies ? { referralAgencies: input.referralAgencies } : {}),
    ...(input.documentTypes ? { documentTypes: input.documentTypes } : {}),
    ...(input.earlyWarning ? { earlyWarning: { ...input.earlyWarning } } : {}),
    ...(calendar ? { calendar } : {}),
    ...(input.subjectAccessAlertDays !== undefined ? { subjectAccessAlertDays: input.subjectAccessAlertDays } : {}),
    categories,
    alertGroups: mergeGroups(school, input.alertGroups ?? []),
  };
  await deps.schools.saveSchool(updated);
  return updated;
}

function buildCategories(given: z.output<typeof categorySchema>[], problems: FieldProblem[]): Category[] {
  const out: Category[] = given.map((c) => ({
    id: c.id ?? slug(c.name),
    name: c.name,
    guidance: c.guidance || undefined,
    protected: c.protected,
    dslAllocatedOnly: c.dslAllocatedOnly,
    subCategories: c.subCategories.map((s) => ({ id: s.id ?? slug(s.name), name: s.name })),
    fields: c.fields.map((f) => ({ ...f })),
  }));
  const ids = out.map((c) => c.id);
  for (const id of ids.filter((id, i) => ids.indexOf(id) !== i))
    problems.push({ field: `categories.${id}`, message: "Two categories have the same id." });
  for (const [id, rule] of Object.entries(FIXED)) {
    const category = out.find((c) => c.id === id);
    if (!category) problems.push({ field: `categories.${id}`, message: "This category cannot be removed." });
    else if (category.protected !== rule.protected || (rule.dslAllocatedOnly && !category.dslAllocatedOnly))
      problems.push({
        field: `categories.${id}`,
        message: "This category must stay protected and, for child protection and child in need, DSL-only.",
      });
  }
  for (const c of out) {
    const subIds = c.subCategories.map((s) => s.id);
    if (new Set(subIds).size !== subIds.length) problems.push({ field: `categories.${c.id}`, message: "Two sub-categories have the same id." });
    for (const f of c.fields) {
      if (f.kind === "multi-select" && !(f.options && f.options.length > 0))
        problems.push({ field: `categories.${c.id}.${f.id}`, message: "A multi-select field needs its options." });
    }
  }
  return out;
}

/** The staff file rebuilds the standard groups; the school's own groups are set here and kept. */
function mergeGroups(school: School, groups: { id: string; name: string; staffIds: string[] }[]) {
  const byId = new Map(school.alertGroups.map((g) => [g.id, g]));
  for (const g of groups) byId.set(g.id, { id: g.id, name: g.name, staffIds: [...new Set(g.staffIds)] });
  return [...byId.values()];
}
