/**
 * What an alert says. Notifications and emails leave Keepsafe's protection (lock screens, phone
 * previews, forwarded mail), so they name only who raised the concern and its categories: never the
 * pupil and never any words of the account. The reader opens Keepsafe, behind sign-in, to see more.
 */
import type { Incident, IncidentAction, OutboxMessage } from "../domain/incident.js";

type AlertContent = OutboxMessage["content"];

/** Teams shows about 150 characters of previewText; longer text is cut by Teams mid-word. */
export const PREVIEW_MAX_LENGTH = 150;
const SUBJECT_MAX_LENGTH = 200;

const clip = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1).trimEnd()}…` : text);

/** Collapses whitespace so a name or category can never smuggle line breaks into a mail header. */
const oneLine = (text: string) => text.replace(/\s+/g, " ").trim();

export function buildAlertContent(incident: Incident, categoryNames: string[]): AlertContent {
  const { who: raisedBy, inSubject, inPreview } = alertNames(incident.raisedBy.name, categoryNames);
  const urgent = incident.urgent ? "URGENT: " : "";
  return alertContent(
    `${urgent}Keepsafe: concern raised by ${raisedBy}${inSubject}`,
    `${urgent}${raisedBy} raised a concern${inPreview}. Open Keepsafe to read it.`,
    incident.id,
    incident.urgent,
  );
}

export const CATEGORY_SEPARATOR = " — ";

/** Who acted, on one line, and the categories as the subject and the preview put them (empty when none). */
function alertNames(personName: string, categoryNames: string[]) {
  const who = oneLine(personName) || "a member of staff";
  const categories = categoryNames.map(oneLine).filter(Boolean).join(", ");
  return {
    who,
    inSubject: categories ? `${CATEGORY_SEPARATOR}${categories}` : "",
    inPreview: categories ? ` (${categories})` : "",
  };
}

function alertContent(subject: string, preview: string, incidentId: string, urgent: boolean): AlertContent {
  return {
    subject: clip(subject, SUBJECT_MAX_LENGTH),
    preview: clip(preview, PREVIEW_MAX_LENGTH),
    deepLinkSubEntityId: `incident:${incidentId}`,
    urgent,
  };
}

/**
 * The category part of a subject built above, for the activity type's "{category}" template
 * parameter (the manifest's templateText is "{actor} raised a concern: {category}", and Teams fills
 * {actor} with the app's name in app-only calls). Kept beside buildAlertContent so the two agree.
 */
export function categoryLabelOf(content: AlertContent): string {
  const at = content.subject.lastIndexOf(CATEGORY_SEPARATOR);
  return at >= 0 ? content.subject.slice(at + CATEGORY_SEPARATOR.length) : "see Keepsafe";
}

/**
 * One activity-feed notification and one email per recipient. The ids are deterministic so that a
 * retried submission writes the same messages rather than alerting twice.
 */
export function buildOutboxMessages(incident: Incident, recipients: string[], content: AlertContent, now: Date | string): OutboxMessage[] {
  const about = { schoolId: incident.schoolId, pupilId: incident.pupilId, incidentId: incident.id };
  return outboxMessages(incident.id, about, recipients, content, now);
}

/**
 * The alert for staff tagged in an action: who added it and the incident's categories, never the
 * action's words (they may name the pupil or family) and never the pupil.
 */
export function buildActionAlertContent(action: Pick<IncidentAction, "incidentId" | "recordedBy">, categoryNames: string[]): AlertContent {
  const { who: addedBy, inSubject, inPreview } = alertNames(action.recordedBy.name, categoryNames);
  return alertContent(
    `Keepsafe: action added by ${addedBy}${inSubject}`,
    `${addedBy} added an action to a concern${inPreview} and tagged you. Open Keepsafe to read it.`,
    action.incidentId,
    false,
  );
}

/** One activity-feed notification and one email per tagged person; ids follow from the action, so a retry writes the same. */
export function buildActionOutboxMessages(
  action: Pick<IncidentAction, "id" | "incidentId" | "pupilId">,
  schoolId: string,
  recipients: string[],
  content: AlertContent,
  now: Date | string,
): OutboxMessage[] {
  const about = { schoolId, pupilId: action.pupilId, incidentId: action.incidentId, actionId: action.id };
  return outboxMessages(action.id, about, recipients, content, now);
}

/** A message per recipient and channel, with an id from `sourceId` so a retry writes the same ones. */
export function outboxMessages(
  sourceId: string,
  about: Pick<
    OutboxMessage,
    | "schoolId"
    | "pupilId"
    | "incidentId"
    | "actionId"
    | "changeId"
    | "assignment"
    | "reminder"
    | "readByTeam"
    | "task"
    | "referralOverdue"
    | "subjectAccessDue"
    | "earlyWarning"
  >,
  recipients: string[],
  content: AlertContent,
  now: Date | string,
): OutboxMessage[] {
  const at = typeof now === "string" ? now : now.toISOString();
  return [...new Set(recipients)].flatMap((staffId) =>
    (["activity-feed", "email"] as const).map((channel): OutboxMessage => ({
      id: `outbox:${sourceId}:${staffId}:${channel}`,
      ...about,
      recipientStaffId: staffId,
      channel,
      status: "pending",
      attempts: 0,
      nextAttemptAt: at,
      content: { ...content },
    })),
  );
}

/** A Teams deep link to Keepsafe's tab; the tab reads subEntityId as page.subPageId. */
export function buildDeepLink(teamsAppId: string, tabEntityId: string, subEntityId: string): string {
  return (
    `https://teams.microsoft.com/l/entity/${encodeURIComponent(teamsAppId)}/${encodeURIComponent(tabEntityId)}` +
    `?context=${encodeURIComponent(JSON.stringify({ subEntityId }))}`
  );
}

const escapeHtml = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");

/** The email body: the same words as the notification and a link into Teams. */
export function buildAlertEmailHtml(content: AlertContent, webUrl: string): string {
  return [
    `<p>${escapeHtml(content.preview)}</p>`,
    `<p><a href="${escapeHtml(webUrl)}">Open the concern in Keepsafe (Microsoft Teams)</a></p>`,
    "<p>This message does not contain the details of the concern. Please do not forward it.</p>",
  ].join("\n");
}
