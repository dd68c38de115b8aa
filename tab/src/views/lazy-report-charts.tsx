// The reports' charts loaded on demand: React.lazy fetches the charts' chunk (report-charts.tsx)
// the first time a report is drawn, and a Fluent spinner holds the chart's place until it arrives.
// The table beside each chart has the same numbers and shows at once, so nothing waits on the chunk.
import { Component, Suspense, lazy, type ComponentProps, type ReactNode } from "react";
import { MessageBar, MessageBarBody, Spinner } from "@fluentui/react-components";

const charts = () => import("./report-charts.js");
const LazyIncidentsChart = lazy(() => charts().then((m) => ({ default: m.IncidentsChart })));
const LazyTimelinessChart = lazy(() => charts().then((m) => ({ default: m.TimelinessChart })));

type Charts = typeof import("./report-charts.js");

const loading = <Spinner size="small" label="Loading chart…" data-testid="report-chart-loading" />;

/**
 * A chunk that cannot be fetched (the network dropped, a new version replaced the old chunks)
 * rejects the lazy import; without a boundary React would unmount the whole page. The chart's
 * place says so plainly and the table beside it, which has the same figures, stays.
 */
class ChartUnavailable extends Component<{ children: ReactNode }, { failed: boolean }> {
  override state = { failed: false };
  static getDerivedStateFromError() {
    return { failed: true };
  }
  override render() {
    if (!this.state.failed) return this.props.children;
    return (
      <MessageBar intent="warning" data-testid="report-chart-unavailable">
        <MessageBarBody>The chart could not be loaded. The table has the same figures; reload Keepsafe to try the chart again.</MessageBarBody>
      </MessageBar>
    );
  }
}

export function IncidentsChart(props: ComponentProps<Charts["IncidentsChart"]>) {
  return (
    <ChartUnavailable>
      <Suspense fallback={loading}>
        <LazyIncidentsChart {...props} />
      </Suspense>
    </ChartUnavailable>
  );
}

export function TimelinessChart(props: ComponentProps<Charts["TimelinessChart"]>) {
  return (
    <ChartUnavailable>
      <Suspense fallback={loading}>
        <LazyTimelinessChart {...props} />
      </Suspense>
    </ChartUnavailable>
  );
}
