/**
 * Renders an Adaptive Card with the real `adaptivecards` renderer, the same engine family Teams uses, so a
 * card that fails here is worth a look before it ships. Actions are handed back to the chat pane, which
 * turns them into the activities Teams would send.
 */

import * as AC from "adaptivecards";
import { attachTypeahead, extractTypeaheads, typeaheadValue, type SearchFn } from "./typeahead.js";
import { registerUkDateInputs } from "./uk-date-inputs.js";

export interface CardActionHandlers {
  execute(action: { id?: string; verb?: string; data: Record<string, unknown> }): Promise<void>;
  submit(data: Record<string, unknown>): Promise<void>;
  openUrl(url: string): void;
  search: SearchFn;
}

registerUkDateInputs();

const hostConfig = new AC.HostConfig({
  fontFamily: "'Segoe UI', system-ui, sans-serif",
  supportsInteractivity: true,
});

/**
 * Teams renders a small Markdown subset in TextBlocks; without this the renderer shows raw asterisks.
 * Escape first, so card text can never inject HTML, then apply bold, italics, links and line breaks.
 */
AC.AdaptiveCard.onProcessMarkdown = (text, result) => {
  const escaped = text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  result.outputHtml = escaped
    .replace(/\*\*(.+?)\*\*/g, "<strong>$1</strong>")
    .replace(/(^|[\s(])_(.+?)_(?=$|[\s.,;:!?)])/g, "$1<em>$2</em>")
    .replace(/\[([^\]]+)\]\((https?:\/\/[^\s)]+)\)/g, '<a href="$2" target="_blank" rel="noopener">$1</a>')
    .replace(/\r?\n/g, "<br>");
  result.didProcess = true;
};

export function renderAdaptiveCard(json: unknown, handlers: CardActionHandlers): HTMLElement {
  const { card: prepared, specs } = extractTypeaheads(json);
  const card = new AC.AdaptiveCard();
  card.hostConfig = hostConfig;
  const typeaheadInputs = new Map<string, HTMLInputElement>();

  card.onExecuteAction = (action) => {
    if (action instanceof AC.OpenUrlAction) {
      if (action.url) handlers.openUrl(action.url);
      return;
    }
    if (!(action instanceof AC.ExecuteAction) && !(action instanceof AC.SubmitAction)) return;
    // After prepareForExecution, `data` is the action's data with every referenced input merged in.
    const raw = action.data;
    const data: Record<string, unknown> = raw && typeof raw === "object" ? { ...(raw as Record<string, unknown>) } : {};
    for (const [id, input] of typeaheadInputs) {
      if (!(id in data) && !input.value) continue;
      const value = typeaheadValue(input);
      if (value === undefined) delete data[id];
      else data[id] = value;
    }
    const host = rendered as HTMLElement;
    host.classList.add("kh-busy");
    const done = () => host.classList.remove("kh-busy");
    const work = action instanceof AC.ExecuteAction ? handlers.execute({ id: action.id, verb: action.verb, data }) : handlers.submit(data);
    void work.finally(done);
  };

  card.parse(prepared);
  const rendered = card.render();
  if (!rendered) {
    const failed = document.createElement("div");
    failed.className = "kh-card-error";
    failed.textContent = "This card could not be rendered.";
    return failed;
  }
  for (const spec of specs) {
    const input = card.getElementById(spec.id)?.renderedElement?.querySelector("input");
    if (input) {
      typeaheadInputs.set(spec.id, input);
      attachTypeahead(input, spec, handlers.search);
    }
  }
  return rendered;
}
