/**
 * The form card's way into the body map dialog. Teams opens a dialog from a card through an
 * Action.Submit whose data says `msteams: {type: "task/fetch"}` (platform-notes, "Dialogs"); the
 * bot then answers task/fetch with the page's URL. Dialogs cannot be opened from a dialog, so
 * the button belongs on the chat form only, not on the message extension's form.
 */
import { text, type AdaptiveCard, type CardElement } from "./card-kit.js";

export const BODY_MAP_DIALOG = "body-map";
/** The evidence files dialog (letters, notes, photos, scanned paper forms), opened the same way. */
export const FILES_DIALOG = "files";

export const bodyMapAction = (submissionId: string, marks = 0): CardElement => ({
  type: "Action.Submit",
  title: marks ? `Body map (${marks} ${marks === 1 ? "mark" : "marks"})` : "Body map",
  data: { msteams: { type: "task/fetch" }, dialog: BODY_MAP_DIALOG, submissionId },
});

export const filesAction = (submissionId: string): CardElement => ({
  type: "Action.Submit",
  title: "Attach files",
  data: { msteams: { type: "task/fetch" }, dialog: FILES_DIALOG, submissionId },
});

/**
 * Said just above the buttons: some Teams clients (and Microsoft's Agents Playground) cannot open
 * dialogs, and then the buttons do nothing, so the person needs to know where else to go.
 */
export const NO_DIALOG_HINT = "If Body map or Attach files opens nothing here, record this concern in the Keepsafe tab instead: it can add both.";

/** The record-concern card with the body map and files buttons after its own actions. */
export function withBodyMapButton(form: AdaptiveCard, submissionId: string, marks = 0): AdaptiveCard {
  return {
    ...form,
    body: [...form.body, text(NO_DIALOG_HINT, { size: "Small", isSubtle: true, spacing: "Medium" })],
    actions: [...(form.actions ?? []), bodyMapAction(submissionId, marks), filesAction(submissionId)],
  };
}
