/**
 * The record-concern form shown in a dialog (the message extension's "Record a concern about
 * this"). Dialog cards submit with Action.Submit, not Universal Actions, so each Action.Execute
 * becomes the Action.Submit it already names as its fallback; the data is the same either way.
 */
import type { AdaptiveCard, CardElement } from "./card-kit.js";

export function asDialogCard(form: AdaptiveCard, note?: string): AdaptiveCard {
  const actions = (form.actions ?? [])
    .map((a) => (a.type === "Action.Execute" && a.fallback && typeof a.fallback === "object" ? (a.fallback as CardElement) : a))
    // The note rides with the data, so a form shown again with problems still says where it came from.
    .map((a) => (note && a.type === "Action.Submit" ? { ...a, data: { ...(a.data as object), origin: note } } : a));
  const [heading, ...rest] = form.body;
  // Where the words came from sits under the heading, before anything else on the form. The note
  // names the message's sender, so it is a TextRun: never read as Markdown, a link in a display
  // name shows as typed.
  const provenance: CardElement = {
    type: "RichTextBlock",
    spacing: "None",
    inlines: [{ type: "TextRun", text: note ?? "", isSubtle: true, size: "Small" }],
  };
  const body = note && heading ? [heading, provenance, ...rest] : form.body;
  return { ...form, body, ...(actions.length ? { actions } : {}) };
}
