// Find a pupil by name as you type, then pick the right child from the list.
import { useRef, useState, type KeyboardEvent } from "react";
import { Caption1, Field, SearchBox, Spinner, Text, makeStyles, tokens, useArrowNavigationGroup } from "@fluentui/react-components";
import { useLoad } from "../api-context.js";
import type { PupilSummary } from "../../../src/contract/views.js";
import { useDebouncedValue } from "../use-debounced-value.js";
import { FlagBadges } from "./badges.js";
import { ErrorBar } from "./error-bar.js";

const MIN_QUERY = 2;

const useStyles = makeStyles({
  root: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalS },
  list: { listStyleType: "none", margin: 0, padding: 0, display: "flex", flexDirection: "column", gap: tokens.spacingVerticalXXS },
  result: {
    width: "100%",
    display: "flex",
    alignItems: "center",
    gap: tokens.spacingHorizontalM,
    flexWrap: "wrap",
    padding: `${tokens.spacingVerticalS} ${tokens.spacingHorizontalM}`,
    textAlign: "left",
    cursor: "pointer",
    border: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
    borderRadius: tokens.borderRadiusMedium,
    backgroundColor: tokens.colorNeutralBackground1,
    color: tokens.colorNeutralForeground1,
    font: "inherit",
    // The text takes the hover colours too: in high contrast the hover background is cyan, and
    // white text on it cannot be read.
    "--pupil-result-meta": tokens.colorNeutralForeground3,
    ":hover": {
      backgroundColor: tokens.colorNeutralBackground1Hover,
      color: tokens.colorNeutralForeground1Hover,
      "--pupil-result-meta": tokens.colorNeutralForeground3Hover,
    },
    ":focus-visible": { outline: `${tokens.strokeWidthThick} solid ${tokens.colorStrokeFocus2}` },
  },
  name: { fontWeight: tokens.fontWeightSemibold, minWidth: "12em" },
  meta: { color: "var(--pupil-result-meta)" },
});

export function PupilSearch({ onSelect }: { onSelect(pupil: PupilSummary): void }) {
  const styles = useStyles();
  const [query, setQuery] = useState("");
  const settled = useDebouncedValue(query.trim(), 250);
  const listRef = useRef<HTMLUListElement>(null);
  const arrowNav = useArrowNavigationGroup({ axis: "vertical", circular: false });

  const search = useLoad(
    (api, signal) => (settled.length >= MIN_QUERY ? api.searchPupils(settled, signal) : Promise.resolve({ pupils: [] })),
    [settled],
  );
  const pupils = search.data?.pupils ?? [];

  // Down arrow from the box moves into the results, as in Teams' own pickers.
  const onSearchKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === "ArrowDown") {
      listRef.current?.querySelector<HTMLButtonElement>("button")?.focus();
      event.preventDefault();
    }
  };

  return (
    <section className={styles.root} aria-label="Pupil search">
      <Field label="Find a pupil" hint="Type at least two letters of the pupil's name">
        <SearchBox
          value={query}
          onChange={(_, data) => setQuery(data.value)}
          onKeyDown={onSearchKeyDown}
          placeholder="Pupil name"
          autoComplete="off"
          data-testid="pupil-search"
        />
      </Field>
      {search.loading && settled.length >= MIN_QUERY ? <Spinner size="tiny" label="Searching…" /> : null}
      {search.error ? <ErrorBar error={search.error} /> : null}
      <div aria-live="polite" className="visually-hidden">
        {settled.length >= MIN_QUERY && !search.loading ? `${pupils.length} pupils found` : ""}
      </div>
      {settled.length >= MIN_QUERY && !search.loading && !search.error && pupils.length === 0 ? <Text>No pupils match “{settled}”.</Text> : null}
      <ul id="pupil-results" className={styles.list} ref={listRef} {...arrowNav}>
        {pupils.map((pupil) => (
          <li key={pupil.id}>
            <button type="button" className={styles.result} onClick={() => onSelect(pupil)} data-testid="pupil-result">
              <span className={styles.name}>{pupil.displayName}</span>
              <Caption1 className={styles.meta}>
                {pupil.yearGroup} · {pupil.className}
              </Caption1>
              <FlagBadges flags={pupil.flags} />
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
