/**
 * For failures the person cannot fix on the form (the store is busy, a bug). The form they
 * filled in stays in the chat, so the message says so rather than leaving them to re-type.
 */
import { card, heading, markdownLiteral, text } from "./card-kit.js";

export const UNEXPECTED_FAILURE_MESSAGE =
  "Sorry, something went wrong and the concern was not saved yet. Nothing you typed has been lost: " +
  "the form is still above, so please try submitting it again. If it keeps failing, tell a DSL in person.";

export function errorCard(message: string = UNEXPECTED_FAILURE_MESSAGE) {
  // A domain error's message can name a category the school named; it is shown as written.
  return card([heading("Not saved yet"), text(markdownLiteral(message))]);
}
