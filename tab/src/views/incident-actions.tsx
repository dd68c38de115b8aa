// An incident's actions, oldest first, and the form to add one. Follow-ups, outcomes and
// corrections are all actions, so the trail builds up while the incident itself never changes.
import { useEffect, useRef, useState } from "react";
import { Caption1, Spinner, Subtitle2, Text, makeStyles, mergeClasses, tokens } from "@fluentui/react-components";
import { useLoad } from "../api-context.js";
import type { ActionView, IncidentView } from "../../../src/contract/views.js";
import { formatDateTime } from "../format.js";
import { AddActionForm } from "./add-action-form.js";
import { ActionKindBadge } from "./badges.js";
import { ErrorBar } from "./error-bar.js";
import { PendingTags } from "./pending-tags.js";
import { HeldAlerts } from "./held-alerts.js";
import { TaskStatus } from "./task-status.js";

const useStyles = makeStyles({
  root: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalM, scrollMarginTop: tokens.spacingVerticalL },
  list: { listStyleType: "none", margin: 0, padding: 0, display: "flex", flexDirection: "column", gap: tokens.spacingVerticalS },
  action: {
    display: "flex",
    flexDirection: "column",
    gap: tokens.spacingVerticalXXS,
    padding: `${tokens.spacingVerticalS} ${tokens.spacingHorizontalM}`,
    borderRadius: tokens.borderRadiusMedium,
    borderLeft: `${tokens.strokeWidthThicker} solid ${tokens.colorNeutralStroke1}`,
    backgroundColor: tokens.colorNeutralBackground2,
  },
  correction: { borderLeftColor: tokens.colorPaletteMarigoldBorderActive },
  // The action a chronology row was opened from.
  focused: { scrollMarginTop: tokens.spacingVerticalL, outline: `${tokens.strokeWidthThick} solid ${tokens.colorBrandStroke1}` },
  meta: { display: "flex", flexWrap: "wrap", alignItems: "center", gap: tokens.spacingHorizontalS },
  text: { whiteSpace: "pre-wrap", overflowWrap: "anywhere", margin: 0 },
});

/** Oldest first by when it happened; the server sends them so, and a newly added one is put in its place. */
const oldestFirst = (actions: ActionView[]) =>
  [...actions].sort((a, b) => a.occurredAt.localeCompare(b.occurredAt) || a.recordedAt.localeCompare(b.recordedAt));

export interface IncidentActionsProps {
  incidentId: string;
  initial: ActionView[];
  /** Alerts chosen at submit and held for a DSL's approval (a protected record raised by someone else). */
  heldAlerts?: IncidentView["heldAlerts"];
  /** Opened from a chronology row: scroll here, to this action if it is given. */
  focus?: { actionId?: string };
}

export function IncidentActions({ incidentId, initial, heldAlerts, focus }: IncidentActionsProps) {
  const styles = useStyles();
  const [actions, setActions] = useState(initial);
  // The form's staff list and the server's "now".
  const options = useLoad((api, signal) => api.formOptions(signal), []);
  // Who is reading, so a DSL is offered the approve button for tags kept pending.
  const me = useLoad((api, signal) => api.me(signal), []);
  const names = new Map((options.data?.staff ?? []).map((s) => [s.id, s.name]));
  const section = useRef<HTMLElement>(null);
  const scrolled = useRef(false);

  // Scrolled once the form is there (it changes the page's height), and only once, so adding an
  // action later does not jump the page.
  useEffect(() => {
    if (!focus || options.loading || scrolled.current) return;
    scrolled.current = true;
    const target = (focus.actionId && section.current?.querySelector(`[data-action-id="${CSS.escape(focus.actionId)}"]`)) || section.current;
    target?.scrollIntoView({ block: "start" });
  }, [focus, options.loading]);

  // A replay of the same request (a double click) answers with the action already shown.
  const added = (action: ActionView) => setActions((list) => oldestFirst([...list.filter((a) => a.id !== action.id), action]));

  return (
    <section ref={section} className={styles.root} aria-labelledby="actions-title" data-testid="incident-actions">
      <Subtitle2 as="h3" id="actions-title">
        Actions
      </Subtitle2>
      {heldAlerts?.length ? <HeldAlerts incidentId={incidentId} held={heldAlerts} actions={actions} role={me.data?.role} onApproved={added} /> : null}
      {actions.length === 0 ? (
        <Text>No actions yet.</Text>
      ) : (
        <ol className={styles.list}>
          {actions.map((action) => (
            <li
              key={action.id}
              data-testid="incident-action"
              data-action-id={action.id}
              aria-current={focus?.actionId === action.id ? "true" : undefined}
              className={mergeClasses(
                styles.action,
                action.kind === "correction" && styles.correction,
                focus?.actionId === action.id && styles.focused,
              )}
            >
              <span className={styles.meta}>
                <ActionKindBadge kind={action.kind} />
                <Text weight="semibold">{formatDateTime(action.occurredAt)}</Text>
                <Caption1>
                  recorded by {action.recordedBy.name}, {formatDateTime(action.recordedAt)}
                </Caption1>
              </span>
              <p className={styles.text} data-testid="incident-action-text">
                {action.text}
              </p>
              <Caption1 data-testid="incident-action-tagged">
                {action.taggedNames.length ? `Tagged: ${action.taggedNames.join(", ")}` : "Nobody tagged"}
              </Caption1>
              {action.task ? <TaskStatus incidentId={incidentId} actionId={action.id} task={action.task} onMarked={added} /> : null}
              <PendingTags incidentId={incidentId} action={action} actions={actions} role={me.data?.role} names={names} onApproved={added} />
            </li>
          ))}
        </ol>
      )}
      {options.loading ? (
        <Spinner size="small" label="Opening the form…" />
      ) : options.data ? (
        <AddActionForm incidentId={incidentId} options={options.data} onAdded={added} />
      ) : (
        <ErrorBar error={options.error ?? new Error("No form")} />
      )}
    </section>
  );
}
