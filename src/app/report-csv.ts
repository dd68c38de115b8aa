/**
 * The incident report as CSV (RFC 4180 quoting): one row per group, then the total. For DSLs and
 * deputies the referral timeliness follows as a section of its own, after a blank line, with its
 * own header (so a spreadsheet shows it as a second table), per agency, then its total. Whoever's
 * report has no such section (SLT) gets no such rows, not even a header.
 */
import { TIMELINESS } from "../domain/referral-timeliness.js";
import { csvCell } from "./csv-cell.js";
import type { IncidentReport } from "./incident-report.js";

export const REFERRAL_CSV_HEADER = ["referral agency", "on time", "late", "outstanding", "awaiting"] as const;

const lines = (rows: (string | number)[][]) => rows.map((l) => l.map(csvCell).join(",")).join("\r\n");

export function reportCsv(report: IncidentReport): string {
  const sections = [lines([[report.groupBy, "incidents"], ...report.rows.map((r) => [r.label, r.count]), ["Total", report.total]])];
  const timeliness = report.referralTimeliness;
  if (timeliness) {
    sections.push(
      lines([
        [...REFERRAL_CSV_HEADER],
        ...timeliness.rows.map((r) => [r.agency, ...TIMELINESS.map((t) => r[t])]),
        ["Total", ...TIMELINESS.map((t) => timeliness.total[t])],
      ]),
    );
  }
  return `${sections.join("\r\n\r\n")}\r\n`;
}
