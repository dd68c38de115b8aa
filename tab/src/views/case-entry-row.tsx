// A chronology row for an entry that is not a concern (a referral, meeting, call, document...), with
// the document's file to download when it has one. A referral
// shows when its answer is due, "Overdue" once that school day has passed without an outcome, and
// "Record outcome" until one is recorded.
import { Badge, TableCell, TableRow, Text, makeStyles, tokens } from "@fluentui/react-components";
import type { ChronologyRow } from "../../../src/contract/views.js";
import { formatDate, formatDateTime } from "../format.js";
import { RecordOutcome } from "./add-to-chronology.js";
import { CaseEntryFile } from "./case-entry-file.js";

const useStyles = makeStyles({
  row: { backgroundColor: tokens.colorNeutralBackground3 },
  badges: { display: "inline-flex", flexWrap: "wrap", alignItems: "center", gap: tokens.spacingHorizontalXS },
  summary: { overflowWrap: "anywhere" },
});

export function CaseEntryRow({ entry, pupilId, onChanged }: { entry: ChronologyRow; pupilId: string; onChanged(): void }) {
  const styles = useStyles();
  const referral = entry.referral;
  return (
    <TableRow className={styles.row} data-testid="chronology-entry" data-kind="case-entry" data-case-entry-kind={entry.caseEntryKind}>
      {/* A document is dated by its day; the time it was uploaded is shown with its file. */}
      <TableCell>{entry.caseEntryKind === "document" ? formatDate(entry.occurredAt) : formatDateTime(entry.occurredAt)}</TableCell>
      <TableCell>
        <Text weight="semibold">{entry.reference}</Text>
      </TableCell>
      <TableCell>
        <Text className={styles.summary} data-testid="case-entry-summary">
          {entry.summary}
        </Text>
        <CaseEntryFile entry={entry} pupilId={pupilId} />
      </TableCell>
      <TableCell>{entry.raisedBy.name}</TableCell>
      <TableCell>
        {referral ? (
          <span className={styles.badges} data-testid="referral-state">
            {referral.outcomeRecorded ? (
              <Badge appearance="tint" color="success">
                Outcome recorded
              </Badge>
            ) : (
              <>
                <Text size={200}>Due {formatDate(referral.dueDate)}</Text>
                {referral.overdue ? (
                  <Badge appearance="filled" color="danger" data-testid="referral-overdue">
                    Overdue
                  </Badge>
                ) : null}
                <RecordOutcome pupilId={pupilId} referralId={entry.caseEntryId!} onSaved={onChanged} />
              </>
            )}
          </span>
        ) : null}
      </TableCell>
    </TableRow>
  );
}
