/** Reading cards in tests: the real renderer's complaints, and every element however nested. */
import { createRequire } from "node:module";
import type * as AdaptiveCardsModule from "adaptivecards";
import type { FormOptions } from "../../../src/app/views.js";
import { DEFAULT_CATEGORIES } from "../../../src/domain/categories.js";

// Under Node.js only the bundled build resolves (platform-notes).
const require = createRequire(import.meta.url);
const AC = require("adaptivecards/dist/adaptivecards.js") as typeof AdaptiveCardsModule;

export type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** The renderer does not know Teams' Data.Query typeahead and calls its choice set empty. */
export const TYPEAHEAD_NOTE = "validate: An Input.ChoiceSet must have at least one choice defined.";

export function rendererComplaints(json: object): string[] {
  const card = new AC.AdaptiveCard();
  const context = new AC.SerializationContext();
  card.parse(json, context);
  const out: string[] = [];
  for (let i = 0; i < context.eventCount; i++) out.push(`parse: ${context.getEventAt(i).message}`);
  for (const e of card.validateProperties().validationEvents) out.push(`validate: ${e.message}`);
  return out;
}

/** Every element of a card, in order, inside containers, columns and action sets' targets. */
export function elements(card: Json): Json[] {
  const out: Json[] = [];
  const walk = (items: Json[] = []) => {
    for (const el of items) {
      out.push(el);
      walk(el.items);
      for (const col of el.columns ?? []) walk(col.items);
    }
  };
  walk(card.body);
  return out;
}
/** The input with this id; undefined (typed loosely, as cards are) when the card has none. */
export const input = (card: Json, id: string): Json => elements(card).find((e) => e.id === id)!;
export const inputIds = (card: Json) =>
  elements(card)
    .filter((e) => String(e.type).startsWith("Input."))
    .map((e) => String(e.id));

/** Every Action.Execute / Action.Submit on the card, in the body's action sets and at the bottom. */
export function actions(card: Json): Json[] {
  return [
    ...elements(card)
      .filter((e) => e.type === "ActionSet")
      .flatMap((e) => e.actions),
    ...(card.actions ?? []),
  ];
}

export function formOptions(extra: Partial<FormOptions> = {}): FormOptions {
  return {
    categories: DEFAULT_CATEGORIES.filter((c) => !c.dslAllocatedOnly).map((c) => ({
      id: c.id,
      name: c.name,
      guidance: c.guidance,
      subCategories: c.subCategories,
      protected: c.protected,
      fields: c.fields,
    })),
    staff: [
      { id: "s-dsl", name: "Helen Okafor", role: "DSL" },
      { id: "s-slt", name: "Priya Raman", role: "SLT" },
      { id: "s-t", name: "Gareth Hughes", role: "STAFF" },
    ],
    alertGroups: [{ id: "safeguarding-team", name: "Safeguarding team" }],
    locations: ["Classroom", "Playground"],
    sessions: [
      { id: "morning", label: "Morning" },
      { id: "lunch", label: "Lunchtime" },
    ],
    timeZone: "Europe/London",
    now: "2025-07-01T23:30:00.000Z",
    ...extra,
  };
}
