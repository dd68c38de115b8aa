// "My concerns": what the signed-in member of staff raised, was alerted to or was tagged in, newest
// first, for every role; each row opens the incident. The server decides what is listed.
import {
  Caption1,
  Link,
  Spinner,
  Subtitle1,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Text,
  makeStyles,
  tokens,
} from "@fluentui/react-components";
import type { MyConcerns as MyConcernsPage } from "../../../src/contract/views.js";
import { useListPages } from "./use-list-pages.js";
import { ShowMore } from "./show-more.js";
import { formatDateTime } from "../format.js";
import { useStackedTableStyles } from "./stacked-table.js";
import { StatusBadge } from "./badges.js";
import { ErrorBar } from "./error-bar.js";

const WHY: Record<"raised" | "alerted" | "tagged", string> = { raised: "You raised it", alerted: "You were alerted", tagged: "You were tagged" };

const useStyles = makeStyles({
  root: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalS },
  row: { cursor: "pointer" },
});

export function MyConcerns({ onOpenIncident }: { onOpenIncident(incidentId: string): void }) {
  const styles = useStyles();
  const stacked = useStackedTableStyles();
  const pages = useListPages(
    (api, signal, continuation) => api.myConcerns(signal, continuation),
    (page: MyConcernsPage) => page.concerns,
    [],
  );
  const { first: data, error, loading, rows: concerns } = pages;
  if (loading) return <Spinner label="Loading your concerns…" />;
  if (error || !data) return <ErrorBar error={error ?? new Error("No data")} />;
  return (
    <section className={styles.root} aria-labelledby="my-concerns-title" data-testid="my-concerns">
      <Subtitle1 as="h2" id="my-concerns-title">
        My concerns
      </Subtitle1>
      {pages.hasMore ? (
        <Caption1 data-testid="my-concerns-cut-short">Showing the newest {concerns.length}: more are listed with Show more.</Caption1>
      ) : null}
      {concerns.length === 0 && !pages.hasMore ? (
        <Text>You have not raised, been alerted to or been tagged in any concern.</Text>
      ) : (
        <Table className={stacked.table} aria-label="Concerns you raised, were alerted to or were tagged in, newest first" size="small">
          <TableHeader>
            <TableRow>
              <TableHeaderCell>Recorded</TableHeaderCell>
              <TableHeaderCell>Reference</TableHeaderCell>
              <TableHeaderCell>Pupil</TableHeaderCell>
              <TableHeaderCell>Categories</TableHeaderCell>
              <TableHeaderCell>Why you see it</TableHeaderCell>
              <TableHeaderCell>Status</TableHeaderCell>
            </TableRow>
          </TableHeader>
          <TableBody>
            {concerns.map((c) => (
              <TableRow key={c.incidentId} className={styles.row} onClick={() => onOpenIncident(c.incidentId)} data-testid="my-concern">
                <TableCell>{formatDateTime(c.recordedAt)}</TableCell>
                <TableCell>
                  <Link
                    as="button"
                    onClick={(event) => {
                      event.stopPropagation();
                      onOpenIncident(c.incidentId);
                    }}
                  >
                    {c.reference}
                  </Link>
                </TableCell>
                <TableCell>{c.pupilName}</TableCell>
                <TableCell>{c.categoryNames.join(", ")}</TableCell>
                <TableCell>{c.why.map((w) => WHY[w]).join(", ")}</TableCell>
                <TableCell>
                  <StatusBadge status={c.status} />
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
      <ShowMore pages={pages} testId="my-concerns-show-more" />
    </section>
  );
}
