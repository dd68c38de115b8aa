/**
 * What replaces the form once a concern is stored: a read-only copy the person can check,
 * with the reference to quote and the rule that submitted records are never edited.
 */
import type { Incident } from "../../src/domain/incident.js";
import { formatWallClock } from "../school-time.js";
import { card, factSet, heading, plainField, text, type CardElement } from "./card-kit.js";

export const IMMUTABLE_NOTICE =
  "This record cannot be edited. If something is wrong, tell a DSL, who will add a correcting action.";

export interface ConfirmationView {
  pupilName: string;
  categoryNames: string[];
  alertedNames: string[];
  /** The school's zone, so the time reads as it did on the form; UTC when not known. */
  timeZone?: string;
  /** Set when the same form was submitted twice: the first record is shown, nothing new was stored. */
  alreadyRecorded?: boolean;
}

export function confirmationCard(
  incident: Pick<Incident, "reference" | "occurredAt" | "account">,
  view: ConfirmationView,
) {
  const body: CardElement[] = [
    heading(view.alreadyRecorded ? "Concern already recorded" : "Concern recorded"),
    text(
      view.alreadyRecorded
        ? "This form was already submitted, so nothing new was saved. This is the record it made."
        : "Thank you. The people below have been alerted.",
      { spacing: "None" },
    ),
    factSet([
      { title: "Reference", value: incident.reference },
      { title: "Date and time", value: formatWallClock(incident.occurredAt, view.timeZone ?? "UTC") },
    ]),
    plainField("Pupil", view.pupilName),
    plainField("Categories", view.categoryNames.join(", ")),
    plainField("Alerted", view.alertedNames.length ? view.alertedNames.join(", ") : "Nobody"),
    text("Account", { weight: "Bolder", spacing: "Medium" }),
    // The account is shown exactly as written: TextRuns are not read as markdown.
    { type: "RichTextBlock", inlines: [{ type: "TextRun", text: incident.account }] },
    text(IMMUTABLE_NOTICE, { isSubtle: true, size: "Small", spacing: "Medium" }),
  ];
  return card(body);
}
