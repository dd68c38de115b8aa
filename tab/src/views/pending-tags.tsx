// Tags on a protected record waiting for a DSL (README, "Who sees what"): the author sees that they
// wait; a DSL sees an Approve button. Approving adds an action tagging them, shown in the list.
import { Button, Caption1, makeStyles, tokens } from "@fluentui/react-components";
import type { ActionView } from "../../../src/contract/views.js";
import type { Role } from "../../../src/domain/roles.js";
import { canApproveTags, tagsStillPending } from "../../../src/domain/policy/action.js";
import { useAttempt } from "../api-context.js";
import { ErrorBar } from "./error-bar.js";

const useStyles = makeStyles({ row: { display: "flex", flexWrap: "wrap", alignItems: "center", gap: tokens.spacingHorizontalS } });

export interface PendingTagsProps {
  incidentId: string;
  action: ActionView;
  actions: ActionView[];
  role?: Role;
  names: Map<string, string>;
  onApproved(action: ActionView): void;
}

export function PendingTags({ incidentId, action, actions, role, names, onApproved }: PendingTagsProps) {
  const styles = useStyles();
  const { attempt, busy, error } = useAttempt();
  const waiting = tagsStillPending(action, actions);
  if (!waiting.length) return null;
  const approve = async () => {
    const approval = await attempt((api) => api.approvePendingTags(incidentId, action.id));
    if (approval) onApproved(approval);
  };
  return (
    <span className={styles.row} data-testid="incident-action-pending">
      <Caption1>Waiting for a DSL to approve: {waiting.map((id) => names.get(id) ?? "a member of staff").join(", ")} (not alerted yet)</Caption1>
      {canApproveTags(role && { role }) ? (
        <Button size="small" disabled={busy} onClick={() => void approve()} data-testid="approve-pending-tags">
          Approve
        </Button>
      ) : null}
      {error ? <ErrorBar error={error} /> : null}
    </span>
  );
}
