// Alerts chosen when a protected record was recorded by someone other than a DSL, held for a DSL
// (README, "Who sees what"): the raiser sees they wait; a DSL sees an Approve button. Approving adds
// an action tagging them (it alerts them and opens the record), shown in the list. On an allegation
// about an adult who works here the approval declines them, and the DSL is told why.
import { useState } from "react";
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
  const [declined, setDeclined] = useState<string | undefined>();
  // Once an action tags them (the approval), they are alerted and no longer wait.
  const waiting = held.filter((h) => !actions.some((a) => a.taggedStaffIds.includes(h.staffId)));
  if (declined)
    return (
      <Caption1 role="status" data-testid="held-alerts-declined">
        {declined}
      </Caption1>
    );
  if (!waiting.length) return null;
  const approve = async () => {
    const decision = await attempt((api) => api.approveHeldAlerts(incidentId));
    if (!decision) return;
    if (decision.declined) setDeclined(decision.declined.reason);
    onApproved(decision.action);
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
