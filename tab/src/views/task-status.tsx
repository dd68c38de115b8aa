// A task's state on an action or a row of "My actions": owner, due date, overdue, done, and the
// button to mark it done or not done (the server decides who may; a stale click answers 409).
import { Badge, Button, Caption1, makeStyles, tokens } from "@fluentui/react-components";
import { useAttempt } from "../api-context.js";
import type { ActionView } from "../../../src/contract/views.js";
import { ErrorBar } from "./error-bar.js";

const useStyles = makeStyles({
  row: { display: "flex", flexWrap: "wrap", alignItems: "center", gap: tokens.spacingHorizontalS },
});

export interface TaskState {
  dueOn: string;
  done: boolean;
  overdue: boolean;
  version: number;
  ownerName?: string;
}

export function TaskBadge({ task }: { task: Pick<TaskState, "done" | "overdue"> }) {
  if (task.done)
    return (
      <Badge appearance="tint" color="success" data-testid="task-badge">
        Done
      </Badge>
    );
  if (task.overdue)
    return (
      <Badge appearance="filled" color="danger" data-testid="task-badge">
        Overdue
      </Badge>
    );
  return (
    <Badge appearance="outline" color="informative" data-testid="task-badge">
      To do
    </Badge>
  );
}

export function TaskStatus({
  incidentId,
  actionId,
  task,
  onMarked,
}: {
  incidentId: string;
  actionId: string;
  task: TaskState;
  onMarked(action: ActionView): void;
}) {
  const styles = useStyles();
  const { attempt, busy, error } = useAttempt();
  const mark = async () => {
    const action = await attempt((api) => api.markTask(incidentId, actionId, { done: !task.done, version: task.version }));
    if (action) onMarked(action);
  };
  return (
    <div className={styles.row} data-testid="task-status">
      <TaskBadge task={task} />
      <Caption1>{task.ownerName ? `${task.ownerName}, due ${task.dueOn}` : `Due ${task.dueOn}`}</Caption1>
      <Button size="small" disabled={busy} onClick={() => void mark()} data-testid="task-mark">
        {task.done ? "Mark not done" : "Mark done"}
      </Button>
      {error ? <ErrorBar error={error} /> : null}
    </div>
  );
}
