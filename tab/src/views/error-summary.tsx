// A form's problems in one place at its top, after the GOV.UK error-summary pattern: "There is a
// problem", then each problem named by its field's label, as a link that moves focus to that field
// (where the same message is shown beside it). role=alert has a screen reader read it out at once.
import { useEffect, useRef } from "react";
import { Link, MessageBar, MessageBarBody, MessageBarTitle, makeStyles, tokens } from "@fluentui/react-components";

export interface NamedProblem {
  /** The field's name, as the form's input carries it in `data-problem` (see At). */
  field: string;
  /** The field whose input shows it, when that is not `field` (a sub-category problem sits at the categories). */
  target?: string;
  /** The field's label as the form shows it, without its limits; none for a problem with no input. */
  label?: string;
  message: string;
}

const useStyles = makeStyles({
  list: { margin: `${tokens.spacingVerticalXS} 0 0`, paddingLeft: tokens.spacingHorizontalL },
});

/** The first control of the field named `field` inside `within` (an input, a select, a button of a picker). */
function controlOf(within: ParentNode, field: string): HTMLElement | null {
  const box = within.querySelector(`[data-problem="${CSS.escape(field)}"]`);
  return box?.querySelector<HTMLElement>("input:not([type=hidden]), textarea, select, button, [tabindex]:not([tabindex='-1'])") ?? null;
}

export interface ErrorSummaryProps {
  problems: NamedProblem[];
  /** Changes with each submit that found problems: focus then moves to the first problem's field. */
  attempt: unknown;
  testId?: string;
}

export function ErrorSummary({ problems, attempt, testId = "error-summary" }: ErrorSummaryProps) {
  const styles = useStyles();
  const root = useRef<HTMLDivElement>(null);
  const form = () => root.current?.closest("form, [role=dialog]") ?? document;
  useEffect(() => {
    if (!problems.length) return;
    // The first field with a problem takes focus; with none on the form, the summary itself does.
    const first = problems.map((p) => controlOf(form(), p.target ?? p.field)).find((c) => c);
    (first ?? root.current)?.focus();
    // eslint-disable-next-line react-hooks/exhaustive-deps -- only a new submit moves focus, not each keystroke
  }, [attempt]);
  if (!problems.length) return null;
  return (
    <div ref={root} tabIndex={-1} role="alert" aria-labelledby={`${testId}-title`} data-testid={testId}>
      <MessageBar intent="error" layout="multiline">
        <MessageBarBody>
          <MessageBarTitle id={`${testId}-title`}>There is a problem</MessageBarTitle>
          Nothing you typed has been lost.
          <ul className={styles.list}>
            {problems.map((p, i) => (
              <li key={`${p.field}:${i}`} data-testid={`${testId}-item`} data-field={p.field}>
                {p.label ? (
                  <Link
                    href="#"
                    onClick={(event) => {
                      event.preventDefault();
                      controlOf(form(), p.target ?? p.field)?.focus();
                    }}
                  >
                    {p.label}
                  </Link>
                ) : null}
                {p.label ? `: ${p.message}` : p.message}
              </li>
            ))}
          </ul>
        </MessageBarBody>
      </MessageBar>
    </div>
  );
}
