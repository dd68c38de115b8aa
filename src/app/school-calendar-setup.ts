/**
 * The calendar part of school setup: the school's terms and the days inside them it is closed,
 * given whole (the list replaces the last). The schema checks each date; `calendarProblems`
 * checks them against each other (a term ending before it starts, terms overlapping, closed days
 * outside every term), naming the field and the term, so a DSL can find the line to fix.
 */
import { z } from "zod";
import type { FieldProblem } from "../domain/errors.js";
import { NON_SCHOOL_DAY_KINDS, type SchoolCalendar } from "../domain/school-calendar.js";
import { isCalendarDate } from "../domain/school-clock.js";

const day = z.string().trim().refine(isCalendarDate, "Give a real date as YYYY-MM-DD.");
const name = z.string().trim().min(1).max(60);

export const calendarSchema = z.strictObject({
  terms: z.array(z.strictObject({ name, firstDay: day, lastDay: day })).max(60),
  nonSchoolDays: z
    .array(
      z.strictObject({
        name,
        kind: z.enum(NON_SCHOOL_DAY_KINDS),
        firstDay: day,
        // A single day (a bank holiday, an INSET day) needs only its first.
        lastDay: day.optional(),
      }),
    )
    .max(400)
    .default([]),
});
export type CalendarInput = z.output<typeof calendarSchema>;

const showRange = (r: { firstDay: string; lastDay: string }) => `${r.firstDay} to ${r.lastDay}`;

/** The calendar as saved (terms in date order), or the problems that stop it being saved. */
export function buildCalendar(input: CalendarInput, problems: FieldProblem[]): SchoolCalendar {
  const terms = input.terms.map((t, i) => ({ ...t, at: `calendar.terms.${i}` }));
  for (const t of terms)
    if (t.lastDay < t.firstDay)
      problems.push({ field: `${t.at}.lastDay`, message: `${t.name} ends (${t.lastDay}) before it starts (${t.firstDay}).` });
  const ordered = [...terms].sort((a, b) => a.firstDay.localeCompare(b.firstDay));
  for (let i = 1; i < ordered.length; i++) {
    const [before, after] = [ordered[i - 1]!, ordered[i]!];
    if (after.firstDay <= before.lastDay)
      problems.push({ field: `${after.at}.firstDay`, message: `${after.name} starts before ${before.name} (${showRange(before)}) ends.` });
  }
  const closed = input.nonSchoolDays.map((n, i) => ({ ...n, lastDay: n.lastDay ?? n.firstDay, at: `calendar.nonSchoolDays.${i}` }));
  for (const n of closed) {
    if (n.lastDay < n.firstDay)
      problems.push({ field: `${n.at}.lastDay`, message: `${n.name} ends (${n.lastDay}) before it starts (${n.firstDay}).` });
    else if (!terms.some((t) => t.firstDay <= n.firstDay && n.lastDay <= t.lastDay))
      problems.push({
        field: n.at,
        message: `${n.name} (${showRange(n)}) is not inside any one term: list only the days a term is closed.`,
      });
  }
  return {
    terms: ordered.map(({ name, firstDay, lastDay }) => ({ name, firstDay, lastDay })),
    nonSchoolDays: closed
      .map(({ name, kind, firstDay, lastDay }) => ({ name, kind, firstDay, lastDay }))
      .sort((a, b) => a.firstDay.localeCompare(b.firstDay)),
  };
}

export const isCalendarIssue = (issue: z.core.$ZodIssue) => issue.path[0] === "calendar";

/** Issues under `calendar` name their whole path (calendar.terms.2.lastDay), so the DSL finds the line. */
export const calendarIssueProblems = (issues: z.core.$ZodIssue[]): FieldProblem[] =>
  issues.flatMap((i) => {
    const at = i.path.map(String).join(".");
    return i.code === "unrecognized_keys"
      ? i.keys.map((key) => ({ field: `${at}.${key}`, message: "This is not part of a school calendar." }))
      : [{ field: at, message: i.message }];
  });
