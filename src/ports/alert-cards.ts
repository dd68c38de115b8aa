/**
 * The alert card in Teams chat: after a person's alert has gone out, the bot sends them a card
 * in their personal chat with Keepsafe ("Mark as read", "Add action"). Built by bot/, so src/ never
 * imports botbuilder. Best effort: the activity-feed notification and the email are the alert.
 */
export interface AlertCardSender {
  /** "sent", or "no-conversation" when the person has never talked to the bot (Teams gives no way in). */
  sendAlertCard(alert: { schoolId: string; incidentId: string; recipientStaffId: string }): Promise<"sent" | "no-conversation">;
}
