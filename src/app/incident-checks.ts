/**
 * The concern form checked against the school: its pupils, staff, categories and their own
 * fields, and the rules about who may allocate or close what. Each problem names the form input
 * it belongs to (see concern-fields.ts), so the card and the tab show it beside that input.
 */
import type { Actor } from "../domain/actor.js";
import type { Category } from "../domain/categories.js";
import type { FieldProblem } from "../domain/errors.js";
import type { CategoryFieldValues } from "../domain/incident.js";
import { LIMITS } from "../domain/limits.js";
import { canAllocateCategory, canBeAssigned, mayCloseAtSubmit, mustAskToldDsl as mustAskToldDslOnForm } from "../domain/policy/index.js";
import type { Pupil, School, StaffMember } from "../domain/school.js";
import { dateIn } from "../domain/school-clock.js";
import { CONCERN_FIELDS, categoryFieldInput, linkedPupilField } from "./concern-fields.js";

/** A time a few minutes ahead is clock drift between devices, not a date in the future. */
const FUTURE_TOLERANCE_MS = 5 * 60 * 1000;

export interface CheckableInput {
  pupilId: string;
  categoryIds: string[];
  subCategoryIds: string[];
  categoryFields: CategoryFieldValues;
  occurredAt: string;
  location?: string;
  alertStaffIds: string[];
  alertGroupIds: string[];
  linkedPupils: { pupilId: string }[];
  disclosure: boolean;
  toldDslInPerson?: "yes" | "not-yet";
  allegationAgainstStaff?: { staffIds: string[] };
  status: "active" | "closed";
  assignedToStaffId?: string;
  plannerReminder?: { date: string };
}

export interface SchoolFacts {
  school: School;
  staff: StaffMember[];
  /** The subject and each linked pupil as found in the school's list (undefined when not found). */
  pupils: Map<string, Pupil | undefined>;
  now: Date;
}

/** Non-DSLs raising a disclosure or a protected category are asked whether they told a DSL in person (policy). */
export const mustAskToldDsl = (actor: Actor, school: School, input: Pick<CheckableInput, "disclosure" | "categoryIds">) =>
  mustAskToldDslOnForm(actor, school.categories, input);

export function checkAgainstSchool(input: CheckableInput, actor: Actor, facts: SchoolFacts): FieldProblem[] {
  const { school, staff, now } = facts;
  const problems: FieldProblem[] = [];
  const subject = facts.pupils.get(input.pupilId);
  if (!subject || subject.archived) problems.push({ field: "pupilId", message: "Choose a pupil from the school's list." });
  problems.push(...linkedPupilProblems(input, facts.pupils));
  problems.push(...categoryProblems(input, actor, school));
  const occurred = new Date(input.occurredAt).getTime();
  if (occurred > now.getTime() + FUTURE_TOLERANCE_MS) problems.push({ field: "occurredAt", message: "The date and time cannot be in the future." });
  if (input.location && !school.locations.includes(input.location))
    problems.push({ field: "location", message: "Choose a location from the school's list." });
  const active = new Map(staff.filter((s) => s.active).map((s) => [s.id, s]));
  if (input.alertStaffIds.some((s) => !active.has(s)))
    problems.push({ field: "alertStaffIds", message: "One of the people to alert is not on the school's staff list." });
  if (input.alertGroupIds.some((g) => !school.alertGroups.some((x) => x.id === g)))
    problems.push({ field: "alertGroupIds", message: "One of the alert groups is not set up for this school." });
  const named = input.allegationAgainstStaff?.staffIds ?? [];
  if (named.some((s) => !active.has(s)))
    problems.push({ field: CONCERN_FIELDS.allegationStaffIds, message: "Choose the adult from the school's staff list." });
  if (mustAskToldDsl(actor, school, input) && !input.toldDslInPerson)
    problems.push({ field: CONCERN_FIELDS.toldDslInPerson, message: "Say whether you have told a DSL in person. If not, do it now." });
  if (input.status === "closed" && !mayCloseAtSubmit(actor, school.categories, { ...input, allegationStaffIds: named }))
    problems.push({ field: CONCERN_FIELDS.status, message: "Only a DSL can close a safeguarding concern or an allegation. Leave it active." });
  if (input.assignedToStaffId) {
    const assignee = active.get(input.assignedToStaffId);
    if (!assignee || !canBeAssigned(assignee))
      problems.push({ field: CONCERN_FIELDS.assignedToStaffId, message: "Assign it to a DSL, deputy DSL or member of SLT on the staff list." });
    else if (named.includes(assignee.id))
      problems.push({ field: CONCERN_FIELDS.assignedToStaffId, message: "Do not assign it to an adult the allegation is about." });
  }
  if (input.plannerReminder && input.plannerReminder.date < dateIn(now, school.timeZone))
    problems.push({ field: CONCERN_FIELDS.plannerDate, message: "The reminder date cannot be in the past." });
  return problems;
}

function linkedPupilProblems(input: CheckableInput, pupils: Map<string, Pupil | undefined>): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const seen = new Set<string>();
  input.linkedPupils.forEach((link, i) => {
    const field = linkedPupilField(i + 1);
    const pupil = pupils.get(link.pupilId);
    if (link.pupilId === input.pupilId) problems.push({ field, message: "This is the pupil the concern is about; link other pupils here." });
    else if (seen.has(link.pupilId)) problems.push({ field, message: "This pupil is already linked above." });
    else if (!pupil || pupil.archived) problems.push({ field, message: "Choose a linked pupil from the school's list." });
    seen.add(link.pupilId);
  });
  return problems;
}

function categoryProblems(input: CheckableInput, actor: Actor, school: School): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const chosen: Category[] = [];
  for (const id of input.categoryIds) {
    const category = school.categories.find((c) => c.id === id);
    if (!category) problems.push({ field: "categoryIds", message: "One of the chosen categories is not in this school's list." });
    else if (!canAllocateCategory(actor, category))
      problems.push({
        field: "categoryIds",
        message: `Only a DSL can allocate ${category.name}. Choose another category; a DSL will re-tag it if needed.`,
      });
    else chosen.push(category);
  }
  const allowedSubs = new Set(chosen.flatMap((c) => c.subCategories.map((s) => s.id)));
  if (input.subCategoryIds.some((s) => !allowedSubs.has(s)))
    problems.push({ field: "subCategoryIds", message: "A sub-category does not belong to the chosen categories." });
  for (const [categoryId, values] of Object.entries(input.categoryFields)) {
    const category = chosen.find((c) => c.id === categoryId);
    for (const [fieldId, value] of Object.entries(values)) {
      const field = categoryFieldInput(categoryId, fieldId);
      const definition = category?.fields.find((f) => f.id === fieldId);
      if (!category) problems.push({ field, message: "This field belongs to a category that is not chosen." });
      else if (!definition) problems.push({ field, message: `This field is not on ${category.name}'s form.` });
      else if (definition.kind === "multi-select") {
        const options = definition.options ?? [];
        if (!Array.isArray(value) || value.some((v) => !options.includes(v)))
          problems.push({ field, message: `Choose ${definition.label.toLowerCase()} from the list given.` });
      } else if (typeof value !== "string") problems.push({ field, message: `${definition.label} should be written as text.` });
      else if (value.length > LIMITS.categoryTextMaxLength)
        problems.push({ field, message: `${definition.label} can be at most ${LIMITS.categoryTextMaxLength} characters.` });
    }
  }
  return problems;
}
