// "Download PDF" on a pupil's chronology (DSL and deputies): the export with the filters on screen,
// fetched with the bearer token and handed to the browser as a download, as the reports' CSV is.
import { Button, Caption1 } from "@fluentui/react-components";
import { ArrowDownloadRegular } from "@fluentui/react-icons";
import { useAttempt } from "../api-context.js";
import { chronologyExportQuery, filtersNotInExport } from "../chronology-export.js";
import type { ChronologyFilters } from "../chronology-filters.js";
import { saveBlob } from "../save-blob.js";
import { ErrorBar } from "./error-bar.js";

export interface ChronologyPdfButtonProps {
  pupilId: string;
  dateOfBirth: string;
  filters: ChronologyFilters;
}

export function ChronologyPdfButton({ pupilId, dateOfBirth, filters }: ChronologyPdfButtonProps) {
  const { attempt, busy, error } = useAttempt();
  const download = async () => {
    const query = chronologyExportQuery(filters, dateOfBirth);
    const pdf = await attempt((api) => api.chronologyPdf(pupilId, query));
    if (pdf) saveBlob(pdf, `chronology-${query.from}-to-${query.to}.pdf`);
  };
  return (
    <>
      <Button icon={<ArrowDownloadRegular />} disabled={busy} onClick={() => void download()} data-testid="chronology-pdf">
        Download PDF
      </Button>
      {filtersNotInExport(filters) ? (
        <Caption1 data-testid="chronology-pdf-note">
          The PDF holds the period, category and type chosen, whoever recorded them and whatever their status.
        </Caption1>
      ) : null}
      {error ? <ErrorBar error={error} /> : null}
    </>
  );
}
