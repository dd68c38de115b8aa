/**
 * Input from outside made into plain data before anything reads it: every tab API body and every
 * query string goes through `parseInput` with a strict zod schema. Two things are refused first,
 * with a field problem, before the schema sees the value:
 * - the keys `__proto__`, `constructor` and `prototype`, anywhere. restify's bodyParser uses
 *   JSON.parse, which makes "__proto__" an ordinary own key, and code that copies or indexes by
 *   such a key (a spread, `out[key] ??= {}`) reaches Object.prototype;
 * - nesting deeper than any form needs, so a hostile body cannot make the walk itself costly.
 * A query string is read from the URL into an object with no prototype, each key once.
 */
import type { z } from "zod";
import { ValidationError, type FieldProblem } from "../domain/errors.js";
import { fieldProblemsFrom } from "../app/record-incident.js";

export const REFUSED_KEYS: ReadonlySet<string> = new Set(["__proto__", "constructor", "prototype"]);
/** The concern form's deepest value is categoryFields.{category}.{field}[i]; a body map mark is 4 deep. */
export const MAX_INPUT_DEPTH = 8;

const pathText = (path: readonly (string | number)[]) => path.join(".") || "form";

/** The refused keys and the too-deep places in a JSON-like value, walked without recursion. */
export function unsafeKeyProblems(value: unknown): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const stack: { value: unknown; path: (string | number)[] }[] = [{ value, path: [] }];
  while (stack.length) {
    const { value: v, path } = stack.pop()!;
    if (!v || typeof v !== "object") continue;
    if (path.length >= MAX_INPUT_DEPTH) {
      problems.push({ field: pathText(path), message: `Values can be nested at most ${MAX_INPUT_DEPTH} deep.` });
      continue;
    }
    if (Array.isArray(v)) {
      v.forEach((item, i) => stack.push({ value: item, path: [...path, i] }));
      continue;
    }
    for (const key of Object.keys(v)) {
      if (REFUSED_KEYS.has(key)) problems.push({ field: pathText([...path, key]), message: `The key "${key}" is not accepted.` });
      else stack.push({ value: (v as Record<string, unknown>)[key], path: [...path, key] });
    }
  }
  return problems;
}

/** Refuses unsafe keys, then parses with the (strict) schema into new, plain data; 400 otherwise. */
export function parseInput<T>(schema: z.ZodType<T>, value: unknown): T {
  const unsafe = unsafeKeyProblems(value);
  if (unsafe.length) throw ValidationError(unsafe);
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw ValidationError(fieldProblemsFrom(parsed.error));
  return parsed.data;
}

/** A request's query string as an object with no prototype; a key given twice is refused. */
export function queryOf(url: string | undefined): Record<string, string> {
  const query: Record<string, string> = Object.create(null);
  const problems: FieldProblem[] = [];
  for (const [key, value] of new URL(url ?? "/", "http://local").searchParams) {
    if (key in query) problems.push({ field: key, message: `Give ${key} once.` });
    else query[key] = value;
  }
  if (problems.length) throw ValidationError(problems);
  return query;
}
