// The concern form's sections, field by field as on the bot's record-concern card. Every input
// shows its own problem (from the server or the checks before sending) beside it.
import type { ReactElement, ReactNode } from "react";
import {
  Caption1, Checkbox, Field, FieldContextProvider, Input, Radio, RadioGroup, Select, Subtitle2, Textarea, makeStyles, tokens,
} from "@fluentui/react-components";
import type { FormOptions, Role } from "../../../src/contract/views.js";
import {
  CONCERN_FIELDS as F, LIMITS, LINKED_PART_CHOICES, categoryFieldInput, linkedPartField, linkedPupilField, mustAskToldDsl,
  type ConcernForm, type FieldErrors,
} from "../concern-form.js";
import { canBeAssigned } from "../../../src/domain/policy/form.js";
import { ALLEGATION_GUIDANCE, ALLEGATION_LABEL } from "../../../src/domain/allegations.js";
import { partLabel } from "../format.js";
import { PupilPicker } from "./pupil-picker.js";

// The same words as the bot's card (bot/cards/record-concern-card.ts RECORDING_GUIDANCE).
export const RECORDING_GUIDANCE =
  "Write what you saw or heard: the main facts, the child's own words exactly, and what you did next. " +
  "Be factual and professional, with no opinion. Name other children by initials only.";

export const useFormStyles = makeStyles({
  section: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalS, paddingBottom: tokens.spacingVerticalM, borderBottom: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}` },
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
}

/**
 * A Field that shows the problem for `name`, if any. A `group` (several checkboxes or inputs) is
 * kept out of the Field's context, which would otherwise give every control in it the same id.
 */
export function At({ name, label, hint, required, group, children, errors }: {
  name: string; label?: string; hint?: ReactElement | string; required?: boolean; group?: boolean; children: ReactNode; errors: FieldErrors;
}) {
  const message = errors[name];
  const control = group
    ? <FieldContextProvider value={undefined}><div role="group" aria-label={label}>{children}</div></FieldContextProvider>
    : children;
  return (
    <Field label={label} hint={hint} required={required} validationState={message ? "error" : "none"}
      validationMessage={message ? <span data-testid={`error-${name}`}>{message}</span> : undefined}>
      {control as never}
    </Field>
  );
}

const toggle = (list: string[], id: string, on: boolean) => (on ? [...new Set([...list, id])] : list.filter((x) => x !== id));

export function PupilAndCategories({ form, options, errors, update }: SectionProps) {
  const styles = useFormStyles();
  return (
    <section className={styles.section}>
      <At name="pupilId" label="Pupil" required errors={errors}>
        <PupilPicker value={form.pupil} onChange={(pupil) => update({ pupil })} testId="concern-pupil" placeholder="Start typing the pupil's name" />
      </At>
      <At group name="categoryIds" label="Categories" required hint="Choose one or more. A DSL will re-tag it if needed." errors={errors}>
        <div className={styles.choices} data-testid="concern-categories">
          {options.categories.map((c) => (
            <Checkbox key={c.id} label={c.name} checked={form.categoryIds.includes(c.id)}
              onChange={(_, d) => update({ categoryIds: toggle(form.categoryIds, c.id, !!d.checked) })} />
          ))}
        </div>
      </At>
      {errors.subCategoryIds ? <Caption1 data-testid="error-subCategoryIds">{errors.subCategoryIds}</Caption1> : null}
      {options.categories.filter((c) => form.categoryIds.includes(c.id)).map((c) => (
        <div key={c.id} className={styles.category} data-testid={`concern-category-${c.id}`}>
          <Subtitle2 as="h3">{c.name}</Subtitle2>
          {c.guidance ? <Caption1 data-testid="category-guidance">{c.guidance}</Caption1> : null}
          {c.subCategories.length ? (
            <At group name={`subCategories.${c.id}`} label={`${c.name}: sub-categories`} errors={errors}>
              <div className={styles.choices}>
                {c.subCategories.map((s) => (
                  <Checkbox key={s.id} label={s.name} checked={form.subCategoryIds.includes(s.id)}
                    onChange={(_, d) => update({ subCategoryIds: toggle(form.subCategoryIds, s.id, !!d.checked) })} />
                ))}
              </div>
            </At>
          ) : null}
          {(c.fields ?? []).map((f) => {
            const value = form.categoryFields[c.id]?.[f.id];
            const set = (v: string | string[]) => update({ categoryFields: { ...form.categoryFields, [c.id]: { ...form.categoryFields[c.id], [f.id]: v } } });
            const name = categoryFieldInput(c.id, f.id);
            return f.kind === "multi-select" ? (
              <At group key={f.id} name={name} label={f.label} errors={errors}>
                <div className={styles.choices} data-testid={`concern-field-${c.id}-${f.id}`}>
                  {(f.options ?? []).map((o) => {
                    const chosen = Array.isArray(value) ? value : [];
                    return <Checkbox key={o} label={o} checked={chosen.includes(o)} onChange={(_, d) => set(toggle(chosen, o, !!d.checked))} />;
                  })}
                </div>
              </At>
            ) : (
              <At key={f.id} name={name} label={`${f.label} (up to ${LIMITS.categoryTextMaxLength.toLocaleString("en-GB")} characters)`} errors={errors}>
                <Textarea value={typeof value === "string" ? value : ""} maxLength={LIMITS.categoryTextMaxLength}
                  onChange={(_, d) => set(d.value)} data-testid={`concern-field-${c.id}-${f.id}`} />
              </At>
            );
          })}
        </div>
      ))}
    </section>
  );
}

export function WhenWhereWhat({ form, options, errors, update }: SectionProps) {
  const styles = useFormStyles();
  return (
    <section className={styles.section}>
      <div className={styles.row}>
        <At name="occurredAt" label="Date" required errors={errors}>
          <Input type="date" value={form.date} onChange={(_, d) => update({ date: d.value })} data-testid="concern-date" />
        </At>
        <At name="occurredTime" label={`Time (${options.timeZone})`} required errors={errors}>
          <Input type="time" value={form.time} onChange={(_, d) => update({ time: d.value })} data-testid="concern-time" />
        </At>
        <At name="session" label="Session" errors={errors}>
          <Select value={form.session} onChange={(_, d) => update({ session: d.value })} data-testid="concern-session">
            <option value="">Choose a session</option>
            {options.sessions.map((s) => <option key={s.id} value={s.id}>{s.label}</option>)}
          </Select>
        </At>
        <At name="location" label="Location" errors={errors}>
          <Select value={form.location} onChange={(_, d) => update({ location: d.value })} data-testid="concern-location">
            <option value="">Choose a location</option>
            {options.locations.map((l) => <option key={l} value={l}>{l}</option>)}
          </Select>
        </At>
      </div>
      <At name="account" required errors={errors}
        label={`What happened (${LIMITS.accountMinLength} to ${LIMITS.accountMaxLength.toLocaleString("en-GB")} characters)`}
        hint={<>{RECORDING_GUIDANCE} <span data-testid="account-count">{form.account.length.toLocaleString("en-GB")} / {LIMITS.accountMaxLength.toLocaleString("en-GB")}</span></>}>
        <Textarea value={form.account} maxLength={LIMITS.accountMaxLength} resize="vertical" rows={6}
          onChange={(_, d) => update({ account: d.value })} data-testid="concern-account" />
      </At>
    </section>
  );
}

export function LinkedPupils({ form, errors, update }: SectionProps) {
  const styles = useFormStyles();
  const setRow = (i: number, change: Partial<ConcernForm["linked"][number]>) =>
    update({ linked: form.linked.map((row, j) => (j === i ? { ...row, ...change } : row)) });
  const canAdd = form.linked.length < LIMITS.linkedPupilsMax && form.linked.every((l) => l.pupil);
  return (
    <section className={styles.section}>
      <Subtitle2 as="h3">Other pupils involved (optional)</Subtitle2>
      <Caption1 data-testid="initials-reminder">
        Each linked pupil sees this record in their own chronology, with their own part. Use initials for other children in the account.
      </Caption1>
      {form.linked.map((row, i) => (
        <div key={i} className={styles.row} data-testid="linked-row">
          <At name={linkedPupilField(i + 1)} label={`Linked pupil ${i + 1}`} errors={errors}>
            <PupilPicker value={row.pupil} onChange={(pupil) => setRow(i, { pupil })} testId={`concern-linked-${i + 1}`} placeholder="Start typing a name" />
          </At>
          <At name={linkedPartField(i + 1)} label="Their part" errors={errors}>
            <Select value={row.part} onChange={(_, d) => setRow(i, { part: d.value as typeof row.part })} data-testid={`concern-linked-${i + 1}-part`}>
              <option value="">How were they involved?</option>
              {LINKED_PART_CHOICES.map((p) => <option key={p} value={p}>{partLabel(p)}</option>)}
            </Select>
          </At>
        </div>
      ))}
      {canAdd ? (
        <div><button type="button" onClick={() => update({ linked: [...form.linked, { part: "" }] })}>Link another pupil</button></div>
      ) : null}
    </section>
  );
}

export function DisclosureAndAllegation({ form, options, role, errors, update }: SectionProps) {
  const styles = useFormStyles();
  const asked = mustAskToldDsl(role, options, form);
  return (
    <section className={styles.section}>
      <Checkbox label="A child told me this themselves (a disclosure)" checked={form.disclosure}
        onChange={(_, d) => update({ disclosure: !!d.checked })} data-testid="concern-disclosure" />
      {asked ? (
        <At name={F.toldDslInPerson} label="Have you told a DSL in person?" required errors={errors}
          hint="A disclosure or a safeguarding concern must be told to a DSL in person at once; the record comes after.">
          <RadioGroup value={form.toldDslInPerson} onChange={(_, d) => update({ toldDslInPerson: d.value as ConcernForm["toldDslInPerson"] })} data-testid="concern-told-dsl">
            <Radio value="yes" label="Yes, I have told a DSL in person" />
            <Radio value="not-yet" label="Not yet: I will go and tell a DSL now (marks it URGENT)" />
          </RadioGroup>
        </At>
      ) : null}
      <Subtitle2 as="h3">Allegation about an adult</Subtitle2>
      <Checkbox label={ALLEGATION_LABEL} checked={form.allegation} onChange={(_, d) => update({ allegation: !!d.checked })} data-testid="concern-allegation" />
      <Caption1>{ALLEGATION_GUIDANCE}</Caption1>
      {form.allegation ? (
        <At group name={F.allegationStaffIds} label="Who it concerns" errors={errors}>
          <div className={styles.choices}>
            {options.staff.map((s) => (
              <Checkbox key={s.id} label={s.name} checked={form.allegationStaffIds.includes(s.id)}
                onChange={(_, d) => update({ allegationStaffIds: toggle(form.allegationStaffIds, s.id, !!d.checked) })} />
            ))}
          </div>
        </At>
      ) : null}
    </section>
  );
}

export function NextSteps({ form, options, errors, update }: SectionProps) {
  const styles = useFormStyles();
  return (
    <section className={styles.section}>
      <div className={styles.row}>
        <At name={F.status} label="Status" errors={errors}>
          <RadioGroup layout="horizontal" value={form.status} onChange={(_, d) => update({ status: d.value as ConcernForm["status"] })} data-testid="concern-status">
            <Radio value="active" label="Active (unresolved)" />
            <Radio value="closed" label="Closed (no further action)" />
          </RadioGroup>
        </At>
        <At name={F.assignedToStaffId} label="Assign to (optional)" errors={errors}>
          <Select value={form.assignedToStaffId} onChange={(_, d) => update({ assignedToStaffId: d.value })} data-testid="concern-assign">
            <option value="">Nobody yet</option>
            {options.staff.filter(canBeAssigned).map((s) => <option key={s.id} value={s.id}>{s.name} ({s.role})</option>)}
          </Select>
        </At>
      </div>
      {options.alertGroups.length ? (
        <At group name="alertGroupIds" label="Alert groups" errors={errors}>
          <div className={styles.choices} data-testid="concern-alert-groups">
            {options.alertGroups.map((g) => (
              <Checkbox key={g.id} label={g.name} checked={form.alertGroupIds.includes(g.id)}
                onChange={(_, d) => update({ alertGroupIds: toggle(form.alertGroupIds, g.id, !!d.checked) })} />
            ))}
          </div>
        </At>
      ) : null}
      <At group name="alertStaffIds" label="Who to alert" hint="Think of confidentiality: the person alerted can alert others." errors={errors}>
        <div className={styles.choices} data-testid="concern-alert-staff">
          {options.staff.map((s) => (
            <Checkbox key={s.id} label={`${s.name} (${s.role})`} checked={form.alertStaffIds.includes(s.id)}
              onChange={(_, d) => update({ alertStaffIds: toggle(form.alertStaffIds, s.id, !!d.checked) })} />
          ))}
        </div>
      </At>
      <At name={F.agencyInvolved} label={`Agency involved (optional, up to ${LIMITS.agencyMaxLength} characters)`} errors={errors}>
        <Input value={form.agencyInvolved} maxLength={LIMITS.agencyMaxLength} onChange={(_, d) => update({ agencyInvolved: d.value })} data-testid="concern-agency" />
      </At>
      <Subtitle2 as="h3">Add to planner (a reminder to yourself)</Subtitle2>
      <div className={styles.row}>
        <At name={F.plannerDate} label="Reminder date" errors={errors}>
          <Input type="date" value={form.plannerDate} onChange={(_, d) => update({ plannerDate: d.value })} data-testid="concern-planner-date" />
        </At>
        <At name={F.plannerTime} label="Reminder time" errors={errors}>
          <Input type="time" value={form.plannerTime} onChange={(_, d) => update({ plannerTime: d.value })} data-testid="concern-planner-time" />
        </At>
      </div>
      <At name={F.plannerNote} label={`Reminder note (up to ${LIMITS.plannerNoteMaxLength} characters)`} errors={errors}>
        <Textarea value={form.plannerNote} maxLength={LIMITS.plannerNoteMaxLength} onChange={(_, d) => update({ plannerNote: d.value })} data-testid="concern-planner-note" />
      </At>
    </section>
  );
}
