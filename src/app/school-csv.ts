/**
 * The two MIS export files a school imports: pupils.csv and staff.csv. Each row is checked with a
 * zod schema; every bad row is collected (not just the first) so the school can fix the file in
 * one go. Messages name the line and column only, never the value, because values are personal data.
 */
import { z } from "zod";
import type { FieldProblem } from "../domain/errors.js";
import { pupilIdFor } from "../domain/identifiers.js";
import { ROLES } from "../domain/roles.js";
import type { ScopeEntry } from "../domain/staff-scope.js";
import { scopeNarrowsRole } from "../domain/policy/index.js";
import { PUPIL_FLAGS, type Pupil, type PupilFlag, type StaffMember } from "../domain/school.js";
import { problemAt, readCsv, type CsvRow } from "./csv-rows.js";

export const PUPIL_COLUMNS = ["upn", "forename", "surname", "preferred_name", "date_of_birth", "year_group", "class", "flags"] as const;
export const STAFF_COLUMNS = ["aad_object_id", "display_name", "email", "role"] as const;
/** Optional staff column: "yes" marks the head teacher, who makes up the Head of School alert group. */
export const HEAD_TEACHER_COLUMN = "head_teacher";

// A UPN is a check letter then 12 characters: 11 digits and a digit (permanent) or a letter (temporary).
const UPN_PATTERN = /^[A-Z]\d{11}[0-9A-Z]$/;
const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

const name = (max: number) => z.string().min(1, "is required").max(max, `is longer than ${max} characters`);

function isRealDate(value: string): boolean {
  const m = DATE_PATTERN.exec(value);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
}

const pupilRowSchema = (today: string) =>
  z.object({
    upn: z
      .string()
      .transform((s) => s.toUpperCase())
      .pipe(z.string().min(1, "is required").regex(UPN_PATTERN, "must be 13 characters: a letter then 12 digits")),
    forename: name(100),
    surname: name(100),
    preferred_name: z.string().max(100, "is longer than 100 characters").optional().default(""),
    date_of_birth: z
      .string()
      .min(1, "is required")
      .refine((s) => DATE_PATTERN.test(s), "must be a date written YYYY-MM-DD")
      .refine((s) => !DATE_PATTERN.test(s) || isRealDate(s), "is not a real date")
      .refine((s) => !isRealDate(s) || s < today, "must be in the past"),
    year_group: name(40),
    class: z.string().max(40, "is longer than 40 characters").optional().default(""),
    flags: z
      .string()
      .optional()
      .default("")
      .transform((s) => [
        ...new Set(
          s
            .split(";")
            .map((f) => f.trim().toUpperCase())
            .filter(Boolean),
        ),
      ])
      .refine((fs) => fs.every((f) => (PUPIL_FLAGS as readonly string[]).includes(f)), {
        message: `may only contain ${PUPIL_FLAGS.join(", ")} separated by semicolons`,
      })
      .transform((fs) => fs as PupilFlag[]),
  });

const truthy = new Set(["yes", "y", "true", "1", "x"]);

/** Optional staff column: the year groups or classes a head of year holds their role for ("year:9;class:9R"). */
export const SCOPE_COLUMN = "scope";
const SCOPE_PART = /^(year|class):(.+)$/i;

/** "year:9;year:10" into entries; every part must be year:<year group> or class:<class>, at most 20. */
const scopeSchema = z
  .string()
  .optional()
  .transform((s, ctx): ScopeEntry[] => {
    const parts = (s ?? "")
      .split(";")
      .map((p) => p.trim())
      .filter(Boolean);
    if (parts.length > 20) ctx.addIssue({ code: "custom", message: "may hold at most 20 year groups or classes" });
    const entries: ScopeEntry[] = [];
    for (const part of parts) {
      const m = SCOPE_PART.exec(part);
      const value = m?.[2].trim() ?? "";
      if (!m || !value || value.length > 40)
        ctx.addIssue({
          code: "custom",
          message: "must be year:<year group> or class:<class> (at most 40 characters each), separated by semicolons, e.g. year:9;class:9R",
        });
      else entries.push({ kind: m[1].toLowerCase() as ScopeEntry["kind"], value });
    }
    return entries;
  });

const staffRowSchema = z
  .object({
    aad_object_id: z
      .string()
      .transform((s) => s.replace(/^\{|\}$/g, "").toLowerCase())
      .pipe(z.guid("must be the Entra object id, a GUID such as 0b6f3c2e-8d1a-4f7e-9c55-3a2b1d0e9f11")),
    display_name: name(200),
    email: z.email("must be an email address"),
    role: z
      .string()
      .transform((s) => s.toUpperCase())
      .pipe(z.enum(ROLES, `must be one of ${ROLES.join(", ")}`)),
    [HEAD_TEACHER_COLUMN]: z
      .string()
      .optional()
      .transform((s) => truthy.has((s ?? "").toLowerCase())),
    [SCOPE_COLUMN]: scopeSchema,
  })
  .superRefine((row, ctx) => {
    // A scope narrows a senior leader; the safeguarding team sees everything and staff only their own records.
    if (row.scope.length && !scopeNarrowsRole(row.role))
      ctx.addIssue({
        code: "custom",
        path: [SCOPE_COLUMN],
        message: "applies only to the role SLT (a head of year or phase leader holds SLT for their scope); leave it empty for DSL, DDSL and STAFF",
      });
  });

/** Runs a row schema over every row, turning zod issues into "line N: column: message" problems. */
function validateRows<T>(rows: CsvRow[], schema: z.ZodType<T>): { ok: { line: number; value: T }[]; problems: FieldProblem[] } {
  const ok: { line: number; value: T }[] = [];
  const problems: FieldProblem[] = [];
  for (const row of rows) {
    const result = schema.safeParse(row.values);
    if (result.success) {
      ok.push({ line: row.line, value: result.data });
      continue;
    }
    // One message per column is enough to fix it (an empty UPN need not also be "not 13 characters").
    const reported = new Set<string>();
    for (const issue of result.error.issues) {
      const column = String(issue.path[0] ?? "row");
      if (reported.has(column)) continue;
      reported.add(column);
      problems.push(problemAt(row.line, column, issue.message));
    }
  }
  return { ok, problems };
}

/** Reports every line after the first that repeats a key (UPN or object id), valid row or not. */
function duplicates(rows: CsvRow[], column: string, normalise: (raw: string) => string): FieldProblem[] {
  const firstSeen = new Map<string, number>();
  const problems: FieldProblem[] = [];
  for (const { line, values } of rows) {
    const key = normalise(values[column] ?? "");
    if (!key) continue;
    const first = firstSeen.get(key);
    if (first === undefined) firstSeen.set(key, line);
    else problems.push(problemAt(line, column, `repeats the value on line ${first}`));
  }
  return problems;
}

const byLine = (a: FieldProblem, b: FieldProblem) => lineOf(a) - lineOf(b);
const lineOf = (p: FieldProblem) => Number(/^line (\d+)/.exec(p.message)?.[1] ?? 0);

export interface ParsedPupils {
  pupils: Pupil[];
  problems: FieldProblem[];
}

/** `today` is the school's current date (YYYY-MM-DD); a date of birth must be before it. */
export function parsePupilsCsv(text: string, opts: { schoolId: string; today: string }): ParsedPupils {
  const read = readCsv(
    text,
    PUPIL_COLUMNS.filter((c) => c !== "preferred_name" && c !== "flags" && c !== "class"),
  );
  const { ok, problems } = validateRows(read.rows, pupilRowSchema(opts.today));
  problems.push(...read.problems, ...duplicates(read.rows, "upn", (s) => s.toUpperCase()));
  const pupils: Pupil[] = ok.map(({ value: v }) => ({
    // Derived from school + UPN, so a re-import updates the pupil instead of adding a twin.
    id: pupilIdFor(opts.schoolId, v.upn),
    schoolId: opts.schoolId,
    upn: v.upn,
    forename: v.forename,
    surname: v.surname,
    ...(v.preferred_name ? { preferredName: v.preferred_name } : {}),
    dateOfBirth: v.date_of_birth,
    yearGroup: v.year_group,
    className: v.class,
    flags: v.flags,
    archived: false,
  }));
  return { pupils, problems: problems.sort(byLine) };
}

export interface ParsedStaff {
  staff: StaffMember[];
  /** Staff marked in the optional head_teacher column; undefined when the file has no such column. */
  headTeacherIds?: string[];
  problems: FieldProblem[];
}

export function parseStaffCsv(text: string, opts: { schoolId: string }): ParsedStaff {
  const read = readCsv(text, STAFF_COLUMNS);
  const { ok, problems } = validateRows(read.rows, staffRowSchema);
  problems.push(...read.problems, ...duplicates(read.rows, "aad_object_id", (s) => s.replace(/^\{|\}$/g, "").toLowerCase()));
  const staff: StaffMember[] = ok.map(({ value: v }) => ({
    id: v.aad_object_id,
    schoolId: opts.schoolId,
    displayName: v.display_name,
    email: v.email,
    role: v.role,
    ...(v.scope.length ? { scope: v.scope } : {}),
    active: true,
  }));
  const hasHeadColumn = read.header.includes(HEAD_TEACHER_COLUMN);
  const headTeacherIds = hasHeadColumn ? ok.filter((r) => r.value[HEAD_TEACHER_COLUMN]).map((r) => r.value.aad_object_id) : undefined;
  return { staff, headTeacherIds, problems: problems.sort(byLine) };
}
