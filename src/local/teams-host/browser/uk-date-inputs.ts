/**
 * Input.Date and Input.Time as UK staff read them in the local Teams host: dd/mm/yyyy and the 24-hour
 * clock. The renderer's own inputs are the browser's native ones, which follow the machine's locale
 * (mm/dd/yyyy and "2:30 PM" on a US-set machine) whatever the page's lang says; Teams' own client
 * shows its date picker in the user's Teams language, so this keeps the host as a UK teacher sees
 * Teams. The card still gets ISO values (yyyy-mm-dd, HH:mm), as Teams sends them.
 */
import * as AC from "adaptivecards";
import { clockTimeFrom, isoFromUk, ukFromIso } from "../../../domain/uk-date.js";

function textBox(host: AC.Input, className: string, placeholder: string, initial: string | undefined, onInput: () => void): HTMLInputElement {
  const box = document.createElement("input");
  box.type = "text";
  box.inputMode = "numeric";
  box.autocomplete = "off";
  box.placeholder = placeholder;
  box.tabIndex = host.isDesignMode() ? -1 : 0;
  box.className = host.hostConfig.makeCssClassName("ac-input", className);
  box.style.width = "100%";
  box.value = initial ?? "";
  box.oninput = onInput;
  return box;
}

export class UkDateInput extends AC.DateInput {
  private box?: HTMLInputElement;

  protected override internalRender(): HTMLElement | undefined {
    this.box = textBox(this, "ac-dateInput", this.placeholder ?? "dd/mm/yyyy", this.defaultValue && ukFromIso(this.defaultValue), () =>
      this.valueChanged(),
    );
    return this.box;
  }

  /** The ISO day once the text is a real date; the text itself otherwise, so it fails the check below. */
  override get value(): string | undefined {
    const text = this.box?.value.trim();
    if (!text) return undefined;
    return isoFromUk(text) ?? text;
  }

  override isValid(): boolean {
    const value = this.value;
    if (value !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
    return super.isValid();
  }
}

export class UkTimeInput extends AC.TimeInput {
  private box?: HTMLInputElement;

  protected override internalRender(): HTMLElement | undefined {
    this.box = textBox(this, "ac-timeInput", this.placeholder ?? "hh:mm (24-hour)", this.defaultValue, () => this.valueChanged());
    return this.box;
  }

  override get value(): string | undefined {
    const text = this.box?.value.trim();
    if (!text) return undefined;
    return clockTimeFrom(text) ?? text;
  }

  override isValid(): boolean {
    const value = this.value;
    if (value !== undefined && clockTimeFrom(value) === undefined) return false;
    return super.isValid();
  }
}

/** Puts the UK inputs in place of the renderer's native ones, for every card parsed after this. */
export function registerUkDateInputs() {
  AC.GlobalRegistry.elements.register("Input.Date", UkDateInput, AC.Versions.v1_0);
  AC.GlobalRegistry.elements.register("Input.Time", UkTimeInput, AC.Versions.v1_0);
}
