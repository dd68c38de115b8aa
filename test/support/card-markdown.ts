/**
 * What of a card Teams reads as Markdown, and what that Markdown would make of it. The parts are
 * the ones the real `adaptivecards` renderer hands to its host's Markdown processor: TextBlock
 * text, FactSet titles and values, Input.Toggle titles, and the titles of choices drawn as
 * checkboxes or radio buttons (GlobalSettings.useMarkdownInRadioButtonAndCheckbox). RichTextBlock
 * TextRuns and input labels are never read as Markdown, so they are not collected.
 *
 * The renderer itself leaves Markdown to its host (Teams uses a CommonMark processor) and no
 * CommonMark package is installed here, so the two questions asked of each part follow the
 * CommonMark rules for the syntax Adaptive Cards supports: does it hold a live link, and what
 * text does it show once backslash escapes are applied.
 */
import { createRequire } from "node:module";
import type * as AdaptiveCardsModule from "adaptivecards";

const require = createRequire(import.meta.url);
const AC = require("adaptivecards/dist/adaptivecards.js") as typeof AdaptiveCardsModule;

type Json = Record<string, any>;

export function markdownParts(card: object): string[] {
  const parts: string[] = [];
  const walk = (node: unknown) => {
    if (!node || typeof node !== "object") return;
    if (Array.isArray(node)) return node.forEach(walk);
    const el = node as Json;
    if (el.type === "TextBlock" && typeof el.text === "string") parts.push(el.text);
    if (el.type === "FactSet") for (const f of el.facts ?? []) parts.push(String(f.title ?? ""), String(f.value ?? ""));
    if (el.type === "Input.Toggle" && typeof el.title === "string") parts.push(el.title);
    if (el.type === "Input.ChoiceSet" && (el.isMultiSelect || el.style === "expanded"))
      for (const c of el.choices ?? []) if (typeof c.title === "string") parts.push(c.title);
    for (const v of Object.values(el)) walk(v);
  };
  walk(card);
  return parts;
}

/** Every element the real renderer's object model finds, as a check that the walk above saw the card Teams would. */
export function parsesInRenderer(card: object): boolean {
  const parsed = new AC.AdaptiveCard();
  parsed.parse(card, new AC.SerializationContext(AC.Versions.v1_5));
  return parsed.getItemCount() > 0;
}

const PUNCTUATION = /[!-/:-@[-`{-~]/;

/** The text a part shows after CommonMark backslash escapes, and which of its characters stayed syntax. */
function scan(text: string): { shown: string; live: boolean[] } {
  let shown = "";
  const live: boolean[] = [];
  for (let i = 0; i < text.length; i++) {
    if (text[i] === "\\" && i + 1 < text.length && PUNCTUATION.test(text[i + 1])) {
      shown += text[++i];
      live.push(false);
    } else {
      shown += text[i];
      live.push(true);
    }
  }
  return { shown, live };
}

/** What the part shows as text: "\[x\]" shows "[x]". */
export const shownText = (text: string) => scan(text).shown;

/** Live Markdown links in a part: `[label](target)` or `<scheme:...>` made of unescaped syntax. */
export function liveLinks(text: string): string[] {
  const { shown, live } = scan(text);
  const found: string[] = [];
  for (let open = 0; open < shown.length; open++) {
    if (!live[open]) continue;
    if (shown[open] === "<") {
      const close = shown.indexOf(">", open);
      if (close > open && live[close] && /^<[a-z][a-z0-9+.-]*:[^\s<>]*>$/i.test(shown.slice(open, close + 1)))
        found.push(shown.slice(open, close + 1));
      continue;
    }
    if (shown[open] !== "[") continue;
    for (let mid = open + 1; mid < shown.length - 1; mid++) {
      if (!(shown[mid] === "]" && live[mid] && shown[mid + 1] === "(" && live[mid + 1])) continue;
      const end = shown.indexOf(")", mid + 2);
      if (end > mid && live[end]) found.push(shown.slice(open, end + 1));
      break;
    }
  }
  return found;
}

/** Emphasis markers (*, _, `) left unescaped in a part. */
export const liveEmphasis = (text: string) => {
  const { shown, live } = scan(text);
  return [...shown].filter((c, i) => live[i] && /[*_`]/.test(c)).length;
};
