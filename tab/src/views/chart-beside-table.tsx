// A report's chart with its data table beside it: the chart is a labelled figure (its bars are
// focusable and labelled), and the table holds the same numbers in reading order for screen
// readers. Every chart on the reports page is laid out this way, so they wrap the same on a phone.
import type { ReactNode } from "react";
import { makeStyles, tokens } from "@fluentui/react-components";

const useStyles = makeStyles({
  body: { display: "flex", flexWrap: "wrap", gap: tokens.spacingHorizontalXL, alignItems: "start" },
  chart: { flex: "1 1 420px", minWidth: "320px" },
  table: { flex: "0 1 320px" },
});

export function ChartBesideTable({
  chartLabel,
  chartTestId,
  chart,
  table,
}: {
  /** What the figure shows; says that the table beside it has the same numbers. */
  chartLabel: string;
  chartTestId: string;
  chart: ReactNode;
  /** The table, given the class that sizes it beside the chart. */
  table: (className: string) => ReactNode;
}) {
  const styles = useStyles();
  return (
    <div className={styles.body}>
      <div className={styles.chart} role="figure" aria-label={chartLabel} data-testid={chartTestId}>
        {chart}
      </div>
      {table(styles.table)}
    </div>
  );
}
