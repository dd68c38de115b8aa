// The governors' and Ofsted summary in the Reports page: a term or school year, counts only, with
// counts of 1-2 shown as "fewer than 3" and others "hidden" where the total would give one away
// (the server never sends their numbers; each section says when), a school year's added up from
// its terms' (hidden or a range where a term's is), the rule said in plain words, and a PDF to
// take to the meeting.
import { useState } from "react";
import {
  Button,
  Caption1,
  Field,
  Select,
  Subtitle2,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Text,
} from "@fluentui/react-components";
import { ArrowDownloadRegular } from "@fluentui/react-icons";
import { useAttempt, useLoad } from "../api-context.js";
import { saveBlob } from "../save-blob.js";
import { ErrorBar } from "./error-bar.js";
import { UkDateInput } from "./uk-date-input.js";

export function GovernorsSummaryView() {
  const [period, setPeriod] = useState<"term" | "schoolYear">("term");
  const [date, setDate] = useState(() => new Date().toISOString().slice(0, 10));
  const { data, error } = useLoad((api, signal) => api.governorsSummary({ period, date }, signal), [period, date]);
  const { attempt, busy, error: downloadError } = useAttempt();
  const download = async () => {
    const blob = await attempt((api) => api.governorsSummaryPdf({ period, date }));
    if (blob && data) saveBlob(blob, `safeguarding-summary-${data.from}-to-${data.to}.pdf`);
  };
  return (
    <section aria-labelledby="summary-title" data-testid="governors-summary">
      <Subtitle2 as="h2" id="summary-title">
        Summary for governors and Ofsted
      </Subtitle2>
      <div role="group" aria-label="Summary period">
        <Field label="Period">
          <Select value={period} onChange={(_, d) => setPeriod(d.value === "schoolYear" ? "schoolYear" : "term")} data-testid="summary-period">
            <option value="term">Term</option>
            <option value="schoolYear">School year</option>
          </Select>
        </Field>
        <Field label="A day in it">
          <UkDateInput value={date} onChange={(v) => v && setDate(v)} />
        </Field>
        <Button icon={<ArrowDownloadRegular />} onClick={() => void download()} disabled={busy || !data} data-testid="summary-pdf">
          Download PDF
        </Button>
      </div>
      {error ? <ErrorBar error={error} /> : null}
      {downloadError ? <ErrorBar error={downloadError} /> : null}
      {data ? (
        <>
          <Text as="p">
            {data.period}: {data.total.shown} concerns recorded ({data.open.shown} still open); {data.previous.period}: {data.previous.total.shown}.
          </Text>
          <Caption1 as="p" data-testid="summary-rule">
            {data.rule}
          </Caption1>
          {data.sections.map((s) => (
            <div key={s.title}>
              <Table aria-label={s.title} size="small">
                <TableHeader>
                  <TableRow>
                    <TableHeaderCell>{s.title}</TableHeaderCell>
                    <TableHeaderCell>Concerns</TableHeaderCell>
                  </TableRow>
                </TableHeader>
                <TableBody>
                  {s.rows.map((r) => (
                    <TableRow key={r.label}>
                      <TableCell>{r.label}</TableCell>
                      <TableCell>{r.count.shown}</TableCell>
                    </TableRow>
                  ))}
                </TableBody>
              </Table>
              {s.note ? <Caption1 as="p">{s.note}</Caption1> : null}
            </div>
          ))}
        </>
      ) : null}
    </section>
  );
}
