// A pupil's or a member of staff's audit trail, for the DSL: who did what, when, from where and
// with what outcome, newest first; "Export CSV" saves the same events as a file. Both are audited.
import {
  Button,
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
import { ArrowDownloadRegular } from "@fluentui/react-icons";
import type { AuditTrail } from "../../../src/contract/views.js";
import { LIMITS } from "../../../src/domain/limits.js";
import { useAttempt } from "../api-context.js";
import { useListPages } from "./use-list-pages.js";
import { ShowMore } from "./show-more.js";
import { formatDateTime } from "../format.js";
import { ErrorBar } from "./error-bar.js";
import { useStackedTableStyles } from "./stacked-table.js";

export type AuditSubject = { pupilId: string } | { staffId: string };

const useStyles = makeStyles({
  root: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalS },
  header: { display: "flex", alignItems: "baseline", gap: tokens.spacingHorizontalM, flexWrap: "wrap" },
  detail: { overflowWrap: "anywhere", color: tokens.colorNeutralForeground3 },
});

export function AuditTrailView({ subject, onOpenStaff }: { subject: AuditSubject; onOpenStaff(staffId: string): void }) {
  const stacked = useStackedTableStyles();
  const styles = useStyles();
  const key = "pupilId" in subject ? `pupil:${subject.pupilId}` : `staff:${subject.staffId}`;
  const pages = useListPages(
    (api, signal, continuation) =>
      "pupilId" in subject ? api.pupilAudit(subject.pupilId, signal, continuation) : api.staffAudit(subject.staffId, signal, continuation),
    (page: AuditTrail) => page.events,
    [key],
  );
  const { first: data, error, loading, rows: events } = pages;
  const exporting = useAttempt();
  if (loading) return <Spinner label="Loading audit trail…" />;
  if (error || !data) return <ErrorBar error={error ?? new Error("No data")} />;

  const exportCsv = async () => {
    const csv = await exporting.attempt((api) => api.exportAudit(subject));
    if (csv === undefined) return;
    // Saved from memory: a plain link could not carry the bearer token.
    const url = URL.createObjectURL(new Blob([csv], { type: "text/csv" }));
    const a = document.createElement("a");
    a.href = url;
    a.download = `keepsafe-audit-${key.replace(":", "-")}.csv`;
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  };

  return (
    <section className={styles.root} aria-labelledby="audit-title" data-testid="audit-trail">
      <div className={styles.header}>
        <Subtitle1 as="h2" id="audit-title">
          Audit trail: {data.subject.name}
        </Subtitle1>
        <Button icon={<ArrowDownloadRegular />} onClick={() => void exportCsv()} disabled={exporting.busy} data-testid="export-audit">
          Export CSV
        </Button>
      </div>
      {exporting.error ? <ErrorBar error={exporting.error} /> : null}
      {pages.hasMore ? (
        <Caption1 data-testid="audit-cut-short">
          Showing the newest {events.length} events: more are listed with Show more. The export holds the newest {LIMITS.auditTrailMax}.
        </Caption1>
      ) : null}
      {events.length === 0 ? (
        <Text>Nothing has been audited yet.</Text>
      ) : (
        <Table className={stacked.table} aria-label={`Audit trail for ${data.subject.name}, newest first`} size="small">
          <TableHeader>
            <TableRow>
              <TableHeaderCell>When</TableHeaderCell>
              <TableHeaderCell>Who</TableHeaderCell>
              <TableHeaderCell>What</TableHeaderCell>
              <TableHeaderCell>From</TableHeaderCell>
              <TableHeaderCell>Outcome</TableHeaderCell>
              <TableHeaderCell>Detail</TableHeaderCell>
            </TableRow>
          </TableHeader>
          <TableBody>
            {events.map((e) => (
              <TableRow key={e.id} data-testid="audit-event" data-type={e.type} data-outcome={e.outcome}>
                <TableCell>{formatDateTime(e.at)}</TableCell>
                <TableCell>
                  {"staffId" in subject ? (
                    e.actorName
                  ) : (
                    <Link as="button" onClick={() => onOpenStaff(e.actorStaffId)}>
                      {e.actorName}
                    </Link>
                  )}
                </TableCell>
                <TableCell>{e.type}</TableCell>
                <TableCell>{e.via}</TableCell>
                <TableCell>{e.outcome}</TableCell>
                <TableCell className={styles.detail}>{e.detail}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
      <ShowMore pages={pages} testId="audit-show-more" />
    </section>
  );
}
