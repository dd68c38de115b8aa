// A pupil's chronology: every incident and action about them, newest first.
import {
  Caption1, Link, Spinner, Subtitle1, Table, TableBody, TableCell, TableHeader, TableHeaderCell, TableRow,
  Text, makeStyles, tokens,
} from "@fluentui/react-components";
import { useLoad } from "../api-context.js";
import type { ChronologyEntry } from "../api-types.js";
import { formatDate, formatDateTime } from "../format.js";
import { FlagBadges, PartBadge, StatusBadge, UnreadBadge } from "./badges.js";
import { ErrorBar } from "./error-bar.js";

const useStyles = makeStyles({
  root: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalM },
  header: { display: "flex", flexWrap: "wrap", alignItems: "baseline", gap: tokens.spacingHorizontalM },
  row: { cursor: "pointer" },
  badges: { display: "inline-flex", flexWrap: "wrap", gap: tokens.spacingHorizontalXS },
});

/** Newest first by when it happened; records entered later about the same moment go after earlier ones. */
export function newestFirst(entries: ChronologyEntry[]): ChronologyEntry[] {
  return [...entries].sort((a, b) =>
    b.occurredAt.localeCompare(a.occurredAt) || b.recordedAt.localeCompare(a.recordedAt));
}

export function ChronologyView({ pupilId, onOpenIncident }: { pupilId: string; onOpenIncident(incidentId: string): void }) {
  const styles = useStyles();
  const { data, error, loading } = useLoad((api, signal) => api.chronology(pupilId, signal), [pupilId]);

  if (loading) return <Spinner label="Loading chronology…" />;
  if (error || !data) return <ErrorBar error={error ?? new Error("No data")} />;

  const entries = newestFirst(data.entries);
  return (
    <section className={styles.root} aria-labelledby="chronology-title" data-testid="chronology">
      <div className={styles.header}>
        <Subtitle1 as="h2" id="chronology-title">{data.pupil.displayName}</Subtitle1>
        <Caption1>{data.pupil.yearGroup} · {data.pupil.className} · born {formatDate(data.pupil.dateOfBirth)}</Caption1>
        <FlagBadges flags={data.pupil.flags} />
      </div>
      {entries.length === 0 ? <Text>Nothing has been recorded for this pupil.</Text> : (
        <Table aria-label={`Chronology for ${data.pupil.displayName}, newest first`} size="small">
          <TableHeader>
            <TableRow>
              <TableHeaderCell>When</TableHeaderCell>
              <TableHeaderCell>Reference</TableHeaderCell>
              <TableHeaderCell>Categories</TableHeaderCell>
              <TableHeaderCell>Recorded by</TableHeaderCell>
              <TableHeaderCell>Status</TableHeaderCell>
            </TableRow>
          </TableHeader>
          <TableBody>
            {entries.map((entry) => (
              // The whole row opens the incident for mouse users; the reference link is the keyboard path.
              <TableRow
                key={`${entry.kind}:${entry.incidentId}:${entry.reference}`}
                className={styles.row}
                onClick={() => onOpenIncident(entry.incidentId)}
                data-testid="chronology-entry"
              >
                <TableCell>{formatDateTime(entry.occurredAt)}</TableCell>
                <TableCell>
                  <Link as="button" onClick={(event) => { event.stopPropagation(); onOpenIncident(entry.incidentId); }}>
                    {entry.reference}
                  </Link>
                  {entry.kind === "action" ? <Caption1> (action)</Caption1> : null}
                </TableCell>
                <TableCell>
                  <span className={styles.badges}>
                    {entry.categoryNames.join(", ")}
                    {entry.part !== "subject" ? <PartBadge part={entry.part} /> : null}
                  </span>
                </TableCell>
                <TableCell>{entry.raisedBy.name}</TableCell>
                <TableCell>
                  <span className={styles.badges}>
                    <StatusBadge status={entry.status} />
                    <UnreadBadge count={entry.unacknowledgedAlerts} />
                  </span>
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </section>
  );
}
