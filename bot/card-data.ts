/**
 * The first check on any data a card, dialog or message extension sends back: it must be a plain
 * JSON object, and no key anywhere in it (nor any part of a dotted key such as
 * `categoryFields.__proto__.x`) may be `__proto__`, `constructor` or `prototype`. Those names reach
 * the prototype chain when used as a key, so they are refused with a clear answer instead of being
 * read. Everything that reads card data parses it through `cardDataSchema` first.
 */
import { z } from "zod";
import { ValidationError } from "../src/domain/errors.js";

const UNSAFE_KEYS: ReadonlySet<string> = new Set(["__proto__", "constructor", "prototype"]);

export const UNSAFE_KEY_MESSAGE =
  "This card sent data Keepsafe cannot accept (a field named __proto__, constructor or prototype). Nothing was saved; send Keepsafe a message for a new form.";

/** Deep enough for any card Keepsafe sends; deeper nesting is refused rather than walked. */
const MAX_DEPTH = 8;

const isUnsafeKey = (key: string) => key.split(".").some((part) => UNSAFE_KEYS.has(part));

/** The path of the first unsafe key in `value`, or "too-deep", or undefined when all is well. */
function unsafeKeyIn(value: unknown, depth = 0): "unsafe" | "too-deep" | undefined {
  if (value === null || typeof value !== "object") return undefined;
  if (depth > MAX_DEPTH) return "too-deep";
  for (const key of Object.keys(value)) {
    if (isUnsafeKey(key)) return "unsafe";
    const inner = unsafeKeyIn((value as Record<string, unknown>)[key], depth + 1);
    if (inner) return inner;
  }
  return undefined;
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);

/** A card's data object, checked for unsafe keys; its values are still unknown. */
export const cardDataSchema = z
  .unknown()
  .transform((v) => v ?? {})
  .pipe(z.custom<Record<string, unknown>>(isPlainObject, "This card's data could not be read. Send Keepsafe a message for a new form."))
  .superRefine((data, ctx) => {
    const found = unsafeKeyIn(data);
    if (found === "unsafe") ctx.addIssue({ code: "custom", message: UNSAFE_KEY_MESSAGE, path: ["form"] });
    if (found === "too-deep")
      ctx.addIssue({
        code: "custom",
        message: "This card's data is nested too deeply to read. Send Keepsafe a message for a new form.",
        path: ["form"],
      });
  });

/** Parses card data with `schema` (built on cardDataSchema); throws a validation_failed KeepsafeError saying what is wrong. */
export function parseCardData<T>(schema: z.ZodType<T>, raw: unknown): T {
  const parsed = schema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const message = parsed.error.issues[0]?.message ?? UNSAFE_KEY_MESSAGE;
  throw ValidationError([{ field: "form", message }], message);
}

/** A fresh object with no prototype: a key from outside can only ever be an own property. */
export const emptyRecord = <T>(): Record<string, T> => Object.create(null) as Record<string, T>;
