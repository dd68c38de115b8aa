// Running a case after submission, for DSLs and deputies: re-categorise, assign, close, reopen and
// "no further action", each asking for the reason in a dialog, and the record's history of changes
// with the value each one replaced. The record itself is never edited; each change is kept.
import { useState } from "react";
import {
  Button,
  Caption1,
  Checkbox,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  Field,
  Select,
  Subtitle2,
  Text,
  Textarea,
  makeStyles,
  tokens,
} from "@fluentui/react-components";
import { useAttempt, useLoad } from "../api-context.js";
import type { ChangeIncidentBody } from "../../../src/contract/requests.js";
import type { IncidentChangeView, IncidentView } from "../../../src/contract/views.js";
import { formatDateTime } from "../format.js";
import { ErrorBar } from "./error-bar.js";

const useStyles = makeStyles({
  buttons: { display: "flex", flexWrap: "wrap", gap: tokens.spacingHorizontalS },
  history: { listStyleType: "none", margin: 0, padding: 0, display: "flex", flexDirection: "column", gap: tokens.spacingVerticalS },
  form: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalM },
});

type Kind = ChangeIncidentBody["kind"];
const TITLES: Record<Kind, string> = {
  recategorise: "Re-categorise",
  assign: "Assign",
  close: "Close",
  reopen: "Reopen",
  "no-further-action": "No further action",
};

export function IncidentWorkflow({ detail, onChanged }: { detail: IncidentView; onChanged(): void }) {
  const styles = useStyles();
  const [open, setOpen] = useState<Kind>();
  if (!detail.history) return null; // the safeguarding team's only
  const closed = detail.incident.status === "closed";
  const kinds: Kind[] = ["recategorise", "assign", closed ? "reopen" : "close", ...(closed ? [] : (["no-further-action"] as const))];
  return (
    <section aria-labelledby="workflow-title" data-testid="incident-workflow">
      <Subtitle2 as="h3" id="workflow-title">
        Case
      </Subtitle2>
      <div className={styles.buttons}>
        {kinds.map((k) => (
          <Button key={k} onClick={() => setOpen(k)} data-testid={`change-${k}`}>
            {TITLES[k]}
          </Button>
        ))}
      </div>
      {open ? (
        <ChangeDialog
          kind={open}
          detail={detail}
          onClose={() => setOpen(undefined)}
          onChanged={() => {
            setOpen(undefined);
            onChanged();
          }}
        />
      ) : null}
      <Subtitle2 as="h3">History</Subtitle2>
      {detail.history.length === 0 ? (
        <Text>No changes since it was recorded.</Text>
      ) : (
        <ol className={styles.history} data-testid="incident-history">
          {detail.history.map((h) => (
            <HistoryRow key={h.id} change={h} />
          ))}
        </ol>
      )}
    </section>
  );
}

function HistoryRow({ change: h }: { change: IncidentChangeView }) {
  const what: Record<Kind, string> = {
    recategorise: `Re-categorised from ${h.before.categoryNames.join(", ")} to ${h.after.categoryNames.join(", ")}`,
    assign: `${h.before.assigneeName ? `Re-assigned from ${h.before.assigneeName}` : "Assigned"} to ${h.after.assigneeName ?? ""}`,
    close: "Closed",
    reopen: "Reopened",
    "no-further-action": `No further action: ${h.decision ?? ""}`,
  };
  return (
    <li data-testid="history-row">
      <Text weight="semibold">{what[h.kind]}</Text>{" "}
      <Caption1>
        by {h.by.name}, {formatDateTime(h.at)}
      </Caption1>
      <div>
        <Text>Reason: {h.reason}</Text>
      </div>
    </li>
  );
}

function ChangeDialog({ kind, detail, onClose, onChanged }: { kind: Kind; detail: IncidentView; onClose(): void; onChanged(): void }) {
  const styles = useStyles();
  const { attempt, busy, error } = useAttempt();
  const options = useLoad((api, signal) => api.formOptions(signal), []);
  const [reason, setReason] = useState("");
  const [decision, setDecision] = useState("");
  const [categoryIds, setCategoryIds] = useState<string[]>(detail.incident.categoryIds);
  const [assignee, setAssignee] = useState("");
  const version = detail.version ?? 0;

  const body = (): ChangeIncidentBody | undefined => {
    switch (kind) {
      case "recategorise":
        return { kind, reason, version, categoryIds };
      case "assign": {
        const [assigneeKind, id] = assignee.split(":", 2);
        return assigneeKind === "staff" || assigneeKind === "group" ? { kind, reason, version, assignee: { kind: assigneeKind, id } } : undefined;
      }
      case "no-further-action":
        return { kind, reason, version, decision };
      default:
        return { kind, reason, version };
    }
  };
  const save = async () => {
    const request = body();
    if (!request) return;
    const done = await attempt((api) => api.changeIncident(detail.incident.id, request));
    if (done) onChanged();
  };
  return (
    <Dialog
      open
      onOpenChange={(_, d) => {
        if (!d.open) onClose();
      }}
    >
      <DialogSurface aria-describedby={undefined}>
        <DialogBody>
          <DialogTitle>
            {TITLES[kind]} {detail.incident.reference}
          </DialogTitle>
          <DialogContent className={styles.form}>
            {kind === "recategorise" && options.data ? (
              <Field label="Categories">
                {options.data.categories.map((c) => (
                  <Checkbox
                    key={c.id}
                    label={c.name}
                    checked={categoryIds.includes(c.id)}
                    data-testid={`recategorise-${c.id}`}
                    onChange={(_, d) => setCategoryIds((ids) => (d.checked ? [...ids, c.id] : ids.filter((x) => x !== c.id)))}
                  />
                ))}
              </Field>
            ) : null}
            {kind === "assign" && options.data ? (
              <Field label="Assign to">
                <Select value={assignee} onChange={(_, d) => setAssignee(d.value)} data-testid="assign-to">
                  <option value="">Choose…</option>
                  {options.data.alertGroups.map((g) => (
                    <option key={g.id} value={`group:${g.id}`}>
                      {g.name} (group)
                    </option>
                  ))}
                  {options.data.staff.map((s) => (
                    <option key={s.id} value={`staff:${s.id}`}>
                      {s.name}
                    </option>
                  ))}
                </Select>
              </Field>
            ) : null}
            {kind === "no-further-action" ? (
              <Field label="Decision" required>
                <Textarea value={decision} onChange={(_, d) => setDecision(d.value)} data-testid="change-decision" />
              </Field>
            ) : null}
            <Field label="Reason" required hint="Kept with the change in the record's history.">
              <Textarea value={reason} onChange={(_, d) => setReason(d.value)} data-testid="change-reason" />
            </Field>
            {error ? <ErrorBar error={error} /> : null}
          </DialogContent>
          <DialogActions>
            <Button appearance="secondary" onClick={onClose}>
              Cancel
            </Button>
            <Button appearance="primary" onClick={save} disabled={busy || !reason.trim()} data-testid="change-save">
              {busy ? "Saving…" : TITLES[kind]}
            </Button>
          </DialogActions>
        </DialogBody>
      </DialogSurface>
    </Dialog>
  );
}
