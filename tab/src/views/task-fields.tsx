// "Make it a task" on the Add action form: who will do it and the day it is due. The owner is
// alerted (who gave it and the reference only) and again if it is not done by the end of that day.
import { Select } from "@fluentui/react-components";
import type { FormOptions } from "../../../src/contract/views.js";
import { At, useFormStyles } from "./concern-form-fields.js";
import { UkDateInput } from "./uk-date-input.js";

/** The task's inputs by the names the server gives their problems, with the labels shown on them. */
export const TASK_LABELS = { "task.ownerStaffId": "Make it a task for", "task.dueOn": "Due on" } as const;

export interface TaskDraft {
  /** "" when the action is not a task. */
  owner: string;
  dueOn: string;
}

export function TaskFields({
  value,
  onChange,
  options,
  errors,
}: {
  value: TaskDraft;
  onChange(change: Partial<TaskDraft>): void;
  options: FormOptions;
  errors: Parameters<typeof At>[0]["errors"];
}) {
  const formStyles = useFormStyles();
  return (
    <div className={formStyles.row}>
      <At
        name="task.ownerStaffId"
        label={`${TASK_LABELS["task.ownerStaffId"]} (optional)`}
        hint="They are alerted, and again if it is overdue."
        errors={errors}
      >
        <Select value={value.owner} onChange={(_, d) => onChange({ owner: d.value })} data-testid="add-action-task-owner">
          <option value="">Not a task</option>
          {options.staff.map((s) => (
            <option key={s.id} value={s.id}>{`${s.name} (${s.role})`}</option>
          ))}
        </Select>
      </At>
      {value.owner ? (
        <At name="task.dueOn" label={TASK_LABELS["task.dueOn"]} required errors={errors}>
          <UkDateInput value={value.dueOn} onChange={(v) => onChange({ dueOn: v })} data-testid="add-action-task-due" />
        </At>
      ) : null}
    </div>
  );
}
