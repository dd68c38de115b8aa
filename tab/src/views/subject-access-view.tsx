// Subject access requests for the safeguarding team: open one (who asked, their relationship, the
// pupil, the day it arrived), see each request's deadline (one calendar month, three once extended,
// flagged as it nears), extend it, and open its pack to redact, approve and download.
import { useState } from "react";
import {
  Badge,
  Button,
  Field,
  Input,
  Select,
  Subtitle2,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Title3,
  makeStyles,
  tokens,
} from "@fluentui/react-components";
import { SAR_RELATIONSHIPS, type SarRelationship } from "../../../src/domain/subject-access.js";
import type { PupilSummary } from "../../../src/contract/views.js";
import type { SarRequestView } from "../../../src/contract/subject-access-views.js";
import { useAttempt, useLoad } from "../api-context.js";
import { ErrorBar } from "./error-bar.js";
import { PupilPicker } from "./pupil-picker.js";
import { SubjectAccessPack } from "./subject-access-pack.js";
import { UkDateInput } from "./uk-date-input.js";
import { useStackedTableStyles } from "./stacked-table.js";

const useStyles = makeStyles({
  form: { display: "flex", flexWrap: "wrap", gap: tokens.spacingHorizontalM, alignItems: "end", marginBlockEnd: tokens.spacingVerticalL },
});

const deadlineBadge = (r: SarRequestView) =>
  r.status === "released" ? (
    <Badge appearance="tint" color="success">
      Released
    </Badge>
  ) : r.daysLeft < 0 ? (
    <Badge appearance="filled" color="danger">
      Overdue by {-r.daysLeft} days
    </Badge>
  ) : r.dueSoon ? (
    <Badge appearance="filled" color="warning">
      Due in {r.daysLeft} days
    </Badge>
  ) : (
    <Badge appearance="tint">{r.daysLeft} days left</Badge>
  );

export function SubjectAccessView() {
  const stacked = useStackedTableStyles();
  const styles = useStyles();
  const [generation, setGeneration] = useState(0);
  const [open, setOpen] = useState<string>();
  const { data, error } = useLoad((api, signal) => api.subjectAccessRequests(signal), [generation]);
  const { attempt, busy, error: actionError } = useAttempt();
  const [pupil, setPupil] = useState<PupilSummary>();
  const [requester, setRequester] = useState("");
  const [relationship, setRelationship] = useState<SarRelationship>("parent");
  const [receivedOn, setReceivedOn] = useState(() => new Date().toISOString().slice(0, 10));

  const submit = async () => {
    if (!pupil) return;
    const done = await attempt((api) => api.openSubjectAccessRequest({ pupilId: pupil.id, requester, relationship, receivedOn }));
    if (done) {
      setPupil(undefined);
      setRequester("");
      setGeneration((g) => g + 1);
    }
  };
  const extend = async (r: SarRequestView) => {
    const reason = window.prompt("Why is this request complex enough to extend by two months?");
    if (reason && (await attempt((api) => api.extendSubjectAccessRequest(r.id, reason)))) setGeneration((g) => g + 1);
  };

  const chosen = data?.requests.find((r) => r.id === open);
  if (chosen)
    return (
      <SubjectAccessPack
        request={chosen}
        onBack={() => {
          setOpen(undefined);
          setGeneration((g) => g + 1);
        }}
      />
    );

  return (
    <section aria-labelledby="sar-title" data-testid="subject-access">
      <Title3 as="h2" id="sar-title">
        Subject access requests
      </Title3>
      <form
        className={styles.form}
        aria-label="Open a subject access request"
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <Field label="Pupil" required>
          <PupilPicker value={pupil} onChange={setPupil} testId="sar-pupil" placeholder="Type the pupil's name" />
        </Field>
        <Field label="Requested by" required>
          <Input value={requester} onChange={(_, d) => setRequester(d.value)} data-testid="sar-requester" />
        </Field>
        <Field label="Relationship to the pupil">
          <Select value={relationship} onChange={(_, d) => setRelationship(d.value as SarRelationship)} data-testid="sar-relationship">
            {SAR_RELATIONSHIPS.map((r) => (
              <option key={r} value={r}>
                {r}
              </option>
            ))}
          </Select>
        </Field>
        <Field label="Received on" required>
          <UkDateInput value={receivedOn} onChange={setReceivedOn} data-testid="sar-received" />
        </Field>
        <Button appearance="primary" type="submit" disabled={!pupil || !requester.trim() || busy} data-testid="sar-open">
          Open request
        </Button>
      </form>
      {error ? <ErrorBar error={error} /> : null}
      {actionError ? <ErrorBar error={actionError} /> : null}
      <Subtitle2 as="h3">Requests</Subtitle2>
      <Table className={stacked.table} aria-label="Subject access requests" data-testid="sar-list">
        <TableHeader>
          <TableRow>
            {["Pupil", "Requested by", "Received", "Deadline", "", ""].map((h, i) => (
              <TableHeaderCell key={i}>{h}</TableHeaderCell>
            ))}
          </TableRow>
        </TableHeader>
        <TableBody>
          {(data?.requests ?? []).map((r) => (
            <TableRow key={r.id}>
              <TableCell>{r.pupil.displayName}</TableCell>
              <TableCell>
                {r.requester} ({r.relationship})
              </TableCell>
              <TableCell>{r.receivedOn}</TableCell>
              <TableCell>
                {r.deadline}
                {r.extended ? " (extended)" : ""} {deadlineBadge(r)}
              </TableCell>
              <TableCell>
                {r.extended || r.status === "released" ? null : (
                  <Button size="small" onClick={() => void extend(r)}>
                    Extend
                  </Button>
                )}
              </TableCell>
              <TableCell>
                <Button size="small" appearance="primary" onClick={() => setOpen(r.id)} data-testid="sar-open-pack">
                  Pack
                </Button>
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </section>
  );
}
