// The chronology's filters: category, entry type, period, author and status. Each change is written
// to the URL by the chronology view, so a narrowed chronology can be reloaded or shared.
import { Button, Field, Select, makeStyles, tokens } from "@fluentui/react-components";
import { DismissRegular } from "@fluentui/react-icons";
import type { ChronologyRow } from "../../../src/contract/views.js";
import { useLoad } from "../api-context.js";
import { hasChronologyFilters, NO_CHRONOLOGY_FILTERS, type ChronologyFilters } from "../chronology-filters.js";
import { UkDateInput } from "./uk-date-input.js";

const useStyles = makeStyles({
  bar: { display: "flex", flexWrap: "wrap", gap: tokens.spacingHorizontalM, alignItems: "end" },
  field: { minWidth: "140px", flexGrow: 1, maxWidth: "220px" },
});

const KINDS: [string, string][] = [
  ["incident", "Concerns"],
  ["action", "Actions"],
  ["change", "Changes"],
  ["case-entry", "Referrals, meetings and calls"],
];

export interface ChronologyFilterBarProps {
  filters: ChronologyFilters;
  onChange(filters: ChronologyFilters): void;
  /** The rows loaded so far: their authors are the ones offered (with the chosen one kept). */
  rows: ChronologyRow[];
}

export function ChronologyFilterBar({ filters, onChange, rows }: ChronologyFilterBarProps) {
  const styles = useStyles();
  const { data: options } = useLoad((api, signal) => api.formOptions(signal), []);
  const set = (key: keyof ChronologyFilters, value: string) => onChange({ ...filters, [key]: value });
  const authors = new Map(rows.map((r) => [r.raisedBy.staffId, r.raisedBy.name]));
  if (filters.authorId && !authors.has(filters.authorId)) authors.set(filters.authorId, "Chosen author");
  return (
    <div className={styles.bar} role="group" aria-label="Chronology filters" data-testid="chronology-filters">
      <Field label="Category" className={styles.field}>
        <Select value={filters.categoryIds} onChange={(_, d) => set("categoryIds", d.value)} data-testid="chronology-filter-category">
          <option value="">All categories</option>
          {(options?.categories ?? []).map((c) => (
            <option key={c.id} value={c.id}>
              {c.name}
            </option>
          ))}
        </Select>
      </Field>
      <Field label="Type" className={styles.field}>
        <Select value={filters.kinds} onChange={(_, d) => set("kinds", d.value)} data-testid="chronology-filter-type">
          <option value="">All entries</option>
          {KINDS.map(([id, label]) => (
            <option key={id} value={id}>
              {label}
            </option>
          ))}
        </Select>
      </Field>
      <Field label="From" className={styles.field}>
        <UkDateInput value={filters.from} onChange={(v) => set("from", v)} data-testid="chronology-filter-from" />
      </Field>
      <Field label="To" className={styles.field}>
        <UkDateInput value={filters.to} onChange={(v) => set("to", v)} data-testid="chronology-filter-to" />
      </Field>
      <Field label="Recorded by" className={styles.field}>
        <Select value={filters.authorId} onChange={(_, d) => set("authorId", d.value)} data-testid="chronology-filter-author">
          <option value="">Anyone</option>
          {[...authors].map(([id, name]) => (
            <option key={id} value={id}>
              {name}
            </option>
          ))}
        </Select>
      </Field>
      <Field label="Status" className={styles.field}>
        <Select value={filters.status} onChange={(_, d) => set("status", d.value)} data-testid="chronology-filter-status">
          <option value="">Any status</option>
          <option value="active">Active</option>
          <option value="closed">Closed</option>
        </Select>
      </Field>
      {hasChronologyFilters(filters) ? (
        <Button icon={<DismissRegular />} onClick={() => onChange({ ...NO_CHRONOLOGY_FILTERS })} data-testid="chronology-filter-clear">
          Clear filters
        </Button>
      ) : null}
    </div>
  );
}
