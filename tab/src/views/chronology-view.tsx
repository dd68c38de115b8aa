// A pupil's chronology: every incident and action about them, newest first. An action's row
// shows its kind and summary, and opens its incident at the actions.
import {
  Badge,
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
import { useEffect, useMemo, useRef, useState } from "react";
import { useChronologyPages } from "./use-chronology-pages.js";
import { ChronologyFilterBar } from "./chronology-filter-bar.js";
import {
  chronologyFiltersFromUrl,
  chronologyQuery,
  hasChronologyFilters,
  writeChronologyFiltersToUrl,
  type ChronologyFilters,
} from "../chronology-filters.js";
import type { ChronologyRow } from "../../../src/contract/views.js";
import { formatDate, formatDateTime } from "../format.js";
import { ActionKindBadge, FlagBadges, LinkedRecordBadge, PartBadge, StatusBadge, UnreadBadge, UnreadByYouBadge, UrgentBadge } from "./badges.js";
import { ErrorBar } from "./error-bar.js";
import { ApiError } from "../api-client.js";
import { NO_RECORDS_YOU_CAN_SEE, NoRecordsYouCanSee } from "./no-records-you-can-see.js";
import { CaseEntryRow } from "./case-entry-row.js";
import { ChronologyPdfButton } from "./chronology-pdf-button.js";
import { useStackedTableStyles } from "./stacked-table.js";

const useStyles = makeStyles({
  root: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalM },
  header: { display: "flex", flexWrap: "wrap", alignItems: "baseline", gap: tokens.spacingHorizontalM },
  row: { cursor: "pointer" },
  // Set in from the incidents around it, so the trail of actions reads as one.
  actionRow: {
    cursor: "pointer",
    backgroundColor: tokens.colorNeutralBackground2,
    boxShadow: `inset ${tokens.strokeWidthThicker} 0 0 ${tokens.colorBrandStroke2}`,
  },
  summary: { overflowWrap: "anywhere" },
  // "What" takes the room left over: an action's summary is the longest thing in a row.
  when: { width: "150px" },
  reference: { width: "110px" },
  by: { width: "140px" },
  status: { width: "150px" },
  badges: { display: "inline-flex", flexWrap: "wrap", gap: tokens.spacingHorizontalXS },
});

/** Newest first by when it happened; records entered later about the same moment go after earlier ones. */
export function newestFirst(entries: ChronologyRow[]): ChronologyRow[] {
  return [...entries].sort((a, b) => b.occurredAt.localeCompare(a.occurredAt) || b.recordedAt.localeCompare(a.recordedAt));
}

export interface ChronologyViewProps {
  pupilId: string;
  /** An action's row also says which action, so the incident opens at its actions. */
  onOpenIncident(incidentId: string, focusActions?: { actionId?: string }): void;
  /** A referral's outcome was recorded from its row: the chronology is read again. */
  onCaseEntryChanged?(): void;
  /** The reader may export the chronology as a PDF (DSL and deputies). */
  mayExport?: boolean;
  /** Staff who record concerns but do not browse chronologies are sent to their own records. */
  onOpenMyConcerns?(): void;
}

/** The server starts a correction's summary with "Correction: "; the badge says that already. */
const actionSummary = (entry: ChronologyRow) => (entry.actionKind === "correction" ? entry.summary.replace(/^Correction: /, "") : entry.summary);

export function ChronologyView({ pupilId, onOpenIncident, onCaseEntryChanged, onOpenMyConcerns, mayExport }: ChronologyViewProps) {
  const styles = useStyles();
  const stacked = useStackedTableStyles();
  // The filters open from the URL (a shared or reloaded link) and are written back as they change.
  const [filters, setFilters] = useState<ChronologyFilters>(() => chronologyFiltersFromUrl(window.location.search, pupilId));
  useEffect(() => writeChronologyFiltersToUrl(pupilId, filters), [pupilId, filters]);
  const query = useMemo(() => chronologyQuery(filters), [filters]);
  const pages = useChronologyPages(pupilId, query);
  const { first: data, error, loading, loadMore, hasMore } = pages;
  // The end of the list coming into view loads the next page, as the DSL scrolls down a long record.
  const end = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const target = end.current;
    if (!target || !hasMore || typeof IntersectionObserver === "undefined") return;
    const observer = new IntersectionObserver((seen) => {
      if (seen.some((e) => e.isIntersecting)) loadMore();
    });
    observer.observe(target);
    return () => observer.disconnect();
  }, [hasMore, loadMore]);

  const filterBar = <ChronologyFilterBar filters={filters} onChange={setFilters} rows={pages.entries} />;
  if (loading)
    return (
      <>
        {filterBar}
        <Spinner label="Loading chronology…" />
      </>
    );
  // A role that does not browse chronologies: filters over nothing would only puzzle, so say it plainly.
  if (error instanceof ApiError && error.code === "forbidden")
    return <NoRecordsYouCanSee reason={error.message} onOpenMyConcerns={onOpenMyConcerns} />;
  if (error || !data)
    return (
      <>
        {filterBar}
        <ErrorBar error={error ?? new Error("No data")} />
      </>
    );

  const entries = newestFirst(pages.entries);
  const filtered = hasChronologyFilters(filters);
  return (
    <section className={styles.root} aria-labelledby="chronology-title" data-testid="chronology">
      <div className={styles.header}>
        <Subtitle1 as="h2" id="chronology-title">
          {data.pupil.displayName}
        </Subtitle1>
        <Caption1>
          {data.pupil.yearGroup} · {data.pupil.className} · born {formatDate(data.pupil.dateOfBirth)}
        </Caption1>
        <FlagBadges flags={data.pupil.flags} />
        {mayExport ? <ChronologyPdfButton pupilId={pupilId} dateOfBirth={data.pupil.dateOfBirth} filters={filters} /> : null}
      </div>
      {filterBar}
      {/* Not "nothing recorded": records out of the reader's sight (an allegation naming a DSL) may exist. */}
      {entries.length === 0 && !hasMore ? (
        <Text data-testid="chronology-empty">{filtered ? "No entries match these filters." : `${NO_RECORDS_YOU_CAN_SEE}.`}</Text>
      ) : entries.length === 0 ? null : (
        <Table className={stacked.table} aria-label={`Chronology for ${data.pupil.displayName}, newest first`} size="small">
          <TableHeader>
            <TableRow>
              <TableHeaderCell className={styles.when}>When</TableHeaderCell>
              <TableHeaderCell className={styles.reference}>Reference</TableHeaderCell>
              <TableHeaderCell>What</TableHeaderCell>
              <TableHeaderCell className={styles.by}>Recorded by</TableHeaderCell>
              <TableHeaderCell className={styles.status}>Status</TableHeaderCell>
            </TableRow>
          </TableHeader>
          <TableBody>
            {entries.map((entry) => {
              if (entry.kind === "case-entry")
                return (
                  <CaseEntryRow key={`case-entry:${entry.caseEntryId}`} entry={entry} pupilId={pupilId} onChanged={() => onCaseEntryChanged?.()} />
                );
              // Actions and changes (re-categorised, closed...) sit under their incident, dated when made.
              const isAction = entry.kind !== "incident";
              const open = () => onOpenIncident(entry.incidentId, isAction ? { actionId: entry.actionId } : undefined);
              return (
                // The whole row opens the incident for mouse users; the reference link is the keyboard path.
                <TableRow
                  key={`${entry.kind}:${entry.incidentId}:${entry.actionId ?? entry.changeId ?? entry.reference}`}
                  className={isAction ? styles.actionRow : styles.row}
                  onClick={open}
                  data-testid="chronology-entry"
                  data-kind={entry.kind}
                >
                  <TableCell>{formatDateTime(entry.occurredAt)}</TableCell>
                  <TableCell>
                    <Link
                      as="button"
                      onClick={(event) => {
                        event.stopPropagation();
                        open();
                      }}
                      aria-label={
                        isAction
                          ? `${entry.kind === "change" ? "Change" : entry.actionKind === "correction" ? "Correction" : "Action"} on ${entry.reference}`
                          : undefined
                      }
                    >
                      {entry.reference}
                    </Link>
                  </TableCell>
                  <TableCell className={stacked.wide}>
                    <span className={styles.badges}>
                      {isAction ? (
                        <>
                          {entry.kind === "change" ? (
                            <Badge appearance="outline" color="informative">
                              Change
                            </Badge>
                          ) : (
                            <ActionKindBadge kind={entry.actionKind ?? "action"} />
                          )}
                          {/* On a linked pupil's chronology an action belongs to the other pupil's record. */}
                          {entry.part !== "subject" ? <LinkedRecordBadge /> : null}
                          <Text className={styles.summary} data-testid="chronology-action-summary">
                            {actionSummary(entry)}
                          </Text>
                        </>
                      ) : (
                        <>
                          {entry.urgent ? <UrgentBadge /> : null}
                          {entry.categoryNames.join(", ")}
                          {entry.part !== "subject" ? <PartBadge part={entry.part} /> : null}
                        </>
                      )}
                    </span>
                  </TableCell>
                  <TableCell>{entry.raisedBy.name}</TableCell>
                  <TableCell>
                    {/* The status and unread alerts are the incident's; its own row carries them. */}
                    {isAction ? null : (
                      <span className={styles.badges}>
                        <StatusBadge status={entry.status} />
                        {/* "Unread by you" is the reader's own alert; "Unread" is anyone's. */}
                        {entry.unreadByYou ? <UnreadByYouBadge /> : null}
                        <UnreadBadge count={entry.unacknowledgedAlerts - (entry.unreadByYou ? 1 : 0)} />
                      </span>
                    )}
                  </TableCell>
                </TableRow>
              );
            })}
          </TableBody>
        </Table>
      )}
      {pages.moreError ? <ErrorBar error={pages.moreError} /> : null}
      <div ref={end} data-testid="chronology-end">
        {hasMore ? (
          <Button onClick={loadMore} disabled={pages.loadingMore} data-testid="chronology-load-more">
            {pages.loadingMore ? "Loading…" : "Load more"}
          </Button>
        ) : null}
      </div>
    </section>
  );
}
