// Small badges used across views: pupil flags, a linked pupil's part, record status, an action's kind.
import { Badge, makeStyles, tokens, type BadgeProps } from "@fluentui/react-components";
import { partLabel } from "../format.js";

const flagInfo: Record<string, { title: string; color: BadgeProps["color"] }> = {
  LAC: { title: "Looked after child", color: "severe" },
  CP: { title: "Child protection plan", color: "danger" },
  CIN: { title: "Child in need", color: "warning" },
  SEND: { title: "Special educational needs and disabilities", color: "informative" },
  EAL: { title: "English as an additional language", color: "informative" },
  PPG: { title: "Pupil premium", color: "informative" },
  YC: { title: "Young carer", color: "important" },
};

const useStyles = makeStyles({
  row: { display: "inline-flex", flexWrap: "wrap", gap: tokens.spacingHorizontalXS },
});

export function FlagBadges({ flags }: { flags: string[] }) {
  const styles = useStyles();
  if (flags.length === 0) return null;
  return (
    <span className={styles.row} data-testid="pupil-flags">
      {flags.map((flag) => {
        const info = flagInfo[flag];
        // The title is for sighted mouse users; screen readers get the meaning in the text itself.
        return (
          <Badge key={flag} appearance="tint" color={info?.color ?? "subtle"} title={info?.title} data-testid="flag-badge">
            {flag}
            {info ? <span className="visually-hidden"> ({info.title})</span> : null}
          </Badge>
        );
      })}
    </span>
  );
}

export function PartBadge({ part }: { part: string }) {
  const color: BadgeProps["color"] = part === "alleged-perpetrator" ? "danger" : part === "alleged-victim" ? "warning" : "informative";
  return (
    <Badge appearance="outline" color={color} data-testid="part-badge">
      {partLabel(part)}
    </Badge>
  );
}

export function StatusBadge({ status }: { status: "active" | "closed" }) {
  return status === "active" ? (
    <Badge appearance="filled" color="brand" data-testid="status-badge">
      Active
    </Badge>
  ) : (
    <Badge appearance="tint" color="subtle" data-testid="status-badge">
      Closed
    </Badge>
  );
}

export function UnreadBadge({ count }: { count: number }) {
  if (count <= 0) return null;
  const label = count === 1 ? "1 alert not yet read" : `${count} alerts not yet read`;
  return (
    <Badge appearance="filled" color="danger" title={label} aria-label={`Unread: ${label}`} data-testid="unread-badge">
      Unread
    </Badge>
  );
}

/** Marks an action row or card: a follow-up ("Action") or a correction of the incident. */
export function ActionKindBadge({ kind }: { kind: "action" | "correction" }) {
  return kind === "correction" ? (
    <Badge appearance="filled" color="warning" data-testid="action-kind-badge">
      Correction
    </Badge>
  ) : (
    <Badge appearance="tint" color="informative" data-testid="action-kind-badge">
      Action
    </Badge>
  );
}

/** The raiser had not told a DSL in person: the record needs a DSL now. */
export function UrgentBadge() {
  return (
    <Badge appearance="filled" color="danger" data-testid="urgent-badge">
      Urgent
    </Badge>
  );
}

/** An alert to the reader themselves is not yet marked as read. */
export function UnreadByYouBadge() {
  return (
    <Badge appearance="filled" color="danger" aria-label="Unread by you: your alert is not yet marked as read" data-testid="unread-by-you-badge">
      Unread by you
    </Badge>
  );
}

/** An action shown on a linked pupil's chronology: it belongs to the record of the pupil it is about. */
export function LinkedRecordBadge() {
  return (
    <Badge appearance="outline" color="subtle" data-testid="linked-record-badge">
      From a linked record
    </Badge>
  );
}
