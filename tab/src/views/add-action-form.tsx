// "Add action" under an incident, for anyone who can read it: what was done or agreed, when,
// whether it is a correction, and who to tag. The server checks everything (a date in the future,
// someone who may not be told); its problems are shown beside their inputs and nothing typed is lost.
import { TAG_APPROVAL_NOTE } from "../../../src/domain/policy/action.js";
import { useMemo, useRef, useState } from "react";
import {
  Button,
  Caption1,
  Combobox,
  Input,
  Option,
  Radio,
  RadioGroup,
  Tag,
  TagGroup,
  Text,
  Textarea,
  makeStyles,
  tokens,
} from "@fluentui/react-components";
import { ACTION_KINDS } from "../../../src/domain/incident.js";
import { LIMITS } from "../../../src/domain/limits.js";
import { wallClockNow, wallClockToIso } from "../../../src/domain/wall-clock.js";
import { useAttempt } from "../api-context.js";
import { ApiError } from "../api-client.js";
import type { FormOptions, ActionView } from "../../../src/contract/views.js";
import type { AddActionBody } from "../../../src/contract/requests.js";
import type { ActionKind } from "../../../src/domain/incident.js";
import { errorsFrom } from "../concern-form.js";
import { At, useFormStyles } from "./concern-form-fields.js";
import { ErrorBar } from "./error-bar.js";
import { TASK_LABELS, TaskFields, type TaskDraft } from "./task-fields.js";
import { ErrorSummary } from "./error-summary.js";
import { UkDateInput } from "./uk-date-input.js";

export const CORRECTION_HELP = "A correction records a mistake in the incident; the incident itself can never be edited.";

const KIND_LABELS: Record<ActionKind, string> = {
  action: "Action: something done or agreed",
  correction: "Correction",
};

/** The form's inputs by the names the server gives their problems, with the labels shown on them (limits aside). */
const LABELS = {
  text: "What was done or agreed",
  occurredAt: "Date it happened or was agreed",
  occurredTime: "Time",
  kind: "Kind",
  taggedStaffIds: "Tag staff",
} as const;
/** Looked up by the server's field names, so a Map: a name never reaches an object's prototype. */
const LABEL_OF = new Map<string, string>([...Object.entries(LABELS), ...Object.entries(TASK_LABELS)]);

const useStyles = makeStyles({
  form: {
    display: "flex",
    flexDirection: "column",
    gap: tokens.spacingVerticalS,
    padding: tokens.spacingHorizontalM,
    borderRadius: tokens.borderRadiusMedium,
    border: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
  },
  title: { margin: 0 },
  footer: { display: "flex", gap: tokens.spacingHorizontalM, alignItems: "center", flexWrap: "wrap" },
});

interface Draft {
  /** Made once per form, so the same request sent twice (a double click) stores one action. */
  requestId: string;
  text: string;
  date: string;
  time: string;
  kind: ActionKind;
  tagged: string[];
  task: TaskDraft;
}

const blankDraft = (serverNow: Date, timeZone: string): Draft => ({
  requestId: `tab-${crypto.randomUUID()}`,
  text: "",
  ...wallClockNow(serverNow, timeZone),
  kind: "action",
  tagged: [],
  task: { owner: "", dueOn: wallClockNow(serverNow, timeZone).date },
});

export function AddActionForm({ incidentId, options, onAdded }: { incidentId: string; options: FormOptions; onAdded(action: ActionView): void }) {
  const styles = useStyles();
  const formStyles = useFormStyles();
  const { attempt, busy, error } = useAttempt();
  // "Now" is the server's: the browser's clock may be off, and the server decides what is the future.
  const offset = useRef(new Date(options.now).getTime() - Date.now()).current;
  const serverNow = () => new Date(Date.now() + offset);
  const [draft, setDraft] = useState<Draft>(() => blankDraft(serverNow(), options.timeZone));
  const [query, setQuery] = useState("");
  const update = (change: Partial<Draft>) => setDraft((d) => ({ ...d, ...change }));

  const names = useMemo(() => new Map(options.staff.map((s) => [s.id, s.name])), [options.staff]);
  const wanted = query.trim().toLowerCase();
  const matches = options.staff.filter((s) => !wanted || s.name.toLowerCase().includes(wanted));
  const fields = error instanceof ApiError ? error.fields : [];
  const errors = errorsFrom(fields);
  // Each problem by its input's label; one with no input here (say, the record itself) by its message alone.
  const problems = fields.map((f) => ({ ...f, label: LABEL_OF.get(f.field) }));

  const submit = async () => {
    const request: AddActionBody = {
      requestId: draft.requestId,
      text: draft.text,
      // An unreadable date goes as "", so the server names the problem beside the date.
      occurredAt: wallClockToIso(draft.date, draft.time, options.timeZone) ?? "",
      taggedStaffIds: draft.tagged,
      kind: draft.kind,
      ...(draft.task.owner ? { task: { ownerStaffId: draft.task.owner, dueOn: draft.task.dueOn } } : {}),
    };
    const action = await attempt((api) => api.addAction(incidentId, request));
    if (!action) return;
    onAdded(action);
    setDraft(blankDraft(serverNow(), options.timeZone));
    setQuery("");
  };

  return (
    <form
      className={styles.form}
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
      noValidate
      data-testid="add-action-form"
      aria-labelledby="add-action-title"
    >
      <Text as="h4" id="add-action-title" weight="semibold" className={styles.title}>
        Add action
      </Text>
      <Caption1>Log what has happened or been agreed: a follow-up, an outcome, or a correction.</Caption1>
      <ErrorSummary problems={problems} attempt={error} testId="add-action-errors" />
      <At
        name="text"
        required
        errors={errors}
        label={`${LABELS.text} (up to ${LIMITS.actionMaxLength.toLocaleString("en-GB")} characters)`}
        hint={`${draft.text.length.toLocaleString("en-GB")} / ${LIMITS.actionMaxLength.toLocaleString("en-GB")}`}
      >
        <Textarea
          value={draft.text}
          maxLength={LIMITS.actionMaxLength}
          resize="vertical"
          rows={3}
          onChange={(_, d) => update({ text: d.value })}
          data-testid="add-action-text"
        />
      </At>
      <div className={formStyles.row}>
        <At name="occurredAt" label={LABELS.occurredAt} required errors={errors}>
          <UkDateInput value={draft.date} onChange={(v) => update({ date: v })} data-testid="add-action-date" />
        </At>
        <At name="occurredTime" label={`${LABELS.occurredTime} (${options.timeZone})`} required errors={errors}>
          <Input type="time" value={draft.time} onChange={(_, d) => update({ time: d.value })} data-testid="add-action-time" />
        </At>
      </div>
      <At name="kind" label={LABELS.kind} hint={CORRECTION_HELP} errors={errors}>
        <RadioGroup layout="horizontal" value={draft.kind} onChange={(_, d) => update({ kind: d.value as ActionKind })} data-testid="add-action-kind">
          {ACTION_KINDS.map((k) => (
            <Radio key={k} value={k} label={KIND_LABELS[k]} />
          ))}
        </RadioGroup>
      </At>
      <At
        name="taggedStaffIds"
        label={`${LABELS.taggedStaffIds} (optional)`}
        hint={`They are alerted that you added an action (who and the categories, nothing else) and can then read this record. ${TAG_APPROVAL_NOTE}`}
        errors={errors}
      >
        {/* inlinePopup: a portalled listbox never appears under React 19's StrictMode (microsoft/fluentui#34323). */}
        <Combobox
          multiselect
          inlinePopup
          placeholder="Type a name"
          value={query}
          selectedOptions={draft.tagged}
          onChange={(e) => setQuery(e.target.value)}
          onOptionSelect={(_, d) => {
            update({ tagged: d.selectedOptions });
            setQuery("");
          }}
          data-testid="add-action-tag"
        >
          {matches.map((s) => (
            <Option key={s.id} value={s.id} text={s.name} data-testid="add-action-tag-option">{`${s.name} (${s.role})`}</Option>
          ))}
        </Combobox>
      </At>
      {draft.tagged.length ? (
        <TagGroup
          aria-label="Tagged staff"
          data-testid="add-action-tagged"
          onDismiss={(_, d) => update({ tagged: draft.tagged.filter((id) => id !== d.value) })}
        >
          {draft.tagged.map((id) => (
            <Tag key={id} value={id} size="small" dismissible dismissIcon={{ "aria-label": `Remove ${names.get(id) ?? "this person"}` }}>
              {names.get(id) ?? "Former member of staff"}
            </Tag>
          ))}
        </TagGroup>
      ) : null}
      <TaskFields value={draft.task} onChange={(change) => update({ task: { ...draft.task, ...change } })} options={options} errors={errors} />
      {error && !fields.length ? <ErrorBar error={error} /> : null}
      <div className={styles.footer}>
        <Button appearance="primary" type="submit" disabled={busy} data-testid="add-action-submit">
          {busy ? "Adding…" : "Add action"}
        </Button>
        <Caption1>An action cannot be edited once added: a later correction can put it right.</Caption1>
      </div>
    </form>
  );
}
