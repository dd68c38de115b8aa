/**
 * Small builders shared by Keepsafe's cards. Cards are plain JSON so they can be unit-tested
 * with the real renderer and sent unchanged through any SDK.
 */
export type CardElement = Record<string, unknown>;

export interface AdaptiveCard {
  type: "AdaptiveCard";
  $schema: string;
  version: "1.5";
  body: CardElement[];
  actions?: CardElement[];
  [key: string]: unknown;
}

/** Teams renders Adaptive Cards up to 1.5 (platform-notes), so every card says so. */
export const card = (body: CardElement[], actions?: CardElement[]): AdaptiveCard => ({
  type: "AdaptiveCard",
  $schema: "http://adaptivecards.io/schemas/adaptive-card.json",
  version: "1.5",
  body,
  ...(actions && actions.length ? { actions } : {}),
});

/**
 * Someone else's words (a name, a message's sender, a category the school named) made safe for
 * the places Teams reads as Markdown: TextBlock text, FactSet facts, and choice and toggle titles.
 * Every character that could start a link, emphasis, code, an HTML tag or an entity is
 * backslash-escaped, as are list, heading and quote markers at the start of a line, so the
 * renderer's Markdown pass gives back exactly what was typed (a CommonMark backslash escape
 * shows the character itself). Ordinary punctuation mid-line (a hyphen in "Mary-Jane", a full
 * stop) is left alone, since it cannot change the meaning there.
 */
export function markdownLiteral(value: string): string {
  return value
    .replace(/[\\`*_[\]()<>&~|]/g, "\\$&")
    .replace(/^([ \t]*)([-+#=>])/gm, "$1\\$2")
    .replace(/^([ \t]*\d+)([.)])/gm, "$1\\$2");
}

/** A TextBlock of our own words; for anyone else's, wrap them in markdownLiteral or use plainField. */
export const text = (value: string, extra: CardElement = {}): CardElement => ({
  type: "TextBlock",
  text: value,
  wrap: true,
  ...extra,
});

export const heading = (value: string): CardElement => text(value, { size: "Large", weight: "Bolder", style: "heading" });

/** A problem's message can name a category the school named, so it is shown as typed. */
export const problem = (message: string): CardElement => text(markdownLiteral(message), { color: "Attention", spacing: "None", size: "Small" });

/** Groups of elements side by side, in columns of equal width. */
export const sideBySide = (...groups: CardElement[][]): CardElement => ({
  type: "ColumnSet",
  columns: groups.map((items) => ({ type: "Column", width: "stretch", items })),
});

export const factSet = (facts: { title: string; value: string }[]): CardElement => ({ type: "FactSet", facts });

/**
 * A labelled value whose text came from people (names, the account). TextRuns are never read as
 * markdown, so a "*" or "_" in someone's words shows as typed instead of changing the meaning.
 */
export const plainField = (label: string, value: string): CardElement => ({
  type: "RichTextBlock",
  inlines: [
    { type: "TextRun", text: `${label}: `, weight: "Bolder" },
    { type: "TextRun", text: value },
  ],
});
