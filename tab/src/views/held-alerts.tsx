// Alerts chosen when a protected record was recorded by someone other than a DSL, held for a DSL
// (README, "Who sees what"): the raiser sees they wait; a DSL sees an Approve button. Approving adds
// an action tagging them (it alerts them and opens the record), shown in the list.
import { Button, Caption1, makeStyles, tokens } from "@fluentui/react-components";
import type { ActionView, IncidentView } from "../../../src/contract/views.js";
import type { Role } from "../../../src/domain/roles.js";
import { canApproveTags } from "../../../src/domain/policy/action.js";
import { useAttempt } from "../api-context.js";
import { ErrorBar } from "./error-bar.js";

const useStyles = makeStyles({ row: { display: "flex", flexWrap: "wrap", alignItems: "center", gap: tokens.spacingHorizontalS } });

export interface HeldAlertsProps {
  incidentId: string;
  held: NonNullable<IncidentView["heldAlerts"]>;
  actions: ActionView[];
  role?: Role;
  onApproved(action: ActionView): void;
}

export function HeldAlerts({ incidentId, held, actions, role, onApproved }: HeldAlertsProps) {
  const styles = useStyles();
  const { attempt, busy, error } = useAttempt();
  // Once an action tags them (the approval), they are alerted and no longer wait.
  const waiting = held.filter((h) => !actions.some((a) => a.taggedStaffIds.includes(h.staffId)));
  if (!waiting.length) return null;
  const approve = async () => {
    const approval = await attempt((api) => api.approveHeldAlerts(incidentId));
    if (approval) onApproved(approval);
  };
  return (
    <span className={styles.row} data-testid="incident-held-alerts">
      <Caption1>Alerts waiting for a DSL to approve: {waiting.map((h) => h.name).join(", ")} (not alerted yet)</Caption1>
      {canApproveTags(role && { role }) ? (
        <Button size="small" disabled={busy} onClick={() => void approve()} data-testid="approve-held-alerts">
          Approve alerts
        </Button>
      ) : null}
      {error ? <ErrorBar error={error} /> : null}
    </span>
  );
}
