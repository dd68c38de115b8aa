// A form's problems in one place at its top, after the GOV.UK error-summary pattern: "There is a
// problem", then each problem named by its field's label, as a link that moves focus to that field
// (where the same message is shown beside it). role=alert has a screen reader read it out at once.
// The problems are listed in the order their fields appear on the form, whatever order the server
// found them in: each form lays its fields out once, so the page itself is the one source of that
// order (the concern form's sections do not follow its model's list, so the model could not say it).
import { useEffect, useLayoutEffect, useRef, useState } from "react";
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

const boxOf = (within: ParentNode, p: NamedProblem) => within.querySelector(`[data-problem="${CSS.escape(p.target ?? p.field)}"]`);

/**
 * The problems in the order of their fields on the page; a problem whose field is not on the form
 * (it has no input) comes after them, in the order it was given. The sort is stable.
 */
export function inFormOrder<P extends NamedProblem>(problems: readonly P[], within: ParentNode): P[] {
  const boxes = problems.map((p) => boxOf(within, p));
  const rank = (i: number, j: number) => {
    const [a, b] = [boxes[i], boxes[j]];
    if (!a || !b || a === b) return (a ? 0 : 1) - (b ? 0 : 1) || i - j;
    return a.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING ? -1 : 1;
  };
  return problems
    .map((_, i) => i)
    .sort(rank)
    .map((i) => problems[i]!);
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
  // Sorted once the fields are on the page, before it is painted, so the server's order never shows.
  const said = problems.map((p) => `${p.field}\u0000${p.message}`).join("\u0001");
  const [sorted, setSorted] = useState<{ said: string; problems: NamedProblem[] }>();
  useLayoutEffect(() => {
    setSorted(problems.length ? { said, problems: inFormOrder(problems, form()) } : undefined);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- `said` stands for the problems: a re-render with the same ones keeps the order
  }, [said]);
  const shown = sorted?.said === said ? sorted.problems : problems;
  useEffect(() => {
    if (!problems.length) return;
    // The first field with a problem on the form takes focus; with none on the form, the summary itself does.
    const first = inFormOrder(problems, form())
      .map((p) => controlOf(form(), p.target ?? p.field))
      .find((c) => c);
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
            {shown.map((p, i) => (
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
