import { isSafePath, valueKey, type DocumentIndex, type IndexPath } from "./document-index.js";

/**
 * Which documents a query can possibly return, read off its WHERE clause: equalities and IN lists
 * between a path of the queried document and constants or parameters, combined with AND and OR.
 * Anything else (ranges, functions, NOT, subqueries, joins) narrows nothing, which is always safe:
 * the query engine evaluates the full query over whatever candidates we hand it.
 */
export type Narrowing = { kind: "values"; path: IndexPath; keys: string[] } | { kind: "and" | "or"; parts: Narrowing[] };

/** The slice of the query parser's AST we read; every other node narrows nothing. */
interface Node {
  type: string;
  [field: string]: unknown;
}

const isNode = (v: unknown): v is Node => typeof v === "object" && v !== null && typeof (v as Node).type === "string";

/** The path of `alias.a.b` / `alias["a"]["b"]` below the queried document, or undefined. */
function memberPath(node: Node, alias: string): string[] | undefined {
  const path: string[] = [];
  let n: Node = node;
  while (n.type === "scalar_member_expression") {
    const prop = n.property;
    if (!isNode(prop)) return undefined;
    if (!n.computed && prop.type === "identifier" && typeof prop.name === "string") path.unshift(prop.name);
    else if (n.computed && prop.type === "string_constant" && typeof prop.value === "string") path.unshift(prop.value);
    else return undefined;
    if (!isNode(n.object)) return undefined;
    n = n.object;
  }
  return n.type === "identifier" && n.name === alias && isSafePath(path) ? path : undefined;
}

/** An absent parameter, which the engine reads as undefined. */
const MISSING = Symbol("missing");
/** Not a constant, or a parameter name the engine would resolve on its object's prototype. */
const UNKNOWN = Symbol("unknown");

/** A constant's or parameter's value. */
function literal(node: Node, params: ReadonlyMap<string, unknown>): unknown {
  switch (node.type) {
    case "string_constant":
    case "number_constant":
    case "boolean_constant":
      return node.value;
    case "null_constant":
      return null;
    case "parameter_name": {
      // The engine binds parameters by name without the leading "@" (its `@x` reads `$p.x`).
      if (typeof node.name !== "string") return UNKNOWN;
      const name = node.name.slice(1);
      if (!isSafePath([name])) return UNKNOWN;
      return params.has(name) ? params.get(name) : MISSING;
    }
    default:
      return UNKNOWN;
  }
}

function narrow(node: unknown, alias: string, params: ReadonlyMap<string, unknown>): Narrowing | undefined {
  if (!isNode(node)) return undefined;
  if (node.type === "scalar_binary_expression" && isNode(node.left) && isNode(node.right)) {
    if (node.operator === "AND" || node.operator === "OR") {
      const left = narrow(node.left, alias, params);
      const right = narrow(node.right, alias, params);
      if (node.operator === "OR") return left && right ? { kind: "or", parts: [left, right] } : undefined;
      if (!left || !right) return left ?? right; // AND: either side alone already bounds the result
      return { kind: "and", parts: [left, right] };
    }
    if (node.operator === "=") {
      for (const [member, other] of [
        [node.left, node.right],
        [node.right, node.left],
      ] as const) {
        const path = memberPath(member, alias);
        if (!path) continue;
        const value = literal(other, params);
        // An absent parameter compares as undefined, which equals nothing: no candidates at all.
        if (value === MISSING) return { kind: "values", path, keys: [] };
        const key = valueKey(value);
        // A non-scalar value (object, array) is compared deeply by the engine; we do not index those.
        return key === undefined ? undefined : { kind: "values", path, keys: [key] };
      }
    }
    return undefined;
  }
  if (node.type === "scalar_in_expression" && isNode(node.value) && Array.isArray(node.list)) {
    const path = memberPath(node.value, alias);
    if (!path) return undefined;
    const keys: string[] = [];
    for (const item of node.list) {
      // IN compares with JavaScript's includes: an absent parameter would match absent values.
      const key = isNode(item) ? valueKey(literal(item, params)) : undefined;
      if (key === undefined) return undefined;
      keys.push(key);
    }
    return { kind: "values", path, keys };
  }
  return undefined;
}

/**
 * The narrowing a parsed query's WHERE clause allows, or undefined when it allows none. Only
 * `FROM <collection> [alias]` queries are narrowed, with or without `JOIN x IN c.y`: a join only
 * turns each document into rows of its own, so a document the WHERE clause excludes by its own
 * fields gives no row. A join whose alias is missing or hides the collection's is not narrowed
 * (its conditions would read as the document's), nor is `FROM x IN y`, which iterates sub-documents.
 */
export function narrowingOf(ast: unknown, parameters: unknown): Narrowing | undefined {
  if (!isNode(ast) || !isNode(ast.body)) return undefined;
  const { from, where } = ast.body as { from?: unknown; where?: unknown };
  if (!isNode(from) || !isNode(where)) return undefined;
  const source = from.source;
  if (!isNode(source) || !isNode(source.expression) || source.expression.type !== "collection_expression") return undefined;
  const collection = source.expression.expression;
  const aliasNode = isNode(source.alias) ? source.alias : collection;
  if (!isNode(aliasNode) || typeof aliasNode.name !== "string") return undefined;
  if (!joinsKeepAlias(from.joins, aliasNode.name)) return undefined;
  if (parameters !== undefined && parameters !== null && !Array.isArray(parameters)) return undefined;
  const params = new Map<string, unknown>();
  for (const p of (parameters ?? []) as unknown[]) {
    if (typeof p !== "object" || p === null || typeof (p as { name?: unknown }).name !== "string") return undefined;
    const { name, value } = p as { name: string; value: unknown };
    // The engine puts parameters on a plain object: "@__proto__" would change what others resolve to.
    if (!isSafePath([name.slice(1)])) return undefined;
    params.set(name.slice(1), value); // the engine's own binding: later duplicates win
  }
  return narrow(where.condition, aliasNode.name, params);
}

/** Every join names its rows with an alias of its own (`JOIN cat IN c.categoryIds`), never the collection's. */
function joinsKeepAlias(joins: unknown, alias: string): boolean {
  if (joins === undefined || joins === null) return true;
  if (!Array.isArray(joins)) return false;
  return joins.every((j) => isNode(j) && j.type === "from_source" && isNode(j.alias) && typeof j.alias.name === "string" && j.alias.name !== alias);
}

/** The rid sets a narrowing reads, or undefined for a part the index cannot serve (no restriction). */
function keySets(n: Narrowing & { kind: "values" }, index: DocumentIndex): ReadonlySet<string>[] | undefined {
  const sets: ReadonlySet<string>[] = [];
  for (const key of n.keys) {
    const rids = index.lookup(n.path, key);
    if (!rids) return undefined;
    sets.push(rids);
  }
  return sets;
}

/** An upper bound on how many rids a narrowing allows; undefined when it cannot be served. */
function estimate(n: Narrowing, index: DocumentIndex): number | undefined {
  if (n.kind === "values") return keySets(n, index)?.reduce((sum, s) => sum + s.size, 0);
  const sizes = n.parts.map((p) => estimate(p, index));
  if (n.kind === "or") return sizes.some((x) => x === undefined) ? undefined : (sizes as number[]).reduce((a, b) => a + b, 0);
  const known = sizes.filter((x): x is number => x !== undefined);
  return known.length > 0 ? Math.min(...known) : undefined;
}

/** Whether the narrowing allows this rid (a part the index cannot serve allows everything). */
function allows(n: Narrowing, rid: string, index: DocumentIndex): boolean {
  if (n.kind === "values") return keySets(n, index)?.some((s) => s.has(rid)) ?? true;
  if (n.kind === "and") return n.parts.every((p) => allows(p, rid, index));
  return estimate(n, index) === undefined || n.parts.some((p) => allows(p, rid, index));
}

/**
 * The rids a narrowing allows, or undefined when the index cannot serve it (scan everything).
 * An AND reads only its most selective part and checks the others per rid, so a broad part
 * (`type IN ('incident', 'link')`) costs nothing next to a narrow one (the partition).
 */
export function candidates(n: Narrowing, index: DocumentIndex): ReadonlySet<string> | undefined {
  if (n.kind === "values") {
    const sets = keySets(n, index);
    if (!sets || sets.length === 1) return sets?.[0];
    const union = new Set<string>();
    for (const s of sets) for (const rid of s) union.add(rid);
    return union;
  }
  if (n.kind === "or") {
    const union = new Set<string>();
    for (const part of n.parts) {
      const rids = candidates(part, index);
      if (!rids) return undefined;
      for (const rid of rids) union.add(rid);
    }
    return union;
  }
  let best: Narrowing | undefined;
  let bestSize = Infinity;
  for (const part of n.parts) {
    const size = estimate(part, index);
    if (size !== undefined && size < bestSize) [best, bestSize] = [part, size];
  }
  if (!best) return undefined;
  const rids = candidates(best, index);
  if (!rids) return undefined;
  const others = n.parts.filter((p) => p !== best);
  if (others.length === 0) return rids;
  const both = new Set<string>();
  for (const rid of rids) if (others.every((p) => allows(p, rid, index))) both.add(rid);
  return both;
}
