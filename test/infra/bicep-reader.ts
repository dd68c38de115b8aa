/**
 * Reads the declarations of a Bicep file as data, enough for tests to check infra/azure.bicep
 * against the code without a Bicep compiler (none installs here). Literals (strings, numbers,
 * booleans, null, objects, arrays) become values; references to other `var`s are resolved and
 * union() of objects is merged, so shared parts of a declaration are seen in full. Any other
 * expression is kept as its source text (BicepExpr) for the test to match.
 */

export class BicepExpr {
  constructor(readonly text: string) {}
}

/** `[for item in source: body]`: the body is read like any value, with item left as expressions. */
export class BicepLoop {
  constructor(
    readonly item: string,
    readonly source: string,
    readonly body: BicepValue,
  ) {}
}

export type BicepObject = { [key: string]: BicepValue };
export type BicepValue = string | number | boolean | null | BicepValue[] | BicepObject | BicepExpr | BicepLoop;

const FORBIDDEN_KEYS = new Set(["__proto__", "constructor", "prototype"]);
const ENDS_VALUE = new Set(["\n", "\r", ",", "}", "]", ")"]);

export interface BicepResource {
  name: string;
  type: string;
  body: BicepValue;
}

export interface BicepParam {
  name: string;
  type: string;
  hasDefault: boolean;
  secure: boolean;
}

export class BicepFile {
  private readonly varStarts = new Map<string, number>();
  private readonly resolving = new Set<string>();

  constructor(readonly source: string) {
    for (const m of source.matchAll(/^var\s+(\w+)\s*=\s*/gm)) this.varStarts.set(m[1], m.index + m[0].length);
  }

  variable(name: string): BicepValue {
    const start = this.varStarts.get(name);
    if (start === undefined) throw new Error(`No var ${name} in the Bicep file`);
    if (this.resolving.has(name)) throw new Error(`var ${name} refers to itself`);
    this.resolving.add(name);
    try {
      return new Cursor(this, start).value();
    } finally {
      this.resolving.delete(name);
    }
  }

  hasVariable(name: string): boolean {
    return this.varStarts.has(name);
  }

  resources(): BicepResource[] {
    return [...this.source.matchAll(/^resource\s+(\w+)\s+'([^'@]+)@[^']+'\s*(?:existing\s*)?=\s*/gm)].map((m) => {
      const cursor = new Cursor(this, m.index + m[0].length);
      cursor.skipCondition();
      return { name: m[1], type: m[2], body: cursor.value() };
    });
  }

  resource(name: string): BicepResource {
    const found = this.resources().find((r) => r.name === name);
    if (!found) throw new Error(`No resource ${name} in the Bicep file`);
    return found;
  }

  params(): BicepParam[] {
    return [...this.source.matchAll(/^((?:@[^\n]*\n)*)param\s+(\w+)\s+(\w+)(\s*=)?/gm)].map((m) => ({
      name: m[2],
      type: m[3],
      hasDefault: m[4] !== undefined,
      secure: /@secure\(\)/.test(m[1]),
    }));
  }

  outputs(): Map<string, string> {
    return new Map([...this.source.matchAll(/^output\s+(\w+)\s+\w+\s*=\s*(.+)$/gm)].map((m) => [m[1], m[2].trim()]));
  }
}

class Cursor {
  constructor(
    private readonly file: BicepFile,
    private pos: number,
  ) {}

  private get src() {
    return this.file.source;
  }

  private peek(offset = 0) {
    return this.src[this.pos + offset] ?? "";
  }

  private fail(message: string): never {
    const line = this.src.slice(0, this.pos).split("\n").length;
    throw new Error(`Bicep line ${line}: ${message}`);
  }

  /** Spaces and comments; newlines too when asked (inside objects and arrays they separate items). */
  skipSpace(newlines: boolean) {
    for (;;) {
      const c = this.peek();
      if (c === " " || c === "\t" || (newlines && (c === "\n" || c === "\r"))) this.pos++;
      else if (c === "/" && this.peek(1) === "/") while (this.pos < this.src.length && this.peek() !== "\n") this.pos++;
      else if (c === "/" && this.peek(1) === "*") {
        const end = this.src.indexOf("*/", this.pos + 2);
        this.pos = end < 0 ? this.src.length : end + 2;
      } else return;
    }
  }

  /** `if (condition)` before a resource body. */
  skipCondition() {
    this.skipSpace(false);
    if (!this.src.startsWith("if", this.pos) || /\w/.test(this.peek(2))) return;
    this.pos += 2;
    this.skipSpace(false);
    if (this.peek() !== "(") this.fail("expected ( after if");
    this.pos = this.balancedEnd(this.pos);
    this.skipSpace(false);
  }

  value(): BicepValue {
    this.skipSpace(false);
    const start = this.pos;
    const primary = this.primary();
    this.skipSpace(false);
    // Anything after a primary value (a ternary, an operator, a member access) makes it an expression.
    if (this.pos < this.src.length && !ENDS_VALUE.has(this.peek()) && !this.src.startsWith("//", this.pos)) {
      this.pos = start;
      return new BicepExpr(this.rawExpression());
    }
    return primary;
  }

  private primary(): BicepValue {
    const c = this.peek();
    if (c === "'") return this.string();
    if (c === "{") return this.object();
    if (c === "[") return this.array();
    const number = /^-?\d+(\.\d+)?/.exec(this.src.slice(this.pos));
    if (number) {
      this.pos += number[0].length;
      return Number(number[0]);
    }
    const word = /^[A-Za-z_]\w*/.exec(this.src.slice(this.pos));
    if (!word) this.fail(`unexpected ${JSON.stringify(c)}`);
    const name = word[0];
    const start = this.pos;
    this.pos += name.length;
    if (name === "true" || name === "false") return name === "true";
    if (name === "null") return null;
    if (this.peek() === "(") return this.call(name, start);
    if (/[\w.?[]/.test(this.peek())) {
      this.pos = start;
      return new BicepExpr(this.rawExpression());
    }
    return this.file.hasVariable(name) ? this.file.variable(name) : new BicepExpr(name);
  }

  private call(name: string, start: number): BicepValue {
    this.pos++; // (
    const args: BicepValue[] = [];
    for (;;) {
      this.skipSpace(true);
      if (this.peek() === ")") break;
      args.push(this.value());
      this.skipSpace(true);
      if (this.peek() === ",") this.pos++;
      else if (this.peek() !== ")") this.fail(`expected , or ) in ${name}()`);
    }
    this.pos++; // )
    if (name === "union" && args.every(isObject)) return Object.assign(emptyObject(), ...args);
    return new BicepExpr(this.src.slice(start, this.pos));
  }

  private string(): string | BicepExpr {
    const start = this.pos;
    this.pos++;
    let text = "";
    let interpolated = false;
    for (;;) {
      const c = this.peek();
      if (c === "") this.fail("unterminated string");
      if (c === "'") break;
      if (c === "\\") {
        const next = this.peek(1);
        text += next === "n" ? "\n" : next === "t" ? "\t" : next;
        this.pos += 2;
      } else if (c === "$" && this.peek(1) === "{") {
        interpolated = true;
        const end = this.balancedEnd(this.pos + 1);
        text += this.src.slice(this.pos, end);
        this.pos = end;
      } else {
        text += c;
        this.pos++;
      }
    }
    this.pos++;
    return interpolated ? new BicepExpr(this.src.slice(start, this.pos)) : text;
  }

  private object(): BicepObject {
    this.pos++; // {
    const result = emptyObject();
    for (;;) {
      this.skipSpace(true);
      if (this.peek() === ",") {
        this.pos++;
        continue;
      }
      if (this.peek() === "}") break;
      const key = this.propertyName();
      if (FORBIDDEN_KEYS.has(key)) this.fail(`refusing the property name ${key}`);
      this.skipSpace(false);
      if (this.peek() !== ":") this.fail(`expected : after ${key}`);
      this.pos++;
      result[key] = this.value();
    }
    this.pos++; // }
    return result;
  }

  /** A bare name, or a quoted one (kept as its source when it interpolates, e.g. '${identity.id}'). */
  private propertyName(): string {
    if (this.peek() === "'") {
      const quoted = this.string();
      return typeof quoted === "string" ? quoted : quoted.text;
    }
    const word = /^[A-Za-z_]\w*/.exec(this.src.slice(this.pos));
    if (!word) this.fail("expected a property name");
    this.pos += word[0].length;
    return word[0];
  }

  private array(): BicepValue[] | BicepLoop {
    this.pos++; // [
    this.skipSpace(true);
    const loop = /^for\s+(\w+)\s+in\s+([^:]+):/.exec(this.src.slice(this.pos));
    if (loop) {
      this.pos += loop[0].length;
      const body = this.value();
      this.skipSpace(true);
      if (this.peek() !== "]") this.fail("expected ] after a for body");
      this.pos++;
      return new BicepLoop(loop[1], loop[2].trim(), body);
    }
    const items: BicepValue[] = [];
    for (;;) {
      this.skipSpace(true);
      if (this.peek() === ",") {
        this.pos++;
        continue;
      }
      if (this.peek() === "]") break;
      items.push(this.value());
    }
    this.pos++; // ]
    return items;
  }

  /** An expression's source, up to the end of its line or the item it is part of. */
  private rawExpression(): string {
    const start = this.pos;
    while (this.pos < this.src.length) {
      const c = this.peek();
      if (ENDS_VALUE.has(c) || this.src.startsWith("//", this.pos)) break;
      if (c === "'") this.string();
      else if (c === "(" || c === "[" || c === "{") this.pos = this.balancedEnd(this.pos);
      else this.pos++;
    }
    return this.src.slice(start, this.pos).trim();
  }

  /** The position after the bracket that closes the one at `open`, skipping strings inside. */
  private balancedEnd(open: number): number {
    const pairs: Record<string, string> = { "(": ")", "[": "]", "{": "}" };
    const stack = [pairs[this.src[open]]];
    let i = open + 1;
    while (stack.length) {
      const c = this.src[i];
      if (c === undefined) this.fail("unbalanced brackets");
      if (c === "'") {
        i++;
        while (this.src[i] !== "'" && i < this.src.length) i += this.src[i] === "\\" ? 2 : 1;
      } else if (c === "(" || c === "[" || c === "{") stack.push(pairs[c]);
      else if (c === stack[stack.length - 1]) stack.pop();
      i++;
    }
    return i;
  }
}

function emptyObject(): BicepObject {
  return Object.create(null) as BicepObject;
}

export function isObject(v: BicepValue | undefined): v is BicepObject {
  return typeof v === "object" && v !== null && !Array.isArray(v) && !(v instanceof BicepExpr) && !(v instanceof BicepLoop);
}

/** Plain JSON data (for deepStrictEqual against the code's definitions); expressions become their text. */
export function toPlain(v: BicepValue): unknown {
  if (v instanceof BicepExpr) return { expression: v.text };
  if (v instanceof BicepLoop) return { for: v.item, in: v.source, body: toPlain(v.body) };
  if (Array.isArray(v)) return v.map(toPlain);
  if (isObject(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, toPlain(x)]));
  return v;
}
