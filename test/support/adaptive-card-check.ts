/**
 * Checks a card the way Teams' 1.5 client would read it, with the real `adaptivecards` object
 * model at target version 1.5: parse and validation events, and every property must survive a
 * parse → toJSON round trip (a property the 1.5 model does not know, or knows only from a later
 * version, is dropped there). Teams' own extensions are allowed by name.
 */
import { createRequire } from "node:module";
import type * as AdaptiveCardsModule from "adaptivecards";

const require = createRequire(import.meta.url);
const AC = require("adaptivecards/dist/adaptivecards.js") as typeof AdaptiveCardsModule;

/** Teams-only keys the renderer does not model; allowed where Teams documents them. */
const TEAMS_EXTENSIONS = new Set(["msteams", "refresh", "authentication", "$schema", "metadata", "choices.data"]);
/** In the 1.5 schema but not written back by this renderer's toJSON. */
const NOT_ROUND_TRIPPED = new Set(["fallback"]);
/** The renderer calls a Data.Query choice set empty: Teams fills it by application/search. */
const TYPEAHEAD_NOTE = "An Input.ChoiceSet must have at least one choice defined.";

type Json = Record<string, unknown>;

export function adaptiveCard15Problems(json: object): string[] {
  const problems: string[] = [];
  const card = new AC.AdaptiveCard();
  const context = new AC.SerializationContext(AC.Versions.v1_5);
  card.parse(json, context);
  for (let i = 0; i < context.eventCount; i++) {
    const message = context.getEventAt(i).message;
    // Teams renders Data.Query typeahead in 1.5 cards; this renderer dates it to 1.6.
    if (/Property "choices\.data" is supported in version 1\.6/.test(message)) continue;
    problems.push(`parse: ${message}`);
  }
  const typeaheads = countTypeaheads(json);
  let typeaheadNotes = 0;
  for (const e of card.validateProperties().validationEvents) {
    if (e.message === TYPEAHEAD_NOTE && typeaheadNotes < typeaheads) typeaheadNotes++;
    else problems.push(`validate: ${e.message}`);
  }
  if ((json as Json).version !== "1.5") problems.push(`version is ${String((json as Json).version)}, not 1.5`);
  const round = card.toJSON(new AC.SerializationContext(AC.Versions.v1_5)) as Json;
  compare(json as Json, round, "card", problems);
  return problems;
}

/** A fallback action is checked as a card action of its own. */
function compareStandalone(value: unknown, path: string, problems: string[]) {
  if (!value || typeof value !== "object") return;
  const wrapper = { type: "AdaptiveCard", version: "1.5", body: [], actions: [value] };
  const card = new AC.AdaptiveCard();
  card.parse(wrapper, new AC.SerializationContext(AC.Versions.v1_5));
  const round = card.toJSON(new AC.SerializationContext(AC.Versions.v1_5)) as Json;
  compare(value, (round.actions as unknown[] | undefined)?.[0], path, problems);
}

function countTypeaheads(node: unknown): number {
  if (!node || typeof node !== "object") return 0;
  if (Array.isArray(node)) return node.reduce((n, x) => n + countTypeaheads(x), 0);
  const o = node as Json;
  const own = o.type === "Input.ChoiceSet" && o["choices.data"] ? 1 : 0;
  return own + Object.values(o).reduce<number>((n, v) => n + countTypeaheads(v), 0);
}

/** Properties serialised at their default value are omitted by toJSON; those are not problems. */
const isDefaultLike = (v: unknown) =>
  v === false || v === "" || v === "default" || v === "Default" || v === "auto" || v === "Auto" || (Array.isArray(v) && v.length === 0);

function compare(original: unknown, round: unknown, path: string, problems: string[]) {
  if (Array.isArray(original)) {
    const r = Array.isArray(round) ? round : [];
    original.forEach((item, i) => compare(item, r[i], `${path}[${i}]`, problems));
    return;
  }
  if (!original || typeof original !== "object") return;
  const o = original as Json;
  const r = (round && typeof round === "object" ? round : {}) as Json;
  for (const [key, value] of Object.entries(o)) {
    if (TEAMS_EXTENSIONS.has(key)) continue;
    if (NOT_ROUND_TRIPPED.has(key)) {
      compareStandalone(value, `${path}.${key}`, problems);
      continue;
    }
    if (!(key in r)) {
      if (key === "isVisible" && value === true) continue;
      if ((key === "valueOn" && value === "true") || (key === "valueOff" && value === "false")) continue;
      if (isDefaultLike(value)) continue;
      problems.push(`${path}.${key} is not an Adaptive Cards 1.5 property here`);
      continue;
    }
    if (key === "data") continue; // action data is free-form JSON
    compare(value, r[key], `${path}.${key}`, problems);
  }
}
