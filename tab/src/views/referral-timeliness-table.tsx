// The reports' referral timeliness (DSL and deputies; the server sends it to no one else): per
// agency, the period's referrals answered on time, late, still outstanding past their due date,
// and awaiting an answer not yet due. A stacked bar per agency, with the same numbers as a table
// beside it, laid out like the report's other chart.
import { Caption1, Subtitle2, Table, TableBody, TableCell, TableHeader, TableHeaderCell, TableRow } from "@fluentui/react-components";
import type { IncidentReport } from "../../../src/contract/views.js";
import { ChartBesideTable } from "./chart-beside-table.js";
import { TimelinessChart } from "./lazy-report-charts.js";
import { TIMELINESS_COLUMNS as COLUMNS } from "./referral-timeliness-columns.js";

type Timeliness = NonNullable<IncidentReport["referralTimeliness"]>;

export function ReferralTimelinessTable({ timeliness }: { timeliness: Timeliness }) {
  return (
    <>
      <Subtitle2 as="h3" id="report-referrals-title">
        Referral timeliness
      </Subtitle2>
      <Caption1>
        Referrals made in the period, by agency, against the date each agency was expected to answer. Year group and pupil group filters apply;
        referrals have no category.
      </Caption1>
      {timeliness.rows.length ? (
        <ChartBesideTable
          chartLabel="Chart of referrals by agency, each bar split by timeliness; the table beside it has the same numbers"
          chartTestId="report-referrals-chart"
          chart={<TimelinessChart rows={timeliness.rows} />}
          table={(className) => (
            <Table className={className} size="small" aria-labelledby="report-referrals-title" data-testid="report-referrals">
              <TableHeader>
                <TableRow>
                  <TableHeaderCell>Agency</TableHeaderCell>
                  {COLUMNS.map(([key, label]) => (
                    <TableHeaderCell key={key}>{label}</TableHeaderCell>
                  ))}
                </TableRow>
              </TableHeader>
              <TableBody>
                {timeliness.rows.map((r) => (
                  <TableRow key={r.agencyId} data-testid="report-referrals-row">
                    <TableCell>{r.agency}</TableCell>
                    {COLUMNS.map(([key]) => (
                      <TableCell key={key}>{r[key]}</TableCell>
                    ))}
                  </TableRow>
                ))}
                <TableRow>
                  <TableCell>
                    <strong>Total</strong>
                  </TableCell>
                  {COLUMNS.map(([key]) => (
                    <TableCell key={key}>
                      <strong>{timeliness.total[key]}</strong>
                    </TableCell>
                  ))}
                </TableRow>
              </TableBody>
            </Table>
          )}
        />
      ) : (
        <Caption1 data-testid="report-referrals-none">No referrals were made in this period.</Caption1>
      )}
    </>
  );
}
