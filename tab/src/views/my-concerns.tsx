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
import { useLoad } from "../api-context.js";
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
  const { data, error, loading } = useLoad((api, signal) => api.myConcerns(signal), []);
  if (loading) return <Spinner label="Loading your concerns…" />;
  if (error || !data) return <ErrorBar error={error ?? new Error("No data")} />;
  return (
    <section className={styles.root} aria-labelledby="my-concerns-title" data-testid="my-concerns">
      <Subtitle1 as="h2" id="my-concerns-title">
        My concerns
      </Subtitle1>
      {data.concerns.length === 0 ? (
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
            {data.concerns.map((c) => (
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
      {data.truncated ? <Caption1>Only the newest {data.concerns.length} are shown.</Caption1> : null}
    </section>
  );
}
