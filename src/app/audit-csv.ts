/**
 * An audit trail as CSV (RFC 4180): a header and one row per event. Cells a spreadsheet would run
 * as a formula (=, +, -, @, tab, CR at the start; a staff name comes from the school's own CSV)
 * are prefixed with a quote mark so they open as text.
 */
import type { AuditRow } from "../contract/views.js";
import { csvCell } from "./csv-cell.js";

export const AUDIT_CSV_HEADER = ["at", "event", "outcome", "via", "actor_staff_id", "actor_name", "pupil_id", "incident_id", "detail"] as const;

export function auditCsv(rows: readonly AuditRow[]): string {
  const lines = rows.map((r) =>
    [r.at, r.type, r.outcome, r.via, r.actorStaffId, r.actorName, r.pupilId, r.incidentId, r.detail].map(csvCell).join(","),
  );
  return [AUDIT_CSV_HEADER.join(","), ...lines].join("\r\n") + "\r\n";
}
