/**
 * The keepsafe command line: import a school's MIS export, and set up the school.
 *   keepsafe import --pupils pupils.csv --staff staff.csv [--school <id>] [--name "School name"]
 *   keepsafe setup --file setup.json [--school <id>]
 * Output is for a person at a terminal: progress on stderr, a summary on stdout, and on a bad file
 * every problem by line and column (never the row's content) and exit code 1.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import type { ImportProgress, ImportReport } from "../app/import-school.js";
import type { SchoolAdministration } from "../app/school-administration.js";
import { isKeepsafeError } from "../domain/errors.js";
import { documentTypesOf, referralAgenciesOf } from "../domain/case-entries.js";
import { openSchoolAdministration } from "../compose.js";

const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
/** Progress is printed every this many rows, and only for files at least this long. */
const PROGRESS_EVERY = 500;

export interface CliIo {
  out: (line: string) => void;
  err: (line: string) => void;
  env: NodeJS.ProcessEnv;
  cwd: string;
}

const defaultIo = (): CliIo => ({
  out: (l) => process.stdout.write(`${l}\n`),
  err: (l) => process.stderr.write(`${l}\n`),
  env: process.env,
  cwd: process.cwd(),
});

const USAGE = `Usage:
  keepsafe import --pupils <pupils.csv> --staff <staff.csv> [--school <id>] [--name <school name>]
  keepsafe setup --file <setup.json> [--school <id>]

  Either file may be left out, but not both. Without --school, the one school already stored is used.
  pupils.csv columns: upn, forename, surname, preferred_name, date_of_birth (YYYY-MM-DD), year_group, class, flags
  staff.csv columns:  aad_object_id, display_name, email, role (DSL, DDSL, SLT, STAFF), optional head_teacher (yes), optional scope (SLT only: year:9;class:9R)
  setup.json: any of name, timeZone, locations, headTeacherStaffId, chairOfGovernorsStaffId,
              categories (with guidance, subCategories, fields), alertGroups, referralAgencies,
              documentTypes, calendar (terms and nonSchoolDays), subjectAccessAlertDays (see README)

Storage: Azure Cosmos DB when COSMOS_ENDPOINT and COSMOS_KEY are set; otherwise the local data in
KEEPSAFE_DATA_DIR (default .keepsafe in the project), shared with a running Keepsafe.`;

class UsageError extends Error {}

/**
 * The CLI's use cases from the one composition root. Imported statically: a dynamic import can give
 * an in-process caller (test/app/school-setup.test.ts) a second copy of the domain's error class.
 */
const openAdministration = (io: CliIo) => openSchoolAdministration(io.env, PROJECT_ROOT);

/** Runs the CLI and returns the exit code: 0 done, 1 import failed (bad rows or store), 2 usage. */
export async function main(argv: string[], io: CliIo = defaultIo()): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (!command) {
      io.err(USAGE);
      return 2;
    }
    if (command === "help" || command === "--help" || command === "-h") {
      io.out(USAGE);
      return 0;
    }
    if (command === "import") return await runImport(rest, io);
    if (command === "setup") return await runSetup(rest, io);
    throw new UsageError(`Unknown command "${command}".`);
  } catch (e) {
    if (e instanceof UsageError || (e as { code?: string }).code?.startsWith("ERR_PARSE_ARGS")) {
      io.err(`${(e as Error).message}\n\n${USAGE}`);
      return 2;
    }
    io.err(`keepsafe: ${e instanceof Error ? e.message : String(e)}`);
    return 1;
  }
}

async function runImport(args: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      pupils: { type: "string" },
      staff: { type: "string" },
      school: { type: "string" },
      name: { type: "string" },
    },
    strict: true,
    allowPositionals: false,
  });
  if (!values.pupils && !values.staff) throw new UsageError("Give --pupils, --staff or both.");

  const files = { pupils: values.pupils, staff: values.staff };
  const read = async (file?: string) => (file ? readFile(path.resolve(io.cwd, file), "utf8") : undefined);
  const [pupilsCsv, staffCsv] = await Promise.all([read(files.pupils), read(files.staff)]);

  const store = await openAdministration(io);
  try {
    const schoolId = values.school ?? (await onlySchoolId(store.admin));
    const report = await store.admin.importSchool({ schoolId, schoolName: values.name, pupilsCsv, staffCsv, onProgress: progressPrinter(io) });
    printSummary(io, report, store.description);
    return 0;
  } catch (e) {
    if (isKeepsafeError(e) && e.code === "validation_failed") {
      io.err(e.message);
      for (const problem of e.fields) {
        // field is "pupils:<column>" or "staff:<column>"; name the file as the user gave it.
        const which = problem.field.split(":")[0] as keyof typeof files;
        const file = files[which] ? path.basename(files[which]!) : which;
        io.err(`  ${file} ${problem.message}`);
      }
      return 1;
    }
    throw e;
  } finally {
    await store.close();
  }
}

async function runSetup(args: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({ args, options: { file: { type: "string" }, school: { type: "string" } }, strict: true, allowPositionals: false });
  if (!values.file) throw new UsageError("Give --file <setup.json>.");
  let json: unknown;
  try {
    json = JSON.parse(await readFile(path.resolve(io.cwd, values.file), "utf8"));
  } catch (e) {
    io.err(`keepsafe: ${path.basename(values.file)} is not readable JSON (${(e as Error).message.split("\n")[0]}). Nothing was changed.`);
    return 1;
  }
  const store = await openAdministration(io);
  try {
    const schoolId = values.school ?? (await onlySchoolId(store.admin));
    const school = await store.admin.applySchoolSetup(schoolId, json);
    io.out(`Set up school "${school.id}" (${school.name}), ${store.description}.`);
    io.out(`  ${school.categories.length} categories, ${school.locations.length} locations, time zone ${school.timeZone}`);
    io.out(`  ${referralAgenciesOf(school).length} referral agencies, ${documentTypesOf(school).length} document types`);
    io.out(`  ${school.calendar?.terms.length ?? 0} terms, ${school.calendar?.nonSchoolDays.length ?? 0} closed days or runs of days`);
    io.out(
      `  head teacher: ${school.headTeacherStaffId ? "set" : "not set"}; chair of governors: ${school.chairOfGovernorsStaffId ? "set" : "not set"}`,
    );
    return 0;
  } catch (e) {
    if (isKeepsafeError(e) && e.code === "validation_failed") {
      io.err(e.message);
      for (const problem of e.fields) io.err(`  ${problem.field}: ${problem.message}`);
      return 1;
    }
    throw e;
  } finally {
    await store.close();
  }
}

/** Without --school, use the school already there; guessing between several would be dangerous. */
async function onlySchoolId(admin: SchoolAdministration): Promise<string> {
  const all = await admin.schoolIds();
  if (all.length === 1) return all[0];
  if (all.length === 0) throw new UsageError("No school is stored yet: give --school <id> (and --name) to create one.");
  throw new UsageError(`Several schools are stored (${all.join(", ")}): say which with --school <id>.`);
}

function progressPrinter(io: CliIo): (p: ImportProgress) => void {
  const lastPrinted: Record<string, number> = {};
  return ({ file, done, total }) => {
    if (total < PROGRESS_EVERY) return;
    const step = Math.floor(done / PROGRESS_EVERY);
    if (done === total || step > (lastPrinted[file] ?? 0)) {
      lastPrinted[file] = step;
      io.err(`${file}: ${done} of ${total} rows written`);
    }
  };
}

function printSummary(io: CliIo, r: ImportReport, where: string) {
  io.out(`Imported into school "${r.schoolId}"${r.schoolCreated ? " (new school created)" : ""}, ${where}.`);
  if (r.pupils) io.out(`  pupils: ${r.pupils.total} rows, ${r.pupils.created} new, ${r.pupils.updated} updated`);
  if (r.staff) io.out(`  staff:  ${r.staff.total} rows, ${r.staff.created} new, ${r.staff.updated} updated`);
  for (const g of r.alertGroups) io.out(`  alert group "${g.name}": ${g.members} member${g.members === 1 ? "" : "s"}`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = await main(process.argv.slice(2));
}
