// "Add to chronology" for DSLs and deputies: a menu of the entries that are not concerns (a
// referral, a decision not to refer, a meeting, a phone call, information disclosed, a document),
// each with its own form in a dialog; and "Record outcome" on a referral. Entries are never edited
// once saved. A document (or a meeting's papers) is uploaded first (document-fields.tsx).
import { useState } from "react";
import {
  Button,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  Input,
  Menu,
  MenuButton,
  MenuItem,
  MenuList,
  MenuPopover,
  MenuTrigger,
  Radio,
  RadioGroup,
  Select,
  Textarea,
  makeStyles,
  tokens,
} from "@fluentui/react-components";
import { AddRegular } from "@fluentui/react-icons";
import { CASE_ENTRY_LABELS, NEW_CASE_ENTRY_KINDS } from "../../../src/domain/case-entries.js";
import type { AddCaseEntryBody } from "../../../src/contract/case-entry-requests.js";
import type { CaseEntryOptions } from "../../../src/contract/views.js";
import { useAttempt, useLoad } from "../api-context.js";
import { DocumentFields, FilePicker, useEntryFile } from "./document-fields.js";
import { UkDateInput } from "./uk-date-input.js";
import { At } from "./concern-form-fields.js";
import type { FieldErrors } from "../concern-form.js";
import { CASE_ENTRY_FIELD_LABELS as L, CaseEntryProblems, OUTCOME_FIELD_LABELS, fieldErrorsOf } from "./case-entry-problems.js";

type Kind = (typeof NEW_CASE_ENTRY_KINDS)[number];
type Values = Record<string, string>;

const useStyles = makeStyles({ form: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalM } });

/** "Now" for a datetime-local input, in the browser's own zone (staff type their wall clock). */
const localNow = () => {
  const d = new Date();
  return new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
};
/** An unreadable date goes as "", so the server names the problem beside it. */
const toIso = (local: string) => (local && !Number.isNaN(Date.parse(local)) ? new Date(local).toISOString() : "");

export function AddToChronology({ pupilId, onAdded }: { pupilId: string; onAdded(): void }) {
  const [open, setOpen] = useState<Kind>();
  return (
    <>
      <Menu>
        <MenuTrigger disableButtonEnhancement>
          <MenuButton icon={<AddRegular />} data-testid="add-to-chronology">
            Add to chronology
          </MenuButton>
        </MenuTrigger>
        <MenuPopover>
          <MenuList>
            {NEW_CASE_ENTRY_KINDS.map((k) => (
              <MenuItem key={k} onClick={() => setOpen(k)} data-testid={`add-${k}`}>
                {CASE_ENTRY_LABELS[k]}
              </MenuItem>
            ))}
          </MenuList>
        </MenuPopover>
      </Menu>
      {open ? (
        <CaseEntryDialog
          kind={open}
          pupilId={pupilId}
          onClose={() => setOpen(undefined)}
          onSaved={() => {
            setOpen(undefined);
            onAdded();
          }}
        />
      ) : null}
    </>
  );
}

function body(kind: Kind, v: Values, requestId: string, fileId: string | undefined): AddCaseEntryBody {
  const base = { requestId, occurredAt: toIso(v.occurredAt ?? "") };
  switch (kind) {
    case "referral":
      return { kind, ...base, agencyId: v.agencyId ?? "", contact: v.contact ?? "", ...(v.notes ? { notes: v.notes } : {}) };
    case "no-referral":
      return { kind, ...base, ...(v.agencyId ? { agencyId: v.agencyId } : {}), reason: v.reason ?? "" };
    case "meeting":
      return {
        kind,
        ...base,
        meetingType: (v.meetingType ?? "") as never,
        attendees: v.attendees ?? "",
        notes: v.notes ?? "",
        ...(fileId ? { fileId } : {}),
      };
    case "phone-call":
      return { kind, ...base, who: v.who ?? "", direction: (v.direction ?? "out") as "in" | "out", notes: v.notes ?? "" };
    case "disclosure":
      return { kind, ...base, what: v.what ?? "", to: v.to ?? "", authority: v.authority ?? "" };
    case "document":
      // The document's own date: midnight UTC of that day, so today's letter is never "in the future".
      return {
        kind,
        ...base,
        occurredAt: toIso((v.occurredAt ?? "").slice(0, 10)),
        title: v.title ?? "",
        documentType: (v.documentType ?? "") as never,
        ...(v.note ? { note: v.note } : {}),
        fileId: fileId ?? "",
      };
  }
}

function CaseEntryDialog({ kind, pupilId, onClose, onSaved }: { kind: Kind; pupilId: string; onClose(): void; onSaved(): void }) {
  const styles = useStyles();
  const options = useLoad((api, signal) => api.caseEntryOptions(signal), []);
  const { attempt, busy, error } = useAttempt();
  const [requestId] = useState(() => `tab-${crypto.randomUUID()}`);
  const [v, setV] = useState<Values>(() => ({ occurredAt: localNow(), direction: "out" }));
  const set = (name: string) => (_: unknown, d: { value: string }) => setV((old) => ({ ...old, [name]: d.value }));
  const entryFile = useEntryFile(requestId);
  const save = async () => {
    if (await attempt(async (api) => api.addCaseEntry(pupilId, body(kind, v, requestId, await entryFile.fileId(api))))) onSaved();
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
          <DialogTitle>{CASE_ENTRY_LABELS[kind]}</DialogTitle>
          <DialogContent className={styles.form} data-testid="case-entry-form">
            <CaseEntryProblems error={error} labels={L} />
            <EntryFields kind={kind} v={v} set={set} options={options.data} errors={fieldErrorsOf(error)} />
            {kind === "document" || kind === "meeting" ? (
              <FilePicker
                label={kind === "document" ? L.fileId : "Minutes or papers (optional)"}
                required={kind === "document"}
                file={entryFile.file}
                choose={entryFile.choose}
              />
            ) : null}
          </DialogContent>
          <DialogActions>
            <Button appearance="secondary" onClick={onClose}>
              Cancel
            </Button>
            <Button appearance="primary" onClick={save} disabled={busy} data-testid="case-entry-save">
              {busy ? "Saving…" : "Save"}
            </Button>
          </DialogActions>
        </DialogBody>
      </DialogSurface>
    </Dialog>
  );
}

type Setter = (name: string) => (_: unknown, d: { value: string }) => void;

function EntryFields({ kind, v, set, options, errors }: { kind: Kind; v: Values; set: Setter; options?: CaseEntryOptions; errors: FieldErrors }) {
  const text = (name: keyof typeof L, long = false) => (
    <At name={name} label={L[name]} required errors={errors}>
      {long ? (
        <Textarea value={v[name] ?? ""} onChange={set(name)} data-testid={`case-entry-${name}`} resize="vertical" />
      ) : (
        <Input value={v[name] ?? ""} onChange={set(name)} data-testid={`case-entry-${name}`} />
      )}
    </At>
  );
  const agency = (required: boolean) => (
    <At name="agencyId" label={required ? L.agencyId : `${L.agencyId} considered (optional)`} required={required} errors={errors}>
      <Select value={v.agencyId ?? ""} onChange={set("agencyId")} data-testid="case-entry-agencyId">
        <option value="">Choose…</option>
        {options?.agencies.map((a) => (
          <option key={a.id} value={a.id}>
            {a.name} (answer expected in {a.responseDays} school {a.responseDays === 1 ? "day" : "days"})
          </option>
        ))}
      </Select>
    </At>
  );
  return (
    <>
      {kind === "document" ? (
        <At name="occurredAt" label="Date of the document" required errors={errors}>
          <UkDateInput
            value={(v.occurredAt ?? "").slice(0, 10)}
            onChange={(day) => set("occurredAt")(undefined, { value: day })}
            data-testid="case-entry-occurredAt"
          />
        </At>
      ) : (
        <At name="occurredAt" label={L.occurredAt} required errors={errors}>
          <Input type="datetime-local" value={v.occurredAt ?? ""} onChange={set("occurredAt")} data-testid="case-entry-occurredAt" />
        </At>
      )}
      {kind === "document" ? <DocumentFields v={v} set={set} documentTypes={options?.documentTypes} errors={errors} /> : null}
      {kind === "referral" ? (
        <>
          {agency(true)}
          {text("contact")}
          <At name="notes" label={`${L.notes} (optional)`} errors={errors}>
            <Textarea value={v.notes ?? ""} onChange={set("notes")} data-testid="case-entry-notes" />
          </At>
        </>
      ) : null}
      {kind === "no-referral" ? (
        <>
          {agency(false)}
          {text("reason", true)}
        </>
      ) : null}
      {kind === "meeting" ? (
        <>
          <At name="meetingType" label={L.meetingType} required errors={errors}>
            <Select value={v.meetingType ?? ""} onChange={set("meetingType")} data-testid="case-entry-meetingType">
              <option value="">Choose…</option>
              {options?.meetingTypes.map((t) => (
                <option key={t} value={t}>
                  {t}
                </option>
              ))}
            </Select>
          </At>
          {text("attendees", true)}
          {text("notes", true)}
        </>
      ) : null}
      {kind === "phone-call" ? (
        <>
          {text("who")}
          <At name="direction" label={L.direction} required errors={errors}>
            <RadioGroup value={v.direction ?? "out"} onChange={set("direction")} layout="horizontal">
              <Radio value="out" label="Made (out)" />
              <Radio value="in" label="Received (in)" />
            </RadioGroup>
          </At>
          {text("notes", true)}
        </>
      ) : null}
      {kind === "disclosure" ? (
        <>
          {text("what", true)}
          {text("to")}
          {text("authority")}
        </>
      ) : null}
    </>
  );
}

export function RecordOutcome({ pupilId, referralId, onSaved }: { pupilId: string; referralId: string; onSaved(): void }) {
  const styles = useStyles();
  const [open, setOpen] = useState(false);
  const { attempt, busy, error } = useAttempt();
  const [outcome, setOutcome] = useState("");
  const [when, setWhen] = useState(localNow);
  const save = async () => {
    if (await attempt((api) => api.recordReferralOutcome(pupilId, referralId, { outcome, occurredAt: toIso(when) }))) {
      setOpen(false);
      onSaved();
    }
  };
  return (
    <>
      <Button
        size="small"
        onClick={(e) => {
          e.stopPropagation();
          setOpen(true);
        }}
        data-testid="record-outcome"
      >
        Record outcome
      </Button>
      {open ? (
        <Dialog open onOpenChange={(_, d) => setOpen(d.open)}>
          <DialogSurface aria-describedby={undefined}>
            <DialogBody>
              <DialogTitle>Record the referral's outcome</DialogTitle>
              <DialogContent className={styles.form}>
                <CaseEntryProblems error={error} labels={OUTCOME_FIELD_LABELS} />
                <At name="occurredAt" label={OUTCOME_FIELD_LABELS.occurredAt} required errors={fieldErrorsOf(error)}>
                  <Input type="datetime-local" value={when} onChange={(_, d) => setWhen(d.value)} data-testid="outcome-occurredAt" />
                </At>
                <At name="outcome" label={OUTCOME_FIELD_LABELS.outcome} required errors={fieldErrorsOf(error)}>
                  <Textarea value={outcome} onChange={(_, d) => setOutcome(d.value)} data-testid="outcome-text" />
                </At>
              </DialogContent>
              <DialogActions>
                <Button appearance="secondary" onClick={() => setOpen(false)}>
                  Cancel
                </Button>
                <Button appearance="primary" onClick={save} disabled={busy || !outcome.trim()} data-testid="outcome-save">
                  {busy ? "Saving…" : "Save outcome"}
                </Button>
              </DialogActions>
            </DialogBody>
          </DialogSurface>
        </Dialog>
      ) : null}
    </>
  );
}
