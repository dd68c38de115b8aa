// The concern form's sections, rendered from the concern-form model (src/domain/concern-form) that
// the bot's card renders too: each field's label, limit, choices and guidance come from it. Every
// input shows its own problem (from the server or the checks before sending) beside it.
import type { ReactElement, ReactNode } from "react";
import {
  Caption1,
  Checkbox,
  Field,
  FieldContextProvider,
  Input,
  Radio,
  RadioGroup,
  Select,
  Subtitle2,
  Textarea,
  makeStyles,
  tokens,
} from "@fluentui/react-components";
import type { FormOptions, Role } from "../../../src/contract/views.js";
import { CONCERN_FIELDS as F, mustAskToldDsl, type ConcernForm, type FieldErrors } from "../concern-form.js";
import { canBeAssigned } from "../../../src/domain/policy/form.js";
import {
  alertApprovalNote,
  categoryFieldInput,
  labelOf,
  subCategoryInput,
  type ConcernFormField,
  type ConcernFormModel,
} from "../../../src/domain/concern-form/model.js";
import { CONCERN_FORM } from "../../../src/domain/concern-form/standard-form.js";
import { PupilPicker } from "./pupil-picker.js";
import { UkDateInput } from "./uk-date-input.js";

export const useFormStyles = makeStyles({
  section: {
    display: "flex",
    flexDirection: "column",
    gap: tokens.spacingVerticalS,
    paddingBottom: tokens.spacingVerticalM,
    borderBottom: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
  },
  // Top-aligned, so a problem shown under one input does not shift its neighbours.
  row: { display: "flex", flexWrap: "wrap", alignItems: "flex-start", gap: tokens.spacingHorizontalM, "& > *": { flex: "1 1 180px" } },
  choices: { display: "flex", flexWrap: "wrap", columnGap: tokens.spacingHorizontalM },
  category: { paddingLeft: tokens.spacingHorizontalL, display: "flex", flexDirection: "column", gap: tokens.spacingVerticalXS },
});

export interface SectionProps {
  form: ConcernForm;
  options: FormOptions;
  role?: Role;
  errors: FieldErrors;
  update(change: Partial<ConcernForm>): void;
  /** The form described once; the standard one unless told. */
  model?: ConcernFormModel;
}

/**
 * A Field that shows the problem for `name`, if any. A `group` (several checkboxes or inputs) is
 * kept out of the Field's context, which would otherwise give every control in it the same id.
 */
export function At({
  field,
  name = field?.id ?? "",
  label = field && labelOf(field),
  hint = field?.guidance,
  required = field?.required,
  group,
  children,
  errors,
}: {
  /** The model's field: its id names the problem and the element, its label (with limits), guidance and whether it is required. */
  field?: ConcernFormField;
  name?: string;
  label?: string;
  hint?: ReactElement | string;
  required?: boolean;
  group?: boolean;
  children: ReactNode;
  errors: FieldErrors;
}) {
  const message = errors[name];
  const control = group ? (
    <FieldContextProvider value={undefined}>
      <div role="group" aria-label={label}>
        {children}
      </div>
    </FieldContextProvider>
  ) : (
    children
  );
  return (
    <Field
      label={label}
      hint={hint}
      required={required}
      data-field={field?.id}
      // The error summary finds the field of a problem by this name, to move focus to it.
      data-problem={name}
      validationState={message ? "error" : "none"}
      validationMessage={message ? <span data-testid={`error-${name}`}>{message}</span> : undefined}
    >
      {control as never}
    </Field>
  );
}

const toggle = (list: string[], id: string, on: boolean) => (on ? [...new Set([...list, id])] : list.filter((x) => x !== id));

/** A yes/no field of the model as a checkbox, named by the model's label. */
function Toggle({ field, checked, onChange, testId }: { field: ConcernFormField; checked: boolean; onChange(on: boolean): void; testId: string }) {
  return (
    <div data-field={field.id}>
      <Checkbox label={labelOf(field)} checked={checked} onChange={(_, d) => onChange(!!d.checked)} data-testid={testId} />
    </div>
  );
}

/** The model's fixed choices as radio buttons. */
const radios = (field: ConcernFormField) => (field.choices ?? []).map((c) => <Radio key={c.value} value={c.value} label={c.label} />);

export function PupilAndCategories({ form, options, errors, update, model = CONCERN_FORM }: SectionProps) {
  const styles = useFormStyles();
  return (
    <section className={styles.section}>
      <At field={model.field("pupilId")} errors={errors}>
        <PupilPicker value={form.pupil} onChange={(pupil) => update({ pupil })} testId="concern-pupil" placeholder="Start typing the pupil's name" />
      </At>
      <At group field={model.field("categoryIds")} errors={errors}>
        <div className={styles.choices} data-testid="concern-categories">
          {options.categories.map((c) => (
            <Checkbox
              key={c.id}
              label={c.name}
              checked={form.categoryIds.includes(c.id)}
              onChange={(_, d) => update({ categoryIds: toggle(form.categoryIds, c.id, !!d.checked) })}
            />
          ))}
        </div>
      </At>
      {errors.subCategoryIds ? <Caption1 data-testid="error-subCategoryIds">{errors.subCategoryIds}</Caption1> : null}
      {options.categories
        .filter((c) => form.categoryIds.includes(c.id))
        .map((c) => (
          <div key={c.id} className={styles.category} data-testid={`concern-category-${c.id}`}>
            <Subtitle2 as="h3">{c.name}</Subtitle2>
            {c.guidance ? <Caption1 data-testid="category-guidance">{c.guidance}</Caption1> : null}
            {model.categoryFields(c).map((f) => {
              if (f.id === subCategoryInput(c.id))
                return (
                  <At group key={f.id} field={f} errors={errors}>
                    <div className={styles.choices}>
                      {c.subCategories.map((s) => (
                        <Checkbox
                          key={s.id}
                          label={s.name}
                          checked={form.subCategoryIds.includes(s.id)}
                          onChange={(_, d) => update({ subCategoryIds: toggle(form.subCategoryIds, s.id, !!d.checked) })}
                        />
                      ))}
                    </div>
                  </At>
                );
              const fieldId = f.id.slice(categoryFieldInput(c.id, "").length);
              const value = form.categoryFields[c.id]?.[fieldId];
              const set = (v: string | string[]) =>
                update({ categoryFields: { ...form.categoryFields, [c.id]: { ...form.categoryFields[c.id], [fieldId]: v } } });
              return f.kind === "multi-choice" ? (
                <At group key={f.id} field={f} errors={errors}>
                  <div className={styles.choices} data-testid={`concern-field-${c.id}-${fieldId}`}>
                    {(f.choices ?? []).map((o) => {
                      const chosen = Array.isArray(value) ? value : [];
                      return (
                        <Checkbox
                          key={o.value}
                          label={o.label}
                          checked={chosen.includes(o.value)}
                          onChange={(_, d) => set(toggle(chosen, o.value, !!d.checked))}
                        />
                      );
                    })}
                  </div>
                </At>
              ) : (
                <At key={f.id} field={f} errors={errors}>
                  <Textarea
                    value={typeof value === "string" ? value : ""}
                    maxLength={f.maxLength}
                    onChange={(_, d) => set(d.value)}
                    data-testid={`concern-field-${c.id}-${fieldId}`}
                  />
                </At>
              );
            })}
          </div>
        ))}
    </section>
  );
}

export function WhenWhereWhat({ form, options, errors, update, model = CONCERN_FORM }: SectionProps) {
  const styles = useFormStyles();
  const account = model.field("account");
  return (
    <section className={styles.section}>
      <div className={styles.row}>
        <At field={model.field("occurredDate")} name="occurredAt" errors={errors}>
          <UkDateInput value={form.date} onChange={(v) => update({ date: v })} data-testid="concern-date" />
        </At>
        <At field={model.field("occurredTime")} hint={`The school's time (${options.timeZone})`} errors={errors}>
          <Input type="time" value={form.time} onChange={(_, d) => update({ time: d.value })} data-testid="concern-time" />
        </At>
        <At field={model.field("session")} errors={errors}>
          <Select value={form.session} onChange={(_, d) => update({ session: d.value })} data-testid="concern-session">
            <option value="">Choose a session</option>
            {options.sessions.map((s) => (
              <option key={s.id} value={s.id}>
                {s.label}
              </option>
            ))}
          </Select>
        </At>
        {options.locations.length ? (
          <At field={model.field("location")} errors={errors}>
            <Select value={form.location} onChange={(_, d) => update({ location: d.value })} data-testid="concern-location">
              <option value="">Choose a location</option>
              {options.locations.map((l) => (
                <option key={l} value={l}>
                  {l}
                </option>
              ))}
            </Select>
          </At>
        ) : null}
      </div>
      <At
        field={account}
        errors={errors}
        hint={
          <>
            {account.guidance}{" "}
            <span data-testid="account-count">
              {form.account.length.toLocaleString("en-GB")} / {account.maxLength?.toLocaleString("en-GB")}
            </span>
          </>
        }
      >
        <Textarea
          value={form.account}
          maxLength={account.maxLength}
          resize="vertical"
          rows={6}
          onChange={(_, d) => update({ account: d.value })}
          data-testid="concern-account"
        />
      </At>
    </section>
  );
}

export function LinkedPupils({ form, errors, update, model = CONCERN_FORM }: SectionProps) {
  const styles = useFormStyles();
  const rows = model.field("linkedPupils");
  const setRow = (i: number, change: Partial<ConcernForm["linked"][number]>) =>
    update({ linked: form.linked.map((row, j) => (j === i ? { ...row, ...change } : row)) });
  const canAdd = form.linked.length < (rows.maxCount ?? 1) && form.linked.every((l) => l.pupil);
  return (
    <section className={styles.section}>
      <Subtitle2 as="h3" data-field={rows.id}>
        {rows.label}
      </Subtitle2>
      <Caption1 data-testid="initials-reminder">{rows.guidance}</Caption1>
      {form.linked.map((row, i) => {
        const [pupil, part] = model.linkedRow(i + 1);
        return (
          <div key={i} className={styles.row} data-testid="linked-row">
            <At field={pupil} errors={errors}>
              <PupilPicker
                value={row.pupil}
                onChange={(p) => setRow(i, { pupil: p })}
                testId={`concern-linked-${i + 1}`}
                placeholder="Start typing a name"
              />
            </At>
            <At field={part} errors={errors}>
              <Select
                value={row.part}
                onChange={(_, d) => setRow(i, { part: d.value as typeof row.part })}
                data-testid={`concern-linked-${i + 1}-part`}
              >
                <option value="">How were they involved?</option>
                {(part.choices ?? []).map((p) => (
                  <option key={p.value} value={p.value}>
                    {p.label}
                  </option>
                ))}
              </Select>
            </At>
          </div>
        );
      })}
      {canAdd ? (
        <div>
          <button type="button" onClick={() => update({ linked: [...form.linked, { part: "" }] })}>
            Link another pupil
          </button>
        </div>
      ) : null}
    </section>
  );
}

export function DisclosureAndAllegation({ form, options, role, errors, update, model = CONCERN_FORM }: SectionProps) {
  const styles = useFormStyles();
  const told = model.field(F.toldDslInPerson);
  const allegation = model.field(F.allegation);
  const asked = mustAskToldDsl(role, options, form);
  return (
    <section className={styles.section}>
      <Toggle
        field={model.field(F.disclosure)}
        checked={form.disclosure}
        onChange={(disclosure) => update({ disclosure })}
        testId="concern-disclosure"
      />
      {asked ? (
        <At field={told} errors={errors}>
          <RadioGroup
            value={form.toldDslInPerson}
            onChange={(_, d) => update({ toldDslInPerson: d.value as ConcernForm["toldDslInPerson"] })}
            data-testid="concern-told-dsl"
          >
            {radios(told)}
          </RadioGroup>
        </At>
      ) : null}
      <Subtitle2 as="h3">Allegation about an adult</Subtitle2>
      <Toggle field={allegation} checked={form.allegation} onChange={(on) => update({ allegation: on })} testId="concern-allegation" />
      <Caption1>{allegation.guidance}</Caption1>
      {form.allegation ? (
        <At group field={model.field(F.allegationStaffIds)} errors={errors}>
          <div className={styles.choices}>
            {options.staff.map((s) => (
              <Checkbox
                key={s.id}
                label={s.name}
                checked={form.allegationStaffIds.includes(s.id)}
                onChange={(_, d) => update({ allegationStaffIds: toggle(form.allegationStaffIds, s.id, !!d.checked) })}
              />
            ))}
          </div>
        </At>
      ) : null}
    </section>
  );
}

export function NextSteps({ form, options, role, errors, update, model = CONCERN_FORM }: SectionProps) {
  const styles = useFormStyles();
  const status = model.field(F.status);
  const heldNote = alertApprovalNote({ role, categories: options.categories, categoryIds: form.categoryIds, allegation: form.allegation });
  return (
    <section className={styles.section}>
      <div className={styles.row}>
        <At field={status} errors={errors}>
          <RadioGroup
            layout="horizontal"
            value={form.status}
            onChange={(_, d) => update({ status: d.value as ConcernForm["status"] })}
            data-testid="concern-status"
          >
            {radios(status)}
          </RadioGroup>
        </At>
        <At field={model.field(F.assignedToStaffId)} errors={errors}>
          <Select value={form.assignedToStaffId} onChange={(_, d) => update({ assignedToStaffId: d.value })} data-testid="concern-assign">
            <option value="">Nobody yet</option>
            {options.staff.filter(canBeAssigned).map((s) => (
              <option key={s.id} value={s.id}>
                {s.name} ({s.role})
              </option>
            ))}
          </Select>
        </At>
      </div>
      {options.alertGroups.length ? (
        <At group field={model.field("alertGroupIds")} errors={errors}>
          <div className={styles.choices} data-testid="concern-alert-groups">
            {options.alertGroups.map((g) => (
              <Checkbox
                key={g.id}
                label={g.name}
                checked={form.alertGroupIds.includes(g.id)}
                onChange={(_, d) => update({ alertGroupIds: toggle(form.alertGroupIds, g.id, !!d.checked) })}
              />
            ))}
          </div>
        </At>
      ) : null}
      <At group field={model.field("alertStaffIds")} errors={errors}>
        {heldNote ? <Caption1 data-testid="concern-alert-held-note">{heldNote}</Caption1> : null}
        <div className={styles.choices} data-testid="concern-alert-staff">
          {options.staff.map((s) => (
            <Checkbox
              key={s.id}
              label={`${s.name} (${s.role})`}
              checked={form.alertStaffIds.includes(s.id)}
              onChange={(_, d) => update({ alertStaffIds: toggle(form.alertStaffIds, s.id, !!d.checked) })}
            />
          ))}
        </div>
      </At>
      <At field={model.field(F.agencyInvolved)} errors={errors}>
        <Input
          value={form.agencyInvolved}
          maxLength={model.field(F.agencyInvolved).maxLength}
          onChange={(_, d) => update({ agencyInvolved: d.value })}
          data-testid="concern-agency"
        />
      </At>
      <Subtitle2 as="h3">Add to planner (a reminder to yourself)</Subtitle2>
      <div className={styles.row}>
        <At field={model.field(F.plannerDate)} errors={errors}>
          <UkDateInput value={form.plannerDate} onChange={(v) => update({ plannerDate: v })} data-testid="concern-planner-date" />
        </At>
        <At field={model.field(F.plannerTime)} errors={errors}>
          <Input type="time" value={form.plannerTime} onChange={(_, d) => update({ plannerTime: d.value })} data-testid="concern-planner-time" />
        </At>
      </div>
      <At field={model.field(F.plannerNote)} errors={errors}>
        <Textarea
          value={form.plannerNote}
          maxLength={model.field(F.plannerNote).maxLength}
          onChange={(_, d) => update({ plannerNote: d.value })}
          data-testid="concern-planner-note"
        />
      </At>
    </section>
  );
}
