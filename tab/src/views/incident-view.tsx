// One incident, read-only: an incident cannot be edited once submitted, so this view shows it,
// lets an alerted member of staff mark it as read, and lets its readers add actions under it.
import { useState, type ReactNode } from "react";
import {
  Badge,
  Button,
  Caption1,
  Card,
  MessageBar,
  MessageBarBody,
  Spinner,
  Subtitle1,
  Subtitle2,
  Text,
  makeStyles,
  tokens,
} from "@fluentui/react-components";
import { useAttempt, useLoad } from "../api-context.js";
import type { IncidentView } from "../../../src/contract/views.js";
import { formatDate, formatDateTime } from "../format.js";
import { BodyMapPicture } from "./body-map-editor.js";
import { IncidentActions } from "./incident-actions.js";
import { IncidentFiles } from "./incident-files.js";
import { IncidentWorkflow } from "./incident-workflow.js";
import { FlagBadges, PartBadge, StatusBadge } from "./badges.js";
import { ErrorBar } from "./error-bar.js";

const useStyles = makeStyles({
  root: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalM },
  header: { display: "flex", flexWrap: "wrap", alignItems: "center", gap: tokens.spacingHorizontalM },
  fields: {
    display: "grid",
    gridTemplateColumns: "max-content 1fr",
    columnGap: tokens.spacingHorizontalL,
    rowGap: tokens.spacingVerticalS,
    margin: 0,
  },
  // Each term and value pair is one element (for its test id) laid out on the parent's grid.
  row: { display: "contents" },
  lines: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalXXS },
  term: { color: tokens.colorNeutralForeground3, fontWeight: tokens.fontWeightSemibold },
  value: { margin: 0, display: "flex", flexWrap: "wrap", gap: tokens.spacingHorizontalXS, alignItems: "center" },
  account: { whiteSpace: "pre-wrap", overflowWrap: "anywhere", margin: 0, lineHeight: tokens.lineHeightBase400 },
  alerts: { listStyleType: "none", margin: 0, padding: 0, display: "flex", flexDirection: "column", gap: tokens.spacingVerticalXS },
  ack: { display: "flex", alignItems: "center", gap: tokens.spacingHorizontalM, flexWrap: "wrap" },
});

export interface IncidentViewProps {
  incidentId: string;
  onOpenPupil(pupilId: string): void;
  /** Opened from an action's chronology row: show the actions (that one first). */
  focusActions?: { actionId?: string };
}

export function IncidentView({ incidentId, onOpenPupil, focusActions }: IncidentViewProps) {
  // A change (re-categorised, closed...) reloads the record as it now stands.
  const [generation, setGeneration] = useState(0);
  const { data, error, loading } = useLoad((api, signal) => api.incident(incidentId, signal), [incidentId, generation]);
  if (loading && !data) return <Spinner label="Loading record…" />;
  if (error || !data) return <ErrorBar error={error ?? new Error("No data")} />;
  return <IncidentDetails detail={data} onOpenPupil={onOpenPupil} focusActions={focusActions} onChanged={() => setGeneration((g) => g + 1)} />;
}

function IncidentDetails({
  detail,
  onOpenPupil,
  focusActions,
  onChanged,
}: Omit<IncidentViewProps, "incidentId"> & { detail: IncidentView; onChanged(): void }) {
  const styles = useStyles();
  const { incident, pupil, alerts } = detail;
  // Each row has a stable test id (incident-field-<name>) so every recorded field can be checked.
  const field = (name: string, label: string, value: ReactNode) => (
    <div className={styles.row} key={name}>
      <dt className={styles.term}>{label}</dt>
      <dd className={styles.value} data-testid={`incident-field-${name}`}>
        {value}
      </dd>
    </div>
  );
  const yesNo = (value: boolean) => (value ? "Yes" : "No");
  const subCategories = incident.subCategories ?? [];
  const categoryFields = incident.categoryFields ?? [];
  const files = incident.files ?? [];
  return (
    <article className={styles.root} aria-labelledby="incident-title" data-testid="incident">
      <div className={styles.header}>
        <Subtitle1 as="h2" id="incident-title">
          Incident {incident.reference}
        </Subtitle1>
        <StatusBadge status={incident.status} />
        {incident.urgent ? (
          <Badge appearance="filled" color="danger">
            Urgent
          </Badge>
        ) : null}
      </div>
      <MessageBar intent="info" data-testid="read-only-note">
        <MessageBarBody>This record's account cannot be edited. If something in it is wrong, add a correction under Actions.</MessageBarBody>
      </MessageBar>
      {incident.allegation ? (
        <MessageBar intent="warning" data-testid="incident-field-allegation">
          <MessageBarBody>{incident.allegation.note}</MessageBarBody>
        </MessageBar>
      ) : null}
      <dl className={styles.fields}>
        {field(
          "pupil",
          "Pupil",
          <>
            <Button appearance="transparent" size="small" onClick={() => onOpenPupil(pupil.id)}>
              {pupil.displayName}
            </Button>
            <Caption1>
              {pupil.yearGroup} · {pupil.className}
            </Caption1>
            <FlagBadges flags={pupil.flags} />
          </>,
        )}
        {field("occurred-at", "Happened", formatDateTime(incident.occurredAt))}
        {incident.dayOfWeek ? field("day-of-week", "Day of the week", incident.dayOfWeek) : null}
        {incident.session ? field("session", "Session", incident.sessionLabel ?? incident.session) : null}
        {incident.location ? field("location", "Location", incident.location) : null}
        {field("categories", "Categories", incident.categoryNames.join(", ") || "None")}
        {subCategories.length > 0
          ? field("sub-categories", "Sub-categories", subCategories.map((s) => `${s.categoryName}: ${s.name}`).join("; "))
          : incident.subCategoryNames.length > 0
            ? field("sub-categories", "Sub-categories", incident.subCategoryNames.join(", "))
            : null}
        {categoryFields.length > 0
          ? field(
              "category-fields",
              "Category details",
              <span className={styles.lines}>
                {categoryFields.map((f) => (
                  <span key={`${f.categoryName}:${f.label}`} data-testid="incident-category-field">
                    {f.label}: {f.value}
                  </span>
                ))}
              </span>,
            )
          : null}
        {incident.linkedPupils.length > 0
          ? field(
              "linked-pupils",
              "Linked pupils",
              incident.linkedPupils.map((linked) => (
                <span key={linked.pupilId} className={styles.value} data-testid="linked-pupil">
                  <Button appearance="transparent" size="small" onClick={() => onOpenPupil(linked.pupilId)}>
                    {linked.displayName}
                  </Button>
                  <PartBadge part={linked.part} />
                </span>
              )),
            )
          : null}
        {field("disclosure", "A child disclosed this", yesNo(incident.disclosure ?? false))}
        {incident.toldDslInPerson !== undefined
          ? field("told-dsl", "Told a DSL in person", incident.toldDslInPerson ? "Yes" : "Not yet, at the time of recording")
          : null}
        {field("urgent", "Urgent", yesNo(incident.urgent))}
        {field("status", "Status", incident.status === "active" ? "Active" : "Closed")}
        {incident.assignedTo ? field("assigned-to", "Assigned to", incident.assignedTo.name) : null}
        {incident.agencyInvolved ? field("agency", "Agency involved", incident.agencyInvolved) : null}
        {incident.plannerReminder
          ? field(
              "planner-reminder",
              "Planner reminder",
              [`${formatDate(incident.plannerReminder.date)} at ${incident.plannerReminder.time}`, incident.plannerReminder.note]
                .filter(Boolean)
                .join(" — "),
            )
          : null}
        {incident.origin
          ? field(
              "origin",
              "Recorded from",
              [
                "a Teams message",
                incident.origin.sender ? `by ${incident.origin.sender}` : "",
                incident.origin.sentAt ? `sent ${formatDateTime(incident.origin.sentAt)}` : "",
              ]
                .filter(Boolean)
                .join(" "),
            )
          : null}
        {field("recorded-by", "Recorded by", incident.raisedBy.name)}
        {field("recorded-at", "Recorded", formatDateTime(incident.recordedAt))}
      </dl>
      <Card>
        <Subtitle2 as="h3">Account</Subtitle2>
        <p className={styles.account} data-testid="incident-account">
          {incident.account}
        </p>
      </Card>
      {incident.bodyMap ? (
        <section aria-labelledby="body-map-title">
          <Subtitle2 as="h3" id="body-map-title">
            Body map
          </Subtitle2>
          <BodyMapPicture marks={incident.bodyMap.marks} />
        </section>
      ) : null}
      {files.length > 0 ? (
        <section aria-labelledby="files-title">
          <Subtitle2 as="h3" id="files-title">
            Files
          </Subtitle2>
          <IncidentFiles files={files} />
        </section>
      ) : null}
      <section aria-labelledby="alerts-title">
        <Subtitle2 as="h3" id="alerts-title">
          Alerts
        </Subtitle2>
        {alerts.length === 0 ? (
          <Text>Nobody was alerted.</Text>
        ) : (
          <ul className={styles.alerts}>
            {alerts.map((alert) => (
              <li key={alert.staffId} data-testid="alert-row">
                <Text weight="semibold">{alert.name}</Text>{" "}
                <Caption1>{alert.acknowledgedAt ? `read ${formatDateTime(alert.acknowledgedAt)}` : "not yet read"}</Caption1>
              </li>
            ))}
          </ul>
        )}
      </section>
      <IncidentWorkflow detail={detail} onChanged={onChanged} />
      <Acknowledge incidentId={incident.id} initial={detail.myAlert} />
      <IncidentActions key={incident.id} incidentId={incident.id} initial={detail.actions} heldAlerts={detail.heldAlerts} focus={focusActions} />
    </article>
  );
}

/** "Mark as read" for the signed-in member of staff, if they were alerted. */
function Acknowledge({ incidentId, initial }: { incidentId: string; initial: IncidentView["myAlert"] }) {
  const styles = useStyles();
  const { attempt, busy, error } = useAttempt();
  const [acknowledgedAt, setAcknowledgedAt] = useState(initial?.acknowledgedAt);

  if (!initial) return null;
  if (acknowledgedAt) {
    return (
      <MessageBar intent="success" data-testid="acknowledged-note">
        <MessageBarBody>Read by you at {formatDateTime(acknowledgedAt)}</MessageBarBody>
      </MessageBar>
    );
  }
  const markAsRead = async () => {
    const answer = await attempt((api) => api.acknowledge(incidentId));
    if (answer) setAcknowledgedAt(answer.alert.acknowledgedAt);
  };
  return (
    <div className={styles.ack}>
      <Button appearance="primary" onClick={markAsRead} disabled={busy} data-testid="acknowledge-button">
        {busy ? "Marking as read…" : "Mark as read"}
      </Button>
      <Caption1>You were alerted to this record. Marking it as read tells the DSL you have seen it.</Caption1>
      {error ? <ErrorBar error={error} /> : null}
    </div>
  );
}
