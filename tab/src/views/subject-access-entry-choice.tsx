// The pupil's case entries as a checkbox list beside the pack: each with its type and date, ticked
// (in the pack) unless the DSL leaves it out. A left-out entry is not in the preview or the PDF.
import { Checkbox, Text, makeStyles, tokens } from "@fluentui/react-components";
import type { SarPreview } from "../../../src/contract/subject-access-views.js";

type EntryChoice = SarPreview["entries"][number];

const useStyles = makeStyles({
  list: { border: "none", padding: 0, margin: 0, marginBlock: tokens.spacingVerticalM, display: "flex", flexDirection: "column" },
});

export function SubjectAccessEntryChoice({
  entries,
  excluded,
  onChange,
}: {
  entries: readonly EntryChoice[];
  excluded: readonly string[];
  onChange(id: string, included: boolean): void;
}) {
  const styles = useStyles();
  if (!entries.length) return null;
  return (
    <fieldset className={styles.list} data-testid="sar-entries">
      <legend>
        <Text weight="semibold">Case entries in the pack</Text>
      </legend>
      {entries.map((e) => (
        <Checkbox
          key={e.id}
          label={e.heading}
          checked={!excluded.includes(e.id)}
          onChange={(_, d) => onChange(e.id, !!d.checked)}
          data-testid="sar-entry"
          data-entry-id={e.id}
        />
      ))}
    </fieldset>
  );
}
