// The tab's landing page for each role: counts of what needs the reader (the server builds each
// count from the list behind it, over only the records they may open), each a link to that list.
// A count stopped at the cap says "500+"; its list shows a page at a time, with Show more.
import { useState } from "react";
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
import { ArrowLeftRegular } from "@fluentui/react-icons";
import { useLoad } from "../api-context.js";
import type { HomeListId } from "../../../src/contract/requests.js";
import type { HomeList } from "../../../src/contract/task-views.js";
import { formatDateTime } from "../format.js";
import { StatusBadge } from "./badges.js";
import { ErrorBar } from "./error-bar.js";
import { ActionsTable } from "./my-actions.js";
import { EarlyWarnings } from "./early-warnings.js";
import { useStackedTableStyles } from "./stacked-table.js";
import { useListPages } from "./use-list-pages.js";
import { ShowMore } from "./show-more.js";

const useStyles = makeStyles({
  root: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalM },
  counts: {
    display: "grid",
    gridTemplateColumns: "repeat(auto-fill, minmax(180px, 1fr))",
    gap: tokens.spacingHorizontalM,
    listStyleType: "none",
    margin: 0,
    padding: 0,
  },
  count: {
    display: "flex",
    flexDirection: "column",
    alignItems: "flex-start",
    gap: tokens.spacingVerticalXS,
    width: "100%",
    height: "100%",
    padding: tokens.spacingHorizontalM,
    textAlign: "left",
  },
  number: { fontSize: tokens.fontSizeHero700, lineHeight: tokens.lineHeightHero700, fontWeight: tokens.fontWeightSemibold },
});

const HEADINGS = { safeguarding: "Your casework", senior: "Your school's records", staff: "Your concerns and actions" } as const;

export interface HomeViewProps {
  onOpenList(list: HomeListId): void;
  /** From the early warnings: a pupil's chronology, or one of the concerns that built up. */
  onOpenPupil(pupilId: string): void;
  onOpenIncident(incidentId: string): void;
}

export function HomeView({ onOpenList, onOpenPupil, onOpenIncident }: HomeViewProps) {
  const styles = useStyles();
  const { data, error, loading } = useLoad((api, signal) => api.home(signal), []);
  if (loading) return <Spinner label="Loading your home…" />;
  if (error || !data) return <ErrorBar error={error ?? new Error("No data")} />;
  return (
    <section className={styles.root} aria-labelledby="home-title" data-testid="home" data-home-kind={data.kind}>
      <Subtitle1 as="h2" id="home-title">
        {HEADINGS[data.kind]}
      </Subtitle1>
      <ul className={styles.counts}>
        {data.counts.map((c) => {
          const shown = c.more ? `${c.count}+` : String(c.count);
          return (
            <li key={c.list}>
              <Button
                className={styles.count}
                appearance="secondary"
                onClick={() => onOpenList(c.list as HomeListId)}
                data-testid={`home-count-${c.list}`}
                aria-label={`${c.label}: ${c.more ? `more than ${c.count}` : c.count}. Open the list`}
              >
                <span className={styles.number} data-testid="home-count-number">
                  {shown}
                </span>
                <Caption1>{c.label}</Caption1>
              </Button>
            </li>
          );
        })}
      </ul>
      {data.kind === "safeguarding" ? <EarlyWarnings onOpenPupil={onOpenPupil} onOpenIncident={onOpenIncident} /> : null}
    </section>
  );
}

/** The list behind a home count: its records (reference, pupil, categories, status) or its tasks. */
export function HomeListView({ list, onBack, onOpenIncident }: { list: HomeListId; onBack(): void; onOpenIncident(incidentId: string): void }) {
  const stacked = useStackedTableStyles();
  const [generation, setGeneration] = useState(0);
  // Each page is kept whole: a list of cases shows its records, a task list its actions.
  const pages = useListPages(
    (api, signal, continuation) => api.homeList(list, signal, continuation),
    (page: HomeList) => [page],
    [list, generation],
  );
  const { first: data, error, loading } = pages;
  const records = pages.rows.flatMap((p) => p.records);
  const actions = pages.rows.flatMap((p) => p.actions ?? []);
  const back = (
    <div>
      <Button appearance="subtle" icon={<ArrowLeftRegular />} onClick={onBack} data-testid="home-back">
        Back to home
      </Button>
    </div>
  );
  if (loading)
    return (
      <>
        {back}
        <Spinner label="Loading the list…" />
      </>
    );
  if (error || !data)
    return (
      <>
        {back}
        <ErrorBar error={error ?? new Error("No data")} />
      </>
    );
  if (data.actions)
    return (
      <>
        {back}
        <ActionsTable
          title={data.label}
          actions={actions}
          empty={pages.hasMore ? "None on this page: more are listed with Show more." : "Nothing here."}
          onOpenIncident={onOpenIncident}
          onMarked={() => setGeneration((g) => g + 1)}
          testId="home-list"
        />
        <ShowMore pages={pages} testId="home-list-show-more" />
      </>
    );
  return (
    <>
      {back}
      <section aria-labelledby="home-list-title" data-testid="home-list">
        <Subtitle1 as="h2" id="home-list-title">
          {data.label}
        </Subtitle1>
        {pages.hasMore ? (
          <div>
            <Caption1 data-testid="home-list-cut-short">Showing the newest {records.length}: more are listed with Show more.</Caption1>
          </div>
        ) : null}
        {records.length === 0 && !pages.hasMore ? (
          <Text as="p">Nothing here.</Text>
        ) : (
          <Table className={stacked.table} aria-label={`${data.label}, newest first`} size="small">
            <TableHeader>
              <TableRow>
                <TableHeaderCell>Recorded</TableHeaderCell>
                <TableHeaderCell>Reference</TableHeaderCell>
                <TableHeaderCell>Pupil</TableHeaderCell>
                <TableHeaderCell>Categories</TableHeaderCell>
                <TableHeaderCell>Status</TableHeaderCell>
              </TableRow>
            </TableHeader>
            <TableBody>
              {records.map((r) => (
                <TableRow key={r.incidentId} data-testid="home-list-row">
                  <TableCell>{formatDateTime(r.recordedAt)}</TableCell>
                  <TableCell>
                    <Link as="button" onClick={() => onOpenIncident(r.incidentId)}>
                      {r.reference}
                    </Link>
                    {r.urgent ? " (urgent)" : ""}
                  </TableCell>
                  <TableCell>{r.pupilName}</TableCell>
                  <TableCell>{r.categoryNames.join(", ")}</TableCell>
                  <TableCell>
                    <StatusBadge status={r.status} />
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        )}
        <ShowMore pages={pages} testId="home-list-show-more" />
      </section>
    </>
  );
}
