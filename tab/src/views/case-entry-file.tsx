// The file on a document's chronology row (or a meeting's papers): its name, type, who uploaded it
// and when, and a download fetched with the bearer token (a plain link could not carry it).
import { Button, Caption1, makeStyles, tokens } from "@fluentui/react-components";
import { ArrowDownloadRegular } from "@fluentui/react-icons";
import type { ChronologyRow } from "../../../src/contract/views.js";
import { useAttempt } from "../api-context.js";
import { formatBytes, formatDateTime } from "../format.js";
import { saveBlob } from "../save-blob.js";
import { ErrorBar } from "./error-bar.js";

const useStyles = makeStyles({ file: { display: "flex", flexWrap: "wrap", alignItems: "center", gap: tokens.spacingHorizontalS } });

export function CaseEntryFile({ entry, pupilId }: { entry: ChronologyRow; pupilId: string }) {
  const styles = useStyles();
  const { attempt, busy, error } = useAttempt();
  const file = entry.file;
  if (!file || !entry.caseEntryId) return null;
  const download = () =>
    attempt(async (api) => {
      saveBlob(await api.caseEntryFile(pupilId, entry.caseEntryId!), file.name);
    });
  return (
    <span className={styles.file} data-testid="case-entry-file-row">
      <Button
        appearance="transparent"
        size="small"
        icon={<ArrowDownloadRegular />}
        disabled={busy}
        onClick={(e) => {
          e.stopPropagation();
          void download();
        }}
        data-testid="case-entry-file-download"
      >
        {file.name}
      </Button>
      <Caption1 data-testid="case-entry-file-details">
        {entry.documentType ? `${entry.documentType} · ` : ""}
        {file.typeLabel} · {formatBytes(file.size)} · uploaded by {file.uploadedBy.name} on {formatDateTime(file.uploadedAt)}
      </Caption1>
      {error ? <ErrorBar error={error} /> : null}
    </span>
  );
}
