// "Mark reviewed" on an open early warning: a note is asked for (what was looked at, what was
// decided), held to the contract's limit, and sent; the list is read again once it is stored.
import { Button, Field, Textarea, makeStyles, tokens } from "@fluentui/react-components";
import { useState } from "react";
import { LIMITS } from "../../../src/domain/limits.js";
import type { EarlyWarningView } from "../../../src/contract/early-warning-views.js";
import { useAttempt } from "../api-context.js";
import { ErrorBar } from "./error-bar.js";

const useStyles = makeStyles({
  form: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalS, padding: `${tokens.spacingVerticalS} 0` },
  buttons: { display: "flex", gap: tokens.spacingHorizontalS },
});

const MAX = LIMITS.earlyWarningNoteMaxLength;

export interface EarlyWarningReviewProps {
  firing: EarlyWarningView;
  onReviewed(): void;
  onCancel(): void;
}

export function EarlyWarningReview({ firing, onReviewed, onCancel }: EarlyWarningReviewProps) {
  const styles = useStyles();
  const [note, setNote] = useState("");
  const [missing, setMissing] = useState(false);
  const { attempt, busy, error } = useAttempt();
  const save = async () => {
    // Blank (or only spaces) is refused here as the server would refuse it, without a round trip.
    if (!note.trim()) return setMissing(true);
    const done = await attempt((api) => api.reviewEarlyWarning(firing.pupil.id, firing.id, note.trim()));
    if (done) onReviewed();
  };
  return (
    // noValidate: the browser's own bubble would stop the submit before our message could show.
    <form
      noValidate
      className={styles.form}
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
      data-testid="early-warning-review-form"
    >
      <Field
        label={`Review note for ${firing.pupil.displayName} (up to ${MAX.toLocaleString("en-GB")} characters)`}
        required
        validationState={missing ? "error" : "none"}
        validationMessage={missing ? "Say what was reviewed." : `${note.length.toLocaleString("en-GB")} / ${MAX.toLocaleString("en-GB")}`}
      >
        <Textarea
          value={note}
          maxLength={MAX}
          resize="vertical"
          rows={3}
          onChange={(_, d) => {
            setNote(d.value);
            setMissing(false);
          }}
          data-testid="early-warning-note"
        />
      </Field>
      <div className={styles.buttons}>
        <Button type="submit" appearance="primary" size="small" disabled={busy} data-testid="early-warning-save">
          Save review
        </Button>
        <Button size="small" disabled={busy} onClick={onCancel}>
          Cancel
        </Button>
      </div>
      {error ? <ErrorBar error={error} /> : null}
    </form>
  );
}
