import { createRequire } from "node:module";
import type { ParsedQuery } from "./server-internals.js";

/**
 * The query engine (@zeit/cosmosdb-query) compiles SQL to JavaScript that builds its row list with
 * `collection.reduce(($, c) => [...$, { c }], [])`, copying the whole list for every document, and
 * strips `undefined` from each result page the same way. Both are quadratic: 2,000 candidates cost
 * 80 ms, 20,000 cost 6.8 s, which is what made a school year's submits time out as
 * `store_unavailable`. We compile the same AST with each such reduce rewritten to the equivalent
 * `flatMap` (same rows, same order), and strip `undefined` in one pass. Results are unchanged.
 */
/** Resolves from the engine's own folder, so we compile with its transformer and its Babel. */
const require = createRequire(createRequire(import.meta.url).resolve("@zeit/cosmosdb-query"));

const transform = require("./transformer.js").default as (ast: unknown) => JsNode;
const generate = require("@babel/generator").default as (ast: JsNode) => { code: string };
const helpers = require("./helpers.js") as { stripUndefined: (v: unknown) => unknown };

interface JsNode {
  type: string;
  [field: string]: unknown;
}

const isNode = (v: unknown): v is JsNode => typeof v === "object" && v !== null && typeof (v as JsNode).type === "string";
const isDollar = (n: unknown) => isNode(n) && n.type === "Identifier" && n.name === "$";
const spreadOfDollar = (n: unknown) => isNode(n) && n.type === "SpreadElement" && isDollar(n.argument);
const array = (elements: unknown[]): JsNode => ({ type: "ArrayExpression", elements });

/** `[...$, ...E]` → `E`; `[...$, O]` → `[O]`; `T ? [...$, O] : $` → `T ? [O] : []`; else undefined. */
function flatMapBody(body: unknown): JsNode | undefined {
  if (!isNode(body)) return undefined;
  if (body.type === "ArrayExpression") {
    const els = body.elements as unknown[];
    if (els.length !== 2 || !spreadOfDollar(els[0]) || !isNode(els[1])) return undefined;
    return els[1].type === "SpreadElement" ? (els[1].argument as JsNode) : array([els[1]]);
  }
  if (body.type === "ConditionalExpression" && isDollar(body.alternate)) {
    const consequent = flatMapBody(body.consequent);
    return consequent && { type: "ConditionalExpression", test: body.test, consequent, alternate: array([]) };
  }
  return undefined;
}

/** Rewrites, in place, every `x.reduce(($, P) => <accumulating body>, [])` to `x.flatMap((P) => ...)`. */
function rewrite(node: unknown): void {
  if (Array.isArray(node)) {
    for (const n of node) rewrite(n);
    return;
  }
  if (!isNode(node)) return;
  for (const key of Object.keys(node)) if (key !== "type") rewrite(node[key]);
  if (node.type !== "CallExpression") return;
  const callee = node.callee;
  const args = node.arguments as unknown[];
  if (!isNode(callee) || callee.type !== "MemberExpression" || !isNode(callee.property) || callee.property.name !== "reduce") return;
  const [fn, init] = args;
  if (args.length !== 2 || !isNode(init) || init.type !== "ArrayExpression" || (init.elements as unknown[]).length !== 0) return;
  if (!isNode(fn) || fn.type !== "ArrowFunctionExpression" || (fn.params as unknown[]).length !== 2 || !isDollar((fn.params as unknown[])[0])) return;
  const body = flatMapBody(fn.body);
  if (!body) return;
  callee.property = { type: "Identifier", name: "flatMap" };
  node.arguments = [{ ...fn, params: [(fn.params as unknown[])[1]], body }];
}

const compiled = new WeakSet<ParsedQuery>();

/** Gives this parsed query linear code (once; the library caches parsed queries by SQL). */
export function useLinearCode(query: ParsedQuery): ParsedQuery {
  if (compiled.has(query)) return query;
  const js = transform(query.ast);
  rewrite(js);
  // The engine reads `_code` before generating its own (lib/index.js, the `code` getter).
  (query as unknown as { _code: string })._code = generate(js).code;
  compiled.add(query);
  return query;
}

/** `stripUndefined` as the engine defines it (arrays lose undefined items, objects undefined fields), in one pass. */
export function stripUndefined(v: unknown): unknown {
  if (Array.isArray(v)) {
    const out: unknown[] = [];
    for (const item of v) if (typeof item !== "undefined") out.push(stripUndefined(item));
    return out;
  }
  if (v && typeof v === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, item] of Object.entries(v)) {
      // Defined, not assigned: a stored "__proto__" field stays a field instead of becoming a prototype.
      if (typeof item !== "undefined")
        Object.defineProperty(out, k, { value: stripUndefined(item), enumerable: true, writable: true, configurable: true });
    }
    return out;
  }
  return v;
}

/**
 * The engine's pagination calls its module's own `stripUndefined` on every page, so the linear one
 * replaces it there. Only the embedded local server loads this engine.
 */
helpers.stripUndefined = stripUndefined;
