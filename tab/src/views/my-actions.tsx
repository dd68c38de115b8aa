// "My actions": the tasks the signed-in member of staff owns, open first by due date with overdue
// ones marked, then done ones; each opens its record, and each can be marked done here.
import { useState } from "react";
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
import type { MyAction } from "../../../src/contract/task-views.js";
import { ErrorBar } from "./error-bar.js";
import { TaskStatus } from "./task-status.js";
import { TruncatedNote } from "./truncated-note.js";
import { useStackedTableStyles } from "./stacked-table.js";

const useStyles = makeStyles({
  root: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalS },
  text: { whiteSpace: "pre-wrap", overflowWrap: "anywhere" },
});

export function MyActions({ onOpenIncident }: { onOpenIncident(incidentId: string): void }) {
  const [generation, setGeneration] = useState(0);
  const { data, error, loading } = useLoad((api, signal) => api.myActions(signal), [generation]);
  if (loading) return <Spinner label="Loading your actions…" />;
  if (error || !data) return <ErrorBar error={error ?? new Error("No data")} />;
  return (
    <>
      <TruncatedNote truncated={data.truncated} limit={data.limit} />
      <ActionsTable
        title="My actions"
        actions={data.actions}
        empty="You have no actions to do."
        onOpenIncident={onOpenIncident}
        onMarked={() => setGeneration((g) => g + 1)}
        testId="my-actions"
      />
    </>
  );
}

/** A list of tasks with their record, state and mark button (My actions, and the home's "due or overdue"). */
export function ActionsTable({
  title,
  actions,
  empty,
  onOpenIncident,
  onMarked,
  testId,
}: {
  title: string;
  actions: MyAction[];
  empty: string;
  onOpenIncident(incidentId: string): void;
  onMarked(): void;
  testId: string;
}) {
  const stacked = useStackedTableStyles();
  const styles = useStyles();
  return (
    <section className={styles.root} aria-labelledby={`${testId}-title`} data-testid={testId}>
      <Subtitle1 as="h2" id={`${testId}-title`}>
        {title}
      </Subtitle1>
      {actions.length === 0 ? (
        <Text>{empty}</Text>
      ) : (
        <Table className={stacked.table} aria-label={`${title}: open first by due date, then done`} size="small">
          <TableHeader>
            <TableRow>
              <TableHeaderCell>Record</TableHeaderCell>
              <TableHeaderCell>Pupil</TableHeaderCell>
              <TableHeaderCell>What to do</TableHeaderCell>
              <TableHeaderCell>Set by</TableHeaderCell>
              <TableHeaderCell>State</TableHeaderCell>
            </TableRow>
          </TableHeader>
          <TableBody>
            {actions.map((a) => (
              <TableRow key={a.actionId} data-testid="my-action" data-overdue={a.overdue ? "true" : "false"} data-done={a.done ? "true" : "false"}>
                <TableCell>
                  <Link as="button" onClick={() => onOpenIncident(a.incidentId)}>
                    {a.reference}
                  </Link>
                </TableCell>
                <TableCell>{a.pupilName}</TableCell>
                <TableCell>
                  <span className={styles.text}>{a.text}</span>
                </TableCell>
                <TableCell>
                  <Caption1>{a.recordedBy.name}</Caption1>
                </TableCell>
                <TableCell>
                  <TaskStatus incidentId={a.incidentId} actionId={a.actionId} task={a} onMarked={onMarked} />
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </section>
  );
}
