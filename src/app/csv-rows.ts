/**
 * Reads an MIS export (CSV with a header row) into plain rows that remember their line number, so
 * every problem can be reported as "line N: column: message". Row values never appear in problems:
 * they are pupils' and staff members' personal data and the problems are printed and logged.
 */
import { parse, CsvError } from "csv-parse/sync";
import type { FieldProblem } from "../domain/errors.js";

export interface CsvRow {
  /** 1-based line in the file where the row starts (the header is line 1). */
  line: number;
  values: Record<string, string>;
}

export interface CsvReadResult {
  /** The normalised header names, in file order. */
  header: string[];
  rows: CsvRow[];
  problems: FieldProblem[];
}

/** Problems are reported as "line N: column: message", with the column also in `field`. */
export const problemAt = (line: number, column: string, message: string): FieldProblem => ({
  field: column,
  message: `line ${line}: ${column}: ${message}`,
});

/** MIS exports vary in header case and spacing ("Date Of Birth", " UPN "); all become snake_case. */
export const normaliseHeader = (h: string) =>
  h
    .replace(/^\uFEFF/, "")
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, "_");

interface ParsedRecord {
  record: Record<string, string>;
  info: { lines: number; empty_lines: number; error?: unknown; invalid_field_length: number };
}

/**
 * Parses `text` and checks the header has every `required` column. Rows with the wrong number of
 * fields become problems rather than failing the whole parse, so one pass reports every bad row.
 */
export function readCsv(text: string, required: readonly string[]): CsvReadResult {
  const problems: FieldProblem[] = [];
  let header: string[] = [];
  let records: ParsedRecord[];
  try {
    records = parse(text, {
      bom: true,
      columns: (names: string[]) => (header = names.map(normaliseHeader)),
      trim: true,
      skip_empty_lines: true,
      relax_column_count: true,
      info: true,
    }) as unknown as ParsedRecord[];
  } catch (e) {
    // A broken quote or similar: the parser cannot go on, so report where it stopped.
    const line = e instanceof CsvError ? Number((e as CsvError & { lines?: number }).lines ?? 1) : 1;
    const code = e instanceof CsvError ? e.code : "unreadable";
    return { header: [], rows: [], problems: [problemAt(line, "file", `the CSV cannot be read (${code})`)] };
  }

  if (header.length === 0) return { header, rows: [], problems: [problemAt(1, "header", "a header row is required")] };
  for (const column of required) {
    if (!header.includes(column)) problems.push(problemAt(1, column, "column is missing from the header row"));
  }
  if (problems.length > 0) return { header, rows: [], problems };

  const rows: CsvRow[] = [];
  // csv-parse reports the line a record ends on; a quoted field can span lines, so the start is
  // one past the previous record's end, plus any blank lines skipped in between.
  let previousEnd = 1;
  let previousEmpty = 0;
  for (const { record, info } of records) {
    const line = previousEnd + 1 + (info.empty_lines - previousEmpty);
    previousEnd = info.lines;
    previousEmpty = info.empty_lines;
    if (info.error) {
      const count = (info.error as { record?: unknown[] }).record?.length ?? Object.keys(record).length;
      problems.push(problemAt(line, "row", `has ${count} fields but the header has ${header.length}`));
      continue;
    }
    rows.push({ line, values: record });
  }
  return { header, rows, problems };
}
