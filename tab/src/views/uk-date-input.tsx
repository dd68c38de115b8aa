// A date box that reads and takes dd/mm/yyyy, as UK staff write dates. Chromium's native date
// input shows the browser's locale (mm/dd/yyyy on a US-set machine) whatever the page's lang says,
// so the order would depend on the device; a chronology may become evidence and must read the same.
import { Input, type InputProps } from "@fluentui/react-components";
import { useEffect, useState } from "react";
import { isoFromUk, ukFromIso } from "../../../src/domain/uk-date.js";

export interface UkDateInputProps extends Omit<InputProps, "value" | "onChange" | "type"> {
  /** The ISO day (yyyy-mm-dd), or "" for none. */
  value: string;
  /**
   * Called with the ISO day once the text is a real date, "" when cleared, and the text itself
   * otherwise, so a half-typed date is never taken for the last good one: the form's check refuses it.
   */
  onChange(value: string): void;
}

export function UkDateInput({ value, onChange, ...rest }: UkDateInputProps) {
  const [text, setText] = useState(() => ukFromIso(value));
  // A value set from outside (Clear filters, a new form) shows; the text being typed is left alone.
  useEffect(() => {
    setText((current) => ((isoFromUk(current) ?? current) === value ? current : ukFromIso(value)));
  }, [value]);
  return (
    <Input
      {...rest}
      type="text"
      inputMode="numeric"
      placeholder="dd/mm/yyyy"
      autoComplete="off"
      value={text}
      onChange={(_, d) => {
        setText(d.value);
        onChange(d.value.trim() === "" ? "" : (isoFromUk(d.value) ?? d.value));
      }}
    />
  );
}
