// The reports' charts loaded on demand: React.lazy fetches the charts' chunk (report-charts.tsx)
// the first time a report is drawn, and a Fluent spinner holds the chart's place until it arrives.
// The table beside each chart has the same numbers and shows at once, so nothing waits on the chunk.
import { Suspense, lazy, type ComponentProps } from "react";
import { Spinner } from "@fluentui/react-components";

const charts = () => import("./report-charts.js");
const LazyIncidentsChart = lazy(() => charts().then((m) => ({ default: m.IncidentsChart })));
const LazyTimelinessChart = lazy(() => charts().then((m) => ({ default: m.TimelinessChart })));

type Charts = typeof import("./report-charts.js");

const loading = <Spinner size="small" label="Loading chart…" data-testid="report-chart-loading" />;

export function IncidentsChart(props: ComponentProps<Charts["IncidentsChart"]>) {
  return (
    <Suspense fallback={loading}>
      <LazyIncidentsChart {...props} />
    </Suspense>
  );
}

export function TimelinessChart(props: ComponentProps<Charts["TimelinessChart"]>) {
  return (
    <Suspense fallback={loading}>
      <LazyTimelinessChart {...props} />
    </Suspense>
  );
}
