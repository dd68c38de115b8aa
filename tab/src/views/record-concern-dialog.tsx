// "Record a concern" in a Teams dialog opened from the tab: the same form as the bot's card,
// sent to POST /api/incidents (the same command). Nothing typed is lost when the server finds
// a problem: each problem is shown beside its input. On success the reference is shown, and
// "Done" hands {incidentId, reference} back to the tab with dialog.url.submit, closing the dialog.
import { useRef, useState } from "react";
import {
  Button,
  Caption1,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  Spinner,
  Subtitle1,
  Subtitle2,
  makeStyles,
  tokens,
} from "@fluentui/react-components";
import { dialog } from "@microsoft/teams-js";
import { useApi, useLoad } from "../api-context.js";
import { ApiError, StepUpRequiredError } from "../api-client.js";
import type { FormOptions, MeView, UploadedFile } from "../../../src/contract/views.js";
import { checkBeforeSending, errorsFrom, newConcernForm, toIncidentInput, type ConcernForm, type FieldErrors } from "../concern-form.js";
import { formatBytes } from "../format.js";
import { BodyMapEditor } from "./body-map-editor.js";
import { DisclosureAndAllegation, LinkedPupils, NextSteps, PupilAndCategories, WhenWhereWhat, At } from "./concern-form-fields.js";
import { ErrorBar } from "./error-bar.js";
import { ErrorSummary, type NamedProblem } from "./error-summary.js";
import { concernProblemLabel } from "../../../src/domain/concern-form/problem-labels.js";
import { CONCERN_FORM } from "../../../src/domain/concern-form/standard-form.js";

const FILES_LABEL = "Files (letters, notes, reports, photos)";

/** The dialog's own inputs beyond the model's fields, by the labels shown on them. */
const DIALOG_LABELS = new Map([
  ["bodyMap", "Body map"],
  ["files", "Files"],
]);
/** Problems shown at another field's input: a sub-category's at the categories. */
const SHOWN_AT = new Map([["subCategoryIds", "categoryIds"]]);

/** Each problem named by its field's label in the one concern-form model (or the dialog's own). */
function concernProblems(errors: FieldErrors, options: FormOptions): NamedProblem[] {
  return Object.entries(errors).map(([field, message]) => ({
    field,
    target: SHOWN_AT.get(field),
    label: concernProblemLabel(CONCERN_FORM, options.categories, field) ?? DIALOG_LABELS.get(field),
    message,
  }));
}

const useStyles = makeStyles({
  root: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalM, padding: tokens.spacingHorizontalL, maxWidth: "880px" },
  footer: { display: "flex", gap: tokens.spacingHorizontalM, alignItems: "center", flexWrap: "wrap" },
  files: { listStyleType: "none", margin: 0, padding: 0 },
});

export function RecordConcernDialog() {
  const me = useLoad((api, signal) => api.me(signal), []);
  const options = useLoad((api, signal) => api.formOptions(signal), []);
  if (me.loading || options.loading) return <Spinner label="Opening the form…" style={{ paddingTop: "10vh" }} />;
  if (me.error || options.error || !options.data) return <ErrorBar error={me.error ?? options.error ?? new Error("No form")} />;
  return <ConcernFormView options={options.data} me={me.data} />;
}

function ConcernFormView({ options, me }: { options: FormOptions; me?: MeView }) {
  const styles = useStyles();
  const { api, onStepUpRequired } = useApi();
  const [form, setForm] = useState<ConcernForm>(() => newConcernForm(options));
  const [errors, setErrors] = useState<FieldErrors>({});
  const [problem, setProblem] = useState<Error>();
  const [busy, setBusy] = useState(false);
  // Counts the submits, so each one that finds problems moves focus to the first of them.
  const [attempts, setAttempts] = useState(0);
  const [files, setFiles] = useState<UploadedFile[]>([]);
  const [uploading, setUploading] = useState(0);
  const [recorded, setRecorded] = useState<{ id: string; reference: string }>();
  // The server's clock decides what "the future" is; the browser's may be off.
  const offset = useRef(new Date(options.now).getTime() - Date.now()).current;
  const update = (change: Partial<ConcernForm>) => setForm((f) => ({ ...f, ...change }));
  const caught = (error: unknown) => {
    if (error instanceof StepUpRequiredError) onStepUpRequired(error);
    return error instanceof Error ? error : new Error(String(error));
  };

  const upload = async (list: FileList | null) => {
    for (const file of Array.from(list ?? [])) {
      setUploading((n) => n + 1);
      try {
        const stored = await api.uploadFile(form.submissionId, file, file.name);
        setFiles((f) => [...f, stored]);
        setErrors(({ files: _, ...rest }) => rest);
      } catch (error) {
        setErrors((e) => ({ ...e, files: `${file.name}: ${caught(error).message}` }));
      } finally {
        setUploading((n) => n - 1);
      }
    }
  };

  const submit = async () => {
    setProblem(undefined);
    setAttempts((n) => n + 1);
    const early = checkBeforeSending(form, options, offset);
    setErrors(early);
    if (Object.keys(early).length) return;
    setBusy(true);
    try {
      const { incident } = await api.recordIncident(toIncidentInput(form, options, me?.role));
      setRecorded(incident);
    } catch (error) {
      const e = caught(error);
      if (e instanceof ApiError && e.fields.length) setErrors(errorsFrom(e.fields));
      else setProblem(e);
    } finally {
      setBusy(false);
      setAttempts((n) => n + 1);
    }
  };

  if (recorded) {
    return (
      <div className={styles.root} data-testid="concern-recorded">
        <MessageBar intent="success">
          <MessageBarBody>
            <MessageBarTitle>
              Concern recorded: <span data-testid="concern-reference">{recorded.reference}</span>
            </MessageBarTitle>
            It cannot be edited now. If something in it is wrong, tell a DSL, who will add a correcting action.
          </MessageBarBody>
        </MessageBar>
        <div className={styles.footer}>
          <Button
            appearance="primary"
            data-testid="concern-done"
            onClick={() => dialog.url.submit({ incidentId: recorded.id, reference: recorded.reference })}
          >
            Done: open the record
          </Button>
        </div>
      </div>
    );
  }

  const props = { form, options, role: me?.role, errors, update };
  return (
    <form
      className={styles.root}
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
      noValidate
      data-testid="concern-form"
    >
      <Subtitle1 as="h1">Record a concern</Subtitle1>
      <Caption1>The record cannot be edited once you submit it. Everything marked * is needed.</Caption1>
      <ErrorSummary problems={concernProblems(errors, options)} attempt={attempts} testId="concern-errors" />
      <PupilAndCategories {...props} />
      <WhenWhereWhat {...props} />
      <LinkedPupils {...props} />
      <DisclosureAndAllegation {...props} />
      <section>
        <Subtitle2 as="h3">Body map (optional)</Subtitle2>
        <Caption1>For marks that may be a child-protection concern, not first aid.</Caption1>
        <At group name="bodyMap" errors={errors}>
          <BodyMapEditor marks={form.marks} onChange={(marks) => update({ marks })} />
        </At>
      </section>
      <section>
        <At name="files" label={FILES_LABEL} hint="PDF, PNG, JPEG, HEIC, Word (.docx) or plain text, up to 10 files." errors={errors}>
          <input
            type="file"
            multiple
            // A native input gets no label from Fluent's Field, so it is named here (axe: label).
            aria-label={FILES_LABEL}
            onChange={(e) => {
              void upload(e.currentTarget.files);
              e.currentTarget.value = "";
            }}
            data-testid="concern-file-input"
          />
        </At>
        {uploading ? <Spinner size="tiny" label="Uploading…" /> : null}
        <ul className={styles.files}>
          {files.map((f) => (
            <li key={f.fileId} data-testid="concern-file">
              {f.name} · {formatBytes(f.size)}
            </li>
          ))}
        </ul>
      </section>
      <NextSteps {...props} />
      {problem ? <ErrorBar error={problem} /> : null}
      <div className={styles.footer}>
        <Button appearance="primary" type="submit" disabled={busy || uploading > 0} data-testid="concern-submit">
          {busy ? "Submitting…" : "Submit concern"}
        </Button>
        <Caption1>Submitting alerts the people chosen; they are told who raised it and its category, nothing else.</Caption1>
      </div>
    </form>
  );
}
