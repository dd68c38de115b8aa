/**
 * The alert card sent into a person's personal chat with Keepsafe when they are alerted to a
 * concern, and the "Add action" form it turns into. A chat preview or a shared screen may show
 * the card, so, like the notification and the email, it says who raised the concern and its
 * categories: never the pupil and never the account. The card refreshes per user (refresh.userIds),
 * so "Read by you at …" is always the reader's own state.
 */
import { TAG_APPROVAL_NOTE } from "../../src/domain/policy/action.js";
import type { AlertCardView } from "../../src/app/views.js";
import type { FieldProblem } from "../../src/domain/errors.js";
import { LIMITS } from "../../src/domain/limits.js";
import { formatWallClock } from "../../src/domain/wall-clock.js";
import { card, heading, problem, text, type AdaptiveCard, type CardElement } from "./card-kit.js";
import { choice, FormKit, hint, literalChoice } from "./concern-form-kit.js";

export const ACKNOWLEDGE_ALERT_VERB = "acknowledgeAlert";
export const REFRESH_ALERT_CARD_VERB = "refreshAlertCard";
export const OPEN_ADD_ACTION_VERB = "openAddAction";
export const ADD_ACTION_VERB = "addAction";
export const ALERT_CARD_VERBS: readonly string[] = [ACKNOWLEDGE_ALERT_VERB, REFRESH_ALERT_CARD_VERB, OPEN_ADD_ACTION_VERB, ADD_ACTION_VERB];

export const ALERT_CARD_NOTE = "Open Keepsafe to read the record. This card does not say who it is about.";

/** A Universal Action with the Action.Submit fallback older clients need (platform-notes); the data carries the verb for the fallback. */
const execute = (title: string, verb: string, data: Record<string, unknown>, extra: CardElement = {}): CardElement => ({
  type: "Action.Execute",
  title,
  verb,
  data,
  ...extra,
  fallback: { type: "Action.Submit", title, data: { ...data, verb }, ...extra },
});

/** The card's headline, e.g. "Helen Okafor raised a concern — Behaviour, Bullying". */
export const alertHeadline = (view: Pick<AlertCardView, "raisedByName" | "categoryNames" | "urgent">) =>
  `${view.urgent ? "URGENT: " : ""}${view.raisedByName} raised a concern — ${view.categoryNames.join(", ")}`;

export interface AlertCardOptions {
  /** Teams deep link to the tab at this incident (subEntityId incident:{id}). */
  deepLink: string;
  /** The recipient's MRI ("29:…"): Teams refreshes the card for them only. */
  userIds: string[];
  /** A line under the headline, e.g. after an action was added. */
  notice?: string;
}

export function alertCard(view: AlertCardView, opts: AlertCardOptions): AdaptiveCard {
  const data = { incidentId: view.incidentId };
  const body: CardElement[] = [
    // A TextRun, so a "*" or "_" in a name shows as typed rather than as markdown.
    {
      type: "RichTextBlock",
      inlines: [{ type: "TextRun", text: alertHeadline(view), weight: "Bolder", size: "Medium", ...(view.urgent ? { color: "Attention" } : {}) }],
    },
    text(ALERT_CARD_NOTE, { isSubtle: true, spacing: "Small" }),
    ...(view.acknowledgedAt
      ? [text(`Read by you at ${formatWallClock(view.acknowledgedAt, view.timeZone)}`, { color: "Good", spacing: "Small" })]
      : []),
    ...(opts.notice ? [text(opts.notice, { spacing: "Small" })] : []),
  ];
  const actions: CardElement[] = [
    { type: "Action.OpenUrl", title: "Open in Keepsafe", url: opts.deepLink },
    ...(view.acknowledgedAt ? [] : [execute("Mark as read", ACKNOWLEDGE_ALERT_VERB, data, { style: "positive" })]),
    execute("Add action", OPEN_ADD_ACTION_VERB, data),
  ];
  return {
    ...card(body, actions),
    refresh: { action: { type: "Action.Execute", verb: REFRESH_ALERT_CARD_VERB, data }, userIds: opts.userIds },
  };
}

export interface AddActionCardState {
  /** Made once per form, so a double click adds one action. */
  requestId: string;
  staff: { id: string; name: string; role: string }[];
  /** The school's wall clock now, the date and time the form starts with. */
  now: { date: string; time: string };
  values?: Record<string, string>;
  errors?: FieldProblem[];
}

/** "Add action" from the alert card: what was done or agreed, when, and who to tag (they are alerted). */
export function addActionCard(view: AlertCardView, state: AddActionCardState): AdaptiveCard {
  const kit = new FormKit(
    { occurredDate: state.now.date, occurredTime: state.now.time, kind: "action", ...(state.values ?? {}) },
    state.errors ?? [],
  );
  const fields: CardElement[] = [
    ...kit.field({
      type: "Input.Text",
      id: "text",
      label: `What was done or agreed (up to ${LIMITS.actionMaxLength.toLocaleString("en-GB")} characters)`,
      isMultiline: true,
      maxLength: LIMITS.actionMaxLength,
    }),
    ...kit.field({ type: "Input.Date", id: "occurredDate", label: "Date it happened or was agreed", max: state.now.date }),
    ...kit.field({ type: "Input.Time", id: "occurredTime", label: "Time" }),
    ...kit.field({
      type: "Input.ChoiceSet",
      id: "kind",
      label: "This is",
      choices: [choice("An action or follow-up", "action"), choice("A correction of the record", "correction")],
    }),
    ...kit.field(
      {
        type: "Input.ChoiceSet",
        id: "taggedStaffIds",
        label: "Tag staff (they are alerted and can see this action)",
        isMultiSelect: true,
        choices: state.staff.map((s) => literalChoice(s.name, s.id, ` (${s.role})`)),
      },
      [hint("Only those tagged, you and the DSLs will see this action."), hint(TAG_APPROVAL_NOTE)],
    ),
  ];
  const unplaced = kit.unplaced();
  const summary = state.errors?.length
    ? [problem("Some fields need attention. Nothing has been saved yet."), ...unplaced.map((e) => problem(e.message))]
    : [];
  return card(
    [
      heading("Add an action"),
      { type: "RichTextBlock", inlines: [{ type: "TextRun", text: `For: ${alertHeadline(view)}`, isSubtle: true }] },
      ...summary,
      ...fields,
    ],
    [
      execute("Add action", ADD_ACTION_VERB, { incidentId: view.incidentId, requestId: state.requestId }, { style: "positive" }),
      execute("Cancel", REFRESH_ALERT_CARD_VERB, { incidentId: view.incidentId }),
    ],
  );
}
