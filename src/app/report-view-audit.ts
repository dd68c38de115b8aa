/**
 * The audit events of allowed report views (issue 7: every view is audited, not only refusals):
 * who (the event's actor), which report, its filters, from where (via) and the outcome. Filters are
 * ids, dates and group names only, never a pupil or anything a record says.
 */
import type { AuditFields } from "./audit-event.js";
import type { IncidentReportQuery } from "./incident-report.js";
import type { SummaryPeriod } from "../domain/summary-periods.js";

export type ReportFormat = "json" | "csv";

export const incidentReportViewed = (q: IncidentReportQuery, format: ReportFormat): AuditFields => ({
  type: "report.viewed",
  detail: {
    report: "incidents",
    format,
    from: q.from,
    to: q.to,
    groupBy: q.groupBy,
    ...(q.categoryIds?.length ? { categoryIds: [...q.categoryIds] } : {}),
    ...(q.yearGroups?.length ? { yearGroups: [...q.yearGroups] } : {}),
    ...(q.pupilGroups?.length ? { pupilGroups: [...q.pupilGroups] } : {}),
  },
});

export const governorsSummaryViewed =
  (period: SummaryPeriod) =>
  (range: { from: string; to: string }): AuditFields => ({
    type: "summary.viewed",
    detail: { report: "governors-summary", period, from: range.from, to: range.to },
  });
