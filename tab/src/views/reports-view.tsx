// Reports for DSLs, deputies and SLT: a bar chart drawn with Fluent UI's own charts, and beside it
// the same numbers as a table (the chart's bars are focusable and labelled, the table reads in order), a
// CSV download, and filters kept in the URL so a report can be shared as a link.
import { PUPIL_FLAGS } from "../../../src/domain/school.js";
import { reportableCategories, reportablePupilGroups } from "../../../src/domain/policy/index.js";
import type { MeView } from "../../../src/contract/views.js";
import { useMemo, useState } from "react";
import {
  Button,
  Caption1,
  Field,
  Select,
  Subtitle2,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Title3,
  makeStyles,
  tokens,
} from "@fluentui/react-components";
import { ArrowDownloadRegular } from "@fluentui/react-icons";
import { useAttempt, useLoad } from "../api-context.js";
import { filtersFromUrl, reportQuery, writeFiltersToUrl, type ReportFilters } from "../report-filters.js";
import { saveBlob } from "../save-blob.js";
import { ErrorBar } from "./error-bar.js";
import { ChartBesideTable } from "./chart-beside-table.js";
import { IncidentsChart } from "./lazy-report-charts.js";
import { ReferralTimelinessTable } from "./referral-timeliness-table.js";
import { UkDateInput } from "./uk-date-input.js";

const GROUPINGS: [string, string][] = [
  ["week", "Week"],
  ["month", "Month"],
  ["term", "Term"],
  ["schoolYear", "School year"],
  ["category", "Category"],
  ["subCategory", "Sub-category"],
  ["dayOfWeek", "Day of the week"],
  ["session", "Session"],
  ["location", "Location"],
  ["yearGroup", "Year group"],
  ["class", "Class"],
  ["pupilGroup", "Pupil group"],
];
const GROUP_LABELS: Record<string, string> = {
  SEND: "SEND",
  PPG: "Pupil premium (PPG)",
  LAC: "Looked after (LAC)",
  CP: "Child protection plan",
  CIN: "Child in need",
  EAL: "EAL",
  YC: "Young carer",
};
/** Flags SLT may not know are not offered to them (the server refuses them too). */
const groupsFor = (me: Pick<MeView, "role" | "mfa">) => reportablePupilGroups(me, PUPIL_FLAGS);

const useStyles = makeStyles({
  filters: { display: "flex", flexWrap: "wrap", gap: tokens.spacingHorizontalM, alignItems: "end" },
  summary: { color: tokens.colorNeutralForeground2 },
});

export function ReportsView() {
  const styles = useStyles();
  // Until /api/me answers, offer what SLT may ask for; the server decides either way.
  const me = useLoad((api, signal) => api.me(signal), []).data ?? { role: "SLT" as const, mfa: true };
  const [filters, setFilters] = useState<ReportFilters>(() => filtersFromUrl(window.location.search));
  const query = useMemo(() => reportQuery(filters), [filters]);
  const { data: report, error } = useLoad((api, signal) => api.incidentReport(query, signal), [JSON.stringify(query)]);
  const { data: options } = useLoad((api, signal) => api.formOptions(signal), []);
  const { attempt, busy, error: downloadError } = useAttempt();

  const change = (key: keyof ReportFilters, value: string) => {
    const next = { ...filters, [key]: value };
    writeFiltersToUrl(next);
    setFilters(next);
  };
  const grouping = GROUPINGS.find(([id]) => id === filters.groupBy)?.[1] ?? filters.groupBy;
  // SLT never gets a report of a protected category, so none is offered.
  const categories = reportableCategories(
    me,
    (options?.categories ?? []).map((c) => ({ ...c, protected: c.protected ?? false })),
  );

  return (
    <section aria-labelledby="reports-title" data-testid="reports">
      <Title3 as="h2" id="reports-title">
        Reports
      </Title3>
      <div className={styles.filters} role="group" aria-label="Report filters">
        <Field label="From">
          <UkDateInput value={filters.from} onChange={(v) => change("from", v)} data-testid="report-from" />
        </Field>
        <Field label="To">
          <UkDateInput value={filters.to} onChange={(v) => change("to", v)} data-testid="report-to" />
        </Field>
        <Field label="Count by">
          <Select value={filters.groupBy} onChange={(_, d) => change("groupBy", d.value)} data-testid="report-group-by">
            {GROUPINGS.map(([id, label]) => (
              <option key={id} value={id}>
                {label}
              </option>
            ))}
          </Select>
        </Field>
        <Field label="Category">
          <Select value={filters.categoryIds} onChange={(_, d) => change("categoryIds", d.value)} data-testid="report-category">
            <option value="">All categories</option>
            {categories.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </Select>
        </Field>
        <Field label="Pupil group">
          <Select value={filters.pupilGroups} onChange={(_, d) => change("pupilGroups", d.value)} data-testid="report-pupil-group">
            <option value="">All pupils</option>
            {groupsFor(me).map((g) => (
              <option key={g} value={g}>
                {GROUP_LABELS[g]}
              </option>
            ))}
          </Select>
        </Field>
        <Button
          icon={<ArrowDownloadRegular />}
          disabled={busy}
          data-testid="report-csv"
          onClick={() => void attempt(async (api) => saveBlob(await api.incidentReportCsv(query), `incidents-by-${filters.groupBy}.csv`))}
        >
          Download CSV
        </Button>
      </div>
      {error ? <ErrorBar error={error} /> : null}
      {downloadError ? <ErrorBar error={downloadError} /> : null}
      {report ? (
        <>
          <Caption1 className={styles.summary} data-testid="report-summary">
            {report.total} incident{report.total === 1 ? "" : "s"} ({report.open} open) from {report.from} to {report.to}
          </Caption1>
          <ChartBesideTable
            chartLabel={`Chart of incidents by ${grouping.toLowerCase()}; the table beside it has the same numbers`}
            chartTestId="report-chart"
            chart={<IncidentsChart title={`Incidents by ${grouping.toLowerCase()}`} rows={report.rows} />}
            table={(className) => (
              <Table className={className} size="small" aria-label={`Incidents by ${grouping.toLowerCase()}`} data-testid="report-table">
                <TableHeader>
                  <TableRow>
                    <TableHeaderCell>{grouping}</TableHeaderCell>
                    <TableHeaderCell>Incidents</TableHeaderCell>
                  </TableRow>
                </TableHeader>
                <TableBody>
                  {report.rows.map((r) => (
                    <TableRow key={r.key}>
                      <TableCell>{r.label}</TableCell>
                      <TableCell>{r.count}</TableCell>
                    </TableRow>
                  ))}
                  <TableRow>
                    <TableCell>
                      <strong>Total</strong>
                    </TableCell>
                    <TableCell>
                      <strong>{report.total}</strong>
                    </TableCell>
                  </TableRow>
                </TableBody>
              </Table>
            )}
          />
          <Subtitle2 as="h3">Pupils with repeated concerns</Subtitle2>
          {report.repeatedConcerns.length ? (
            <Table size="small" aria-label="Pupils with repeated concerns" data-testid="report-repeated">
              <TableHeader>
                <TableRow>
                  <TableHeaderCell>Pupil</TableHeaderCell>
                  <TableHeaderCell>Concerns</TableHeaderCell>
                </TableRow>
              </TableHeader>
              <TableBody>
                {report.repeatedConcerns.map((p) => (
                  <TableRow key={p.pupilId}>
                    <TableCell>{p.name}</TableCell>
                    <TableCell>{p.count}</TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          ) : (
            <Caption1>No pupil has more than one concern in this period.</Caption1>
          )}
          {report.referralTimeliness ? <ReferralTimelinessTable timeliness={report.referralTimeliness} /> : null}
        </>
      ) : null}
    </section>
  );
}
