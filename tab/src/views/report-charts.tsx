// The reports page's two charts, drawn with Fluent UI's charts. They are the only users of
// @fluentui/react-charts, about a tenth of the tab's code gzipped, so they live in their own chunk
// that the browser fetches when a report is first drawn (lazy-report-charts.tsx), not with the tab.
import { DataVizPalette, HorizontalBarChart, HorizontalBarChartVariant, VerticalBarChart } from "@fluentui/react-charts";
import type { IncidentReport } from "../../../src/contract/views.js";
import { TIMELINESS_COLUMNS, type TimelinessColumn } from "./referral-timeliness-columns.js";

// Each column's colour is the Fluent data-visualisation status colour, so it follows the Teams theme;
// the legend and the table name every colour, so nothing is told by colour alone.
const COLOURS: Record<TimelinessColumn, string> = {
  onTime: DataVizPalette.success,
  late: DataVizPalette.warning,
  outstanding: DataVizPalette.error,
  awaiting: DataVizPalette.info,
};

export function IncidentsChart({ title, rows }: { title: string; rows: IncidentReport["rows"] }) {
  return <VerticalBarChart chartTitle={title} data={rows.map((r) => ({ x: r.label, y: r.count, legend: r.label }))} height={300} hideLegend />;
}

export function TimelinessChart({ rows }: { rows: NonNullable<IncidentReport["referralTimeliness"]>["rows"] }) {
  return (
    // One bar per agency, its parts stacked; on one scale across agencies so their lengths compare.
    <HorizontalBarChart
      variant={HorizontalBarChartVariant.AbsoluteScale}
      data={rows.map((r) => ({
        chartTitle: r.agency,
        chartData: TIMELINESS_COLUMNS.map(([key, legend]) => ({ legend, horizontalBarChartdata: { x: r[key], y: 1 }, color: COLOURS[key] })),
      }))}
    />
  );
}
