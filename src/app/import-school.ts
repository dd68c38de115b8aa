import { randomUUID } from "node:crypto";
/**
 * Import a school from its MIS export: pupils.csv and/or staff.csv. Every row of every file given
 * is checked first; if any row is bad nothing at all is written and a ValidationError lists each
 * problem as "line N: column: message", so a half-imported roll can never happen. Re-running the
 * same (or a newer) export updates in place: ids follow from the school and the UPN / object id,
 * and a pupil missing from a later file is kept (leavers are archived by a DSL, not by omission).
 */
import type { FieldProblem } from "../domain/errors.js";
import { ValidationError } from "../domain/errors.js";
import type { Pupil, School, StaffMember } from "../domain/school.js";
import { childLogger } from "../logger.js";
import { systemClock, type Clock } from "../ports/clock.js";
import type { SchoolStore } from "../ports/school-store.js";
import { parsePupilsCsv, parseStaffCsv, type ParsedStaff } from "./school-csv.js";
import { DEFAULT_TIME_ZONE, newSchool, withAlertGroupsFromStaff } from "./school-defaults.js";

const log = childLogger("import-school");

/** Rows per store call: small enough to show progress on a big roll, large enough to be quick. */
export const IMPORT_CHUNK_SIZE = 100;

export type ImportFile = "pupils" | "staff";

export interface ImportProgress {
  file: ImportFile;
  done: number;
  total: number;
}

export interface ImportInput {
  schoolId: string;
  /** Used when the import creates the school, or to rename it; defaults to the id. */
  schoolName?: string;
  pupilsCsv?: string;
  staffCsv?: string;
  onProgress?: (p: ImportProgress) => void;
}

export interface ImportCounts {
  total: number;
  created: number;
  updated: number;
}

export interface ImportReport {
  schoolId: string;
  schoolCreated: boolean;
  pupils?: ImportCounts;
  staff?: ImportCounts;
  /** Membership counts of the school's alert groups after the import. */
  alertGroups: { id: string; name: string; members: number }[];
}

export interface ImportDeps {
  schools: SchoolStore;
  clock?: Clock;
}

/** The school's own calendar date, because "born before today" is judged in the school's time zone. */
const todayIn = (timeZone: string, now: Date) =>
  new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).format(now);

/** `field` names the file and column ("pupils:date_of_birth"); the message keeps "line N: column: ...". */
const inFile = (file: ImportFile, problems: FieldProblem[]) => problems.map((p) => ({ field: `${file}:${p.field}`, message: p.message }));

export async function importSchool(deps: ImportDeps, input: ImportInput): Promise<ImportReport> {
  const clock = deps.clock ?? systemClock;
  const { schoolId } = input;
  if (!schoolId.trim()) throw ValidationError([{ field: "schoolId", message: "a school id is required" }]);
  if (input.pupilsCsv === undefined && input.staffCsv === undefined) {
    throw ValidationError([{ field: "file", message: "give a pupils file, a staff file or both" }]);
  }

  const existing = await deps.schools.getSchool(schoolId);
  const today = todayIn(existing?.timeZone ?? DEFAULT_TIME_ZONE, clock.now());

  const pupils = input.pupilsCsv !== undefined ? parsePupilsCsv(input.pupilsCsv, { schoolId, today }) : undefined;
  const staff = input.staffCsv !== undefined ? parseStaffCsv(input.staffCsv, { schoolId }) : undefined;
  const problems = [...inFile("pupils", pupils?.problems ?? []), ...inFile("staff", staff?.problems ?? [])];
  if (problems.length > 0) {
    log.warn({ schoolId, pupilProblems: pupils?.problems.length ?? 0, staffProblems: staff?.problems.length ?? 0 }, "import rejected");
    throw ValidationError(problems, describeRejection(pupils?.problems.length ?? 0, staff?.problems.length ?? 0));
  }

  const report: ImportReport = { schoolId, schoolCreated: !existing, alertGroups: [] };
  if (pupils) report.pupils = await writePupils(deps.schools, schoolId, pupils.pupils, input.onProgress);
  if (staff) report.staff = await writeStaff(deps.schools, schoolId, staff.staff, input.onProgress);

  // The school is saved last so a run that stops part-way leaves it absent (or unchanged) and a
  // re-run does the whole job, which is what ensureDemoSchool relies on.
  const school = { ...updatedSchool(existing, input, staff), rosterVersion: randomUUID() };
  await deps.schools.saveSchool(school);
  report.alertGroups = school.alertGroups.map((g) => ({ id: g.id, name: g.name, members: g.staffIds.length }));

  log.info({ schoolId, schoolCreated: report.schoolCreated, pupils: report.pupils, staff: report.staff }, "school imported");
  return report;
}

function describeRejection(pupilProblems: number, staffProblems: number): string {
  const parts: string[] = [];
  if (pupilProblems) parts.push(`the pupils file has ${pupilProblems} problem${pupilProblems === 1 ? "" : "s"}`);
  if (staffProblems) parts.push(`the staff file has ${staffProblems} problem${staffProblems === 1 ? "" : "s"}`);
  return `Nothing was imported: ${parts.join(" and ")}.`;
}

function updatedSchool(existing: School | undefined, input: ImportInput, staff: ParsedStaff | undefined): School {
  let school = existing ?? newSchool(input.schoolId, input.schoolName?.trim() || input.schoolId);
  if (existing && input.schoolName?.trim()) school = { ...school, name: input.schoolName.trim() };
  if (staff) school = withAlertGroupsFromStaff(school, staff.staff, staff.headTeacherIds);
  return school;
}

async function inChunks<T>(items: T[], write: (chunk: T[]) => Promise<void>, onDone: (done: number) => void): Promise<void> {
  onDone(0);
  for (let i = 0; i < items.length; i += IMPORT_CHUNK_SIZE) {
    await write(items.slice(i, i + IMPORT_CHUNK_SIZE));
    onDone(Math.min(i + IMPORT_CHUNK_SIZE, items.length));
  }
}

async function writePupils(schools: SchoolStore, schoolId: string, pupils: Pupil[], onProgress: ImportInput["onProgress"]): Promise<ImportCounts> {
  const known = new Set((await schools.listPupils(schoolId)).map((p) => p.id));
  const created = pupils.filter((p) => !known.has(p.id)).length;
  await inChunks(
    pupils,
    (chunk) => schools.upsertPupils(schoolId, chunk),
    (done) => onProgress?.({ file: "pupils", done, total: pupils.length }),
  );
  return { total: pupils.length, created, updated: pupils.length - created };
}

async function writeStaff(
  schools: SchoolStore,
  schoolId: string,
  staff: StaffMember[],
  onProgress: ImportInput["onProgress"],
): Promise<ImportCounts> {
  const known = new Set((await schools.listStaff(schoolId)).map((s) => s.id));
  const created = staff.filter((s) => !known.has(s.id)).length;
  await inChunks(
    staff,
    (chunk) => schools.upsertStaff(schoolId, chunk),
    (done) => onProgress?.({ file: "staff", done, total: staff.length }),
  );
  return { total: staff.length, created, updated: staff.length - created };
}
