// What a pupil's page says when it holds nothing the reader may see. The wording is the same
// whatever is hidden, so it never tells a reader that something exists out of their sight.
import { Button, MessageBar, MessageBarBody, MessageBarTitle, makeStyles, tokens } from "@fluentui/react-components";

/** The one sentence for a pupil with no record the reader may see (also the empty chronology's). */
export const NO_RECORDS_YOU_CAN_SEE = "No records you can see for this pupil";

const useStyles = makeStyles({
  root: { display: "flex", flexDirection: "column", alignItems: "flex-start", gap: tokens.spacingVerticalM },
});

export interface NoRecordsYouCanSeeProps {
  /** The server's reason (a role that records concerns but does not browse chronologies). */
  reason: string;
  onOpenMyConcerns?(): void;
}

/** For staff whose role records concerns: their own records are under "My concerns", not here. */
export function NoRecordsYouCanSee({ reason, onOpenMyConcerns }: NoRecordsYouCanSeeProps) {
  const styles = useStyles();
  return (
    <section className={styles.root} aria-label={NO_RECORDS_YOU_CAN_SEE} data-testid="no-records-you-can-see">
      {/* role=status: a screen reader hears why the page is empty as soon as the answer comes. */}
      <MessageBar intent="info" role="status" layout="multiline">
        <MessageBarBody>
          <MessageBarTitle>{NO_RECORDS_YOU_CAN_SEE}</MessageBarTitle>
          {reason} The concerns you raised, were alerted to or were tagged in are under My concerns.
        </MessageBarBody>
      </MessageBar>
      {onOpenMyConcerns ? (
        <Button appearance="primary" onClick={onOpenMyConcerns} data-testid="open-my-concerns">
          Open My concerns
        </Button>
      ) : null}
    </section>
  );
}
