// The files kept with an incident. A plain link could not carry the bearer token, so each file
// is fetched with it and handed to the browser as a blob URL, which is revoked straight after.
import { saveBlob } from "../save-blob.js";
import { useState } from "react";
import { Button, Caption1, makeStyles, tokens } from "@fluentui/react-components";
import { ArrowDownloadRegular } from "@fluentui/react-icons";
import { useAttempt } from "../api-context.js";
import type { IncidentFile } from "../../../src/contract/views.js";
import { formatBytes } from "../format.js";
import { ErrorBar } from "./error-bar.js";

const useStyles = makeStyles({
  list: { listStyleType: "none", margin: 0, padding: 0, display: "flex", flexDirection: "column", gap: tokens.spacingVerticalXS },
  row: { display: "flex", flexWrap: "wrap", alignItems: "center", gap: tokens.spacingHorizontalS },
});

export function IncidentFiles({ files }: { files: IncidentFile[] }) {
  const styles = useStyles();
  const { attempt, busy, error } = useAttempt();
  const [fetching, setFetching] = useState<string>();

  const download = async (file: IncidentFile) => {
    setFetching(file.fileId);
    await attempt(async (api) => {
      saveBlob(await api.downloadFile(file.downloadUrl), file.name);
    });
  };

  return (
    <>
      <ul className={styles.list}>
        {files.map((file) => (
          <li key={file.fileId} className={styles.row} data-testid="incident-file">
            <Button
              appearance="transparent"
              size="small"
              icon={<ArrowDownloadRegular />}
              disabled={busy && fetching === file.fileId}
              onClick={() => void download(file)}
              data-testid="incident-file-download"
            >
              {file.name}
            </Button>
            <Caption1>
              {file.typeLabel} · {formatBytes(file.size)} · uploaded by {file.uploadedBy.name}
              {file.writtenBy ? ` · written by ${file.writtenBy}` : ""}
            </Caption1>
          </li>
        ))}
      </ul>
      {error ? <ErrorBar error={error} /> : null}
    </>
  );
}
