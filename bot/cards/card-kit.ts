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

export const text = (value: string, extra: CardElement = {}): CardElement => ({
  type: "TextBlock",
  text: value,
  wrap: true,
  ...extra,
});

export const heading = (value: string): CardElement =>
  text(value, { size: "Large", weight: "Bolder", style: "heading" });

export const problem = (message: string): CardElement => text(message, { color: "Attention", spacing: "None", size: "Small" });

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
