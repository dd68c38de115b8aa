/** Microsoft Graph as Keepsafe uses it: an activity-feed notification and an email. */
export interface ActivityNotification {
  recipientStaffId: string;
  activityType:
    | "concernRaised"
    | "urgentConcernRaised"
    | "actionAdded"
    | "recordAssigned"
    | "recordReassigned"
    | "plannerReminder"
    | "concernRead"
    | "taskAssigned"
    | "taskOverdue"
    | "referralOverdue"
    | "subjectAccessDue"
    | "earlyWarning";
  previewText: string;
  /** Teams deep link to the tab, opening the incident. */
  webUrl: string;
  templateParameters: { name: string; value: string }[];
  /**
   * The outbox message's id. Graph turns it into the notification's chainId, so a resend of the
   * same alert replaces the earlier one in the recipient's feed instead of adding a second.
   */
  idempotencyKey: string;
}

export interface AlertEmail {
  fromMailbox: string;
  toAddress: string;
  subject: string;
  bodyHtml: string;
  /** Lets the receiving side (and the sandbox) spot a resend of the same alert. */
  idempotencyKey: string;
}

export interface Notifier {
  sendActivityNotification(n: ActivityNotification): Promise<void>;
  sendMail(m: AlertEmail): Promise<void>;
}

/** A failure the dispatcher should retry later (outage, 429, 5xx), with the server's advice if any. */
export class TransientNotifyError extends Error {
  constructor(
    message: string,
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = "TransientNotifyError";
  }
}
