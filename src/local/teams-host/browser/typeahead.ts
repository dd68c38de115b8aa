/**
 * Teams' dynamic typeahead (`Input.ChoiceSet` fed by `choices.data: {type: "Data.Query", dataset}`).
 *
 * The adaptivecards renderer would draw its own filtered list and then ask an AdaptiveApplet to fetch
 * choices, which a bare AdaptiveCard cannot do, so the set shows no choices. Instead, before rendering we
 * swap each such input for an Input.Text with the same id, and afterwards attach a suggestion list that
 * sends the `application/search` invoke. The chosen choice's value (not its title) is what the action sends.
 */

export interface Choice {
  title: string;
  value: string;
}

export interface TypeaheadSpec {
  id: string;
  dataset: string;
  staticChoices: Choice[];
  /** A preset value; its title is unknown until searched, so the box shows the value itself. */
  initialValue?: string;
}

export type SearchFn = (dataset: string, queryText: string) => Promise<Choice[]>;

/** Returns a copy of the card with dynamic choice sets replaced, and what was replaced. */
export function extractTypeaheads(card: unknown): { card: unknown; specs: TypeaheadSpec[] } {
  const specs: TypeaheadSpec[] = [];
  const walk = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(walk);
    if (!node || typeof node !== "object") return node;
    const obj = node as Record<string, any>;
    const query = obj["choices.data"] ?? (obj.choices && !Array.isArray(obj.choices) ? obj.choices.data : undefined);
    if (obj.type === "Input.ChoiceSet" && query?.type === "Data.Query" && typeof obj.id === "string") {
      specs.push({
        id: obj.id,
        dataset: String(query.dataset ?? ""),
        staticChoices: Array.isArray(obj.choices) ? obj.choices : [],
        initialValue: obj.value,
      });
      const { id, label, placeholder, isRequired, errorMessage, spacing, separator, isVisible, height, value } = obj;
      return { type: "Input.Text", id, label, placeholder, isRequired, errorMessage, spacing, separator, isVisible, height, value };
    }
    return Object.fromEntries(Object.entries(obj).map(([k, v]) => [k, walk(v)]));
  };
  return { card: walk(card), specs };
}

/** Wires a suggestion list under the rendered text box. */
export function attachTypeahead(input: HTMLInputElement, spec: TypeaheadSpec, search: SearchFn) {
  input.dataset.typeahead = spec.dataset;
  input.setAttribute("role", "combobox");
  input.setAttribute("aria-autocomplete", "list");
  input.autocomplete = "off";
  if (spec.initialValue) input.dataset.chosenValue = input.dataset.chosenTitle = spec.initialValue;
  const list = document.createElement("ul");
  list.className = "kh-typeahead";
  list.setAttribute("role", "listbox");
  list.hidden = true;
  input.insertAdjacentElement("afterend", list);

  let timer: number | undefined;
  let generation = 0;
  const show = (choices: Choice[], note?: string) => {
    list.replaceChildren();
    if (note) list.append(Object.assign(document.createElement("li"), { className: "kh-typeahead-note", textContent: note }));
    for (const choice of choices.slice(0, 15)) {
      const item = document.createElement("li");
      item.setAttribute("role", "option");
      item.textContent = choice.title;
      item.dataset.value = choice.value;
      // mousedown, not click: the input's blur would hide the list before a click lands.
      item.addEventListener("mousedown", (e) => {
        e.preventDefault();
        choose(input, choice);
        list.hidden = true;
      });
      list.append(item);
    }
    list.hidden = list.childElementCount === 0;
  };

  input.addEventListener("input", () => {
    delete input.dataset.chosenValue;
    window.clearTimeout(timer);
    const text = input.value.trim();
    if (!text) return show([]);
    timer = window.setTimeout(async () => {
      const mine = ++generation;
      const local = spec.staticChoices.filter((c) => c.title.toLowerCase().includes(text.toLowerCase()));
      try {
        const found = await search(spec.dataset, text);
        if (mine === generation) show([...local, ...found], found.length + local.length ? undefined : "No matches");
      } catch (err) {
        if (mine === generation) show(local, `Search failed: ${(err as Error).message}`);
      }
    }, 250);
  });
  input.addEventListener("blur", () => window.setTimeout(() => (list.hidden = true), 150));
}

function choose(input: HTMLInputElement, choice: Choice) {
  input.value = choice.title;
  input.dataset.chosenValue = choice.value;
  input.dataset.chosenTitle = choice.title;
  input.dispatchEvent(new Event("change", { bubbles: true }));
}

/** The value an action should carry for a typeahead: the chosen value, or nothing if none was chosen. */
export function typeaheadValue(input: HTMLInputElement): string | undefined {
  if (input.dataset.chosenValue !== undefined && input.dataset.chosenTitle === input.value) return input.dataset.chosenValue;
  return undefined;
}
