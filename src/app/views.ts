/**
 * What the tab and the bot are shown: records joined with names, already filtered by the policy.
 * The tab API's answers are described once, in the contract (src/contract/views.ts); the use cases
 * build values of those types. Only the bot's own views live here.
 */
export type {
  ActionView,
  ChronologyRow,
  ChronologyView,
  FormOptions,
  IncidentChangeView,
  IncidentDetailFields,
  IncidentView,
  MeView,
} from "../contract/views.js";

/**
 * What the alert card in Teams chat shows its recipient: who raised the concern and its categories,
 * never the pupil or the account (a chat preview or a shared screen may show it).
 */
export interface AlertCardView {
  incidentId: string;
  raisedByName: string;
  categoryNames: string[];
  urgent: boolean;
  /** When this recipient marked it read, if they have. */
  acknowledgedAt?: string;
  timeZone: string;
}
