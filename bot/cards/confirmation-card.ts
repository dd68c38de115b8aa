/**
 * What replaces the form once a concern is stored: a read-only copy the person can check,
 * with the reference to quote and the rule that submitted records are never edited.
 */
import type { Incident } from "../../src/domain/incident.js";
import { PART_LABELS, type LinkedPart } from "../../src/domain/incident.js";
import { ALLEGATION_GUIDANCE } from "../../src/domain/allegations.js";
import { formatWallClock } from "../../src/domain/wall-clock.js";
import { describeMark } from "../../src/domain/body-map.js";
import { card, factSet, heading, plainField, text, type CardElement } from "./card-kit.js";

export const IMMUTABLE_NOTICE = "This record cannot be edited. If something is wrong, tell a DSL, who will add a correcting action.";

export interface ConfirmationView {
  pupilName: string;
  categoryNames: string[];
  alertedNames: string[];
  /** The school's zone, so the time reads as it did on the form; UTC when not known. */
  timeZone?: string;
  /** Set when the same form was submitted twice: the first record is shown, nothing new was stored. */
  alreadyRecorded?: boolean;
  subCategoryNames?: string[];
  /** Each category field as "label: value(s)", in the form's order. */
  categoryFieldLines?: { label: string; value: string }[];
  linkedPupils?: { name: string; part: LinkedPart }[];
  assignedToName?: string;
  /** The session as the form named it ("Lunchtime"). */
  sessionLabel?: string;
  /** Names of the adults an allegation concerns (the person who raised it chose them). */
  allegationNames?: string[];
}

type ShownIncident = Pick<Incident, "reference" | "occurredAt" | "account"> &
  Partial<
    Pick<
      Incident,
      | "status"
      | "urgent"
      | "toldDslInPerson"
      | "disclosure"
      | "agencyInvolved"
      | "plannerReminder"
      | "dayOfWeek"
      | "session"
      | "location"
      | "bodyMap"
      | "files"
    >
  >;

export function confirmationCard(incident: ShownIncident, view: ConfirmationView) {
  const facts = [
    { title: "Reference", value: incident.reference },
    { title: "Date and time", value: formatWallClock(incident.occurredAt, view.timeZone ?? "UTC") },
    ...(incident.status ? [{ title: "Status", value: incident.status === "closed" ? "Closed (no further action)" : "Active" }] : []),
  ];
  const optional: CardElement[] = [];
  const add = (label: string, value: string | undefined) => {
    if (value) optional.push(plainField(label, value));
  };
  add("Session", view.sessionLabel);
  add("Location", incident.location);
  add("Sub-categories", view.subCategoryNames?.join(", "));
  for (const line of view.categoryFieldLines ?? []) add(line.label, line.value);
  add("Linked pupils", view.linkedPupils?.map((l) => `${l.name} (${PART_LABELS[l.part].toLowerCase()})`).join("; "));
  if (incident.disclosure) add("Disclosure", "Yes");
  if (incident.toldDslInPerson !== undefined) add("Told a DSL in person", incident.toldDslInPerson ? "Yes" : "Not yet: go and tell a DSL now");
  add("Assigned to", view.assignedToName);
  add("Agency involved", incident.agencyInvolved);
  if (incident.plannerReminder)
    add(
      "Planner reminder",
      `${incident.plannerReminder.date} ${incident.plannerReminder.time}${incident.plannerReminder.note ? `: ${incident.plannerReminder.note}` : ""}`,
    );
  const marks = incident.bodyMap?.marks ?? [];
  if (marks.length) {
    add("Body map", `${marks.length} ${marks.length === 1 ? "mark" : "marks"}`);
    // Each mark on its own line, as typed (TextRuns are not read as Markdown).
    for (const [i, mark] of marks.entries())
      optional.push({ type: "RichTextBlock", spacing: "None", inlines: [{ type: "TextRun", text: describeMark(mark, i) }] });
  }
  add("Files", incident.files?.map((f) => f.name).join(", "));
  if (view.allegationNames?.length) {
    add("Allegation about", view.allegationNames.join(", "));
    optional.push(text(ALLEGATION_GUIDANCE, { size: "Small", isSubtle: true, spacing: "None" }));
  }

  const body: CardElement[] = [
    heading(view.alreadyRecorded ? "Concern already recorded" : "Concern recorded"),
    ...(incident.urgent
      ? [text("URGENT: you have not yet told a DSL in person. Go and tell one now.", { color: "Attention", weight: "Bolder" })]
      : []),
    text(
      view.alreadyRecorded
        ? "This form was already submitted, so nothing new was saved. This is the record it made."
        : "Thank you. The people below have been alerted.",
      { spacing: "None" },
    ),
    factSet(facts),
    plainField("Pupil", view.pupilName),
    plainField("Categories", view.categoryNames.join(", ")),
    ...optional,
    plainField("Alerted", view.alertedNames.length ? view.alertedNames.join(", ") : "Nobody"),
    text("Account", { weight: "Bolder", spacing: "Medium" }),
    // The account is shown exactly as written: TextRuns are not read as markdown.
    { type: "RichTextBlock", inlines: [{ type: "TextRun", text: incident.account }] },
    text(IMMUTABLE_NOTICE, { isSubtle: true, size: "Small", spacing: "Medium" }),
  ];
  return card(body);
}
