// Choose one pupil by typing part of their name (GET /api/pupils), as on the bot's card.
import { useState } from "react";
import { Button, Caption1, Input, Text, makeStyles, tokens } from "@fluentui/react-components";
import { useLoad } from "../api-context.js";
import type { PupilSummary } from "../../../src/contract/views.js";
import { useDebouncedValue } from "../use-debounced-value.js";

const useStyles = makeStyles({
  root: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalXS },
  chosen: { display: "flex", alignItems: "center", gap: tokens.spacingHorizontalS, flexWrap: "wrap" },
  list: { listStyleType: "none", margin: 0, padding: 0, display: "flex", flexDirection: "column", gap: tokens.spacingVerticalXXS },
  option: { width: "100%", justifyContent: "flex-start" },
});

export function PupilPicker({
  value,
  onChange,
  testId,
  placeholder,
}: {
  value?: PupilSummary;
  onChange(pupil: PupilSummary | undefined): void;
  testId: string;
  placeholder: string;
}) {
  const styles = useStyles();
  const [query, setQuery] = useState("");
  const settled = useDebouncedValue(query.trim(), 200);
  const search = useLoad(
    (api, signal) => (settled && !value ? api.searchPupils(settled, signal) : Promise.resolve({ pupils: [] })),
    [settled, value?.id],
  );
  if (value) {
    return (
      <div className={styles.chosen} data-testid={`${testId}-chosen`}>
        <Text weight="semibold">{value.displayName}</Text>
        <Caption1>
          {value.yearGroup} · {value.className}
        </Caption1>
        <Button
          size="small"
          appearance="subtle"
          onClick={() => {
            onChange(undefined);
            setQuery("");
          }}
        >
          Change
        </Button>
      </div>
    );
  }
  const pupils = search.data?.pupils ?? [];
  return (
    <div className={styles.root}>
      <Input value={query} onChange={(_, d) => setQuery(d.value)} placeholder={placeholder} autoComplete="off" data-testid={testId} />
      {settled && !search.loading && pupils.length === 0 ? <Caption1>No pupils match “{settled}”.</Caption1> : null}
      <ul className={styles.list}>
        {pupils.map((p) => (
          <li key={p.id}>
            <Button className={styles.option} appearance="subtle" size="small" onClick={() => onChange(p)} data-testid={`${testId}-option`}>
              {p.displayName} · {p.yearGroup} · {p.className}
            </Button>
          </li>
        ))}
      </ul>
    </div>
  );
}
