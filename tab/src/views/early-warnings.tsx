// The DSL home's early warnings: the pupils whose concerns have built up past the school's rule and
// are not yet reviewed, each with the concerns that triggered it and a "Mark reviewed" button; then
// the recent reviews, so the team sees who decided what.
import {
  Button,
  Caption1,
  Link,
  Subtitle2,
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
import { Fragment, useState } from "react";
import type { EarlyWarningView } from "../../../src/contract/early-warning-views.js";
import { useLoad } from "../api-context.js";
import { formatDateTime, formatDayNumeric } from "../format.js";
import { ErrorBar } from "./error-bar.js";
import { EarlyWarningReview } from "./early-warning-review.js";
import { useStackedTableStyles } from "./stacked-table.js";

// Fluent's headings and text are inline by default: the panel stacks them.
const useStyles = makeStyles({ root: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalS } });

const RULES = { "any-concerns": "Concerns building up", "different-staff": "Several staff concerned" } as const;

/** Both lists share these columns; the open one starts with when it was raised. */
const COLUMNS = ["Pupil", "Why", "Concerns", "Review"];

const Headings = ({ names }: { names: string[] }) => (
  <TableHeader>
    <TableRow>
      {names.map((n) => (
        <TableHeaderCell key={n}>{n}</TableHeaderCell>
      ))}
    </TableRow>
  </TableHeader>
);

export interface EarlyWarningsProps {
  onOpenPupil(pupilId: string): void;
  onOpenIncident(incidentId: string): void;
}

export function EarlyWarnings({ onOpenPupil, onOpenIncident }: EarlyWarningsProps) {
  const styles = useStyles();
  const stacked = useStackedTableStyles();
  const [generation, setGeneration] = useState(0);
  // The firing whose review note is open, in a full-width row under it.
  const [reviewing, setReviewing] = useState<string>();
  const { data, error, loading } = useLoad((api, signal) => api.earlyWarnings(signal), [generation]);
  if (loading && !data) return null;
  if (error || !data) return <ErrorBar error={error ?? new Error("No data")} />;
  const cells = (f: EarlyWarningView) => (
    <>
      <TableCell>
        <Link onClick={() => onOpenPupil(f.pupil.id)} data-testid="early-warning-pupil">
          {f.pupil.displayName}
        </Link>
      </TableCell>
      <TableCell>
        <Caption1>{RULES[f.rule]}</Caption1>
      </TableCell>
      <TableCell>
        {f.incidentIds.map((id, i) => (
          <span key={id}>
            {i ? ", " : null}
            <Link onClick={() => onOpenIncident(id)} data-testid="early-warning-concern">
              {f.references[i] ?? "Concern"}
            </Link>
          </span>
        ))}
      </TableCell>
    </>
  );
  return (
    <section className={styles.root} aria-labelledby="early-warnings-title" data-testid="early-warnings">
      <Subtitle2 as="h3" id="early-warnings-title">
        Early warnings to review: <span data-testid="early-warnings-count">{data.firings.length}</span>
      </Subtitle2>
      {data.firings.length === 0 ? (
        <Text as="p">None open.</Text>
      ) : (
        <Table className={stacked.table} aria-label="Early warnings not yet reviewed, newest first" size="small">
          <Headings names={["Raised", ...COLUMNS]} />
          <TableBody>
            {data.firings.map((f) => (
              <Fragment key={f.id}>
                <TableRow data-testid="early-warning-row">
                  <TableCell>{formatDateTime(f.firedAt)}</TableCell>
                  {cells(f)}
                  <TableCell>
                    <Button
                      size="small"
                      disabled={reviewing === f.id}
                      onClick={() => setReviewing(f.id)}
                      data-testid="early-warning-review"
                      aria-label={`Mark reviewed: ${f.pupil.displayName}`}
                    >
                      Mark reviewed
                    </Button>
                  </TableCell>
                </TableRow>
                {reviewing === f.id ? (
                  <TableRow data-testid="early-warning-review-row">
                    <TableCell colSpan={5} className={stacked.wide}>
                      <EarlyWarningReview
                        firing={f}
                        onCancel={() => setReviewing(undefined)}
                        onReviewed={() => {
                          setReviewing(undefined);
                          setGeneration((g) => g + 1);
                        }}
                      />
                    </TableCell>
                  </TableRow>
                ) : null}
              </Fragment>
            ))}
          </TableBody>
        </Table>
      )}
      {data.reviewed.length ? (
        <>
          <Subtitle2 as="h3" id="early-warnings-reviewed-title">
            Recently reviewed
          </Subtitle2>
          <Table className={stacked.table} aria-label="Early warnings reviewed, most recent first" size="small" data-testid="early-warnings-reviewed">
            <Headings names={COLUMNS} />
            <TableBody>
              {data.reviewed.map((f) => (
                <TableRow key={f.id} data-testid="early-warning-reviewed-row">
                  {cells(f)}
                  <TableCell className={stacked.wide} data-testid="early-warning-review-line">
                    Reviewed by {f.review.by} on {formatDayNumeric(f.review.at)}: {f.review.note}
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </>
      ) : null}
    </section>
  );
}
