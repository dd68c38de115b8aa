/**
 * GROUP BY on the embedded Cosmos DB server. Cosmos DB counts per group in the store
 * (`SELECT c.session AS session, COUNT(1) AS n FROM c WHERE … GROUP BY c.session`); the library's
 * query engine (@zeit/cosmosdb-query 0.7) does not parse GROUP BY, so the reports would have to
 * load every incident to count them. Here such a query is answered as Cosmos DB answers it: the
 * engine evaluates the FROM, JOIN and WHERE over the candidate documents as for any query, giving
 * only each row's group values, and the rows are counted per group in the server.
 *
 * The shape served is the one Keepsafe writes: every select item `<expression> AS <alias>`, each
 * expression either one of the GROUP BY expressions or COUNT(1); no ORDER BY, OFFSET or TOP
 * alongside (Cosmos DB's own limits on GROUP BY are close to these). Anything else is refused
 * plainly (400), never answered wrongly. Groups come in one page: a group count is bounded by the
 * distinct values of the grouped fields, not by the documents counted. As in Cosmos DB, a row whose
 * group value is undefined forms its own group, and that alias is left out of the group's answer.
 */

export interface GroupByPlan {
  /** The query the engine runs: `SELECT VALUE {"g0": <e0>, …} FROM … [WHERE …]`. */
  inner: string;
  /** Each select item in order: a group expression (by its index) or the count. */
  items: ({ alias: string; group: number } | { alias: string; count: true })[];
  groups: number;
}

export class UnsupportedGroupBy extends Error {
  readonly badRequest = true;
}

/** The query with its string literals blanked, so keywords are found only in the SQL itself. */
const masked = (sql: string) => sql.replace(/'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"/g, (s) => s[0] + " ".repeat(s.length - 2) + s[0]);

/** Positions of `re`'s matches in `m` at parenthesis/bracket depth 0. */
function topLevel(m: string, re: RegExp): number[] {
  const depthAt: number[] = [];
  let depth = 0;
  for (const ch of m) {
    if (ch === "(" || ch === "[" || ch === "{") depth++;
    if (ch === ")" || ch === "]" || ch === "}") depth--;
    depthAt.push(depth);
  }
  const found: number[] = [];
  for (const match of m.matchAll(re)) if (depthAt[match.index] === 0) found.push(match.index);
  return found;
}

/** Splits `text` (and its masked twin) at top-level commas. */
function splitTopLevel(text: string, m: string): string[] {
  const cuts = topLevel(m, /,/g);
  const parts: string[] = [];
  let start = 0;
  for (const cut of [...cuts, text.length]) {
    parts.push(text.slice(start, cut).trim());
    start = cut + 1;
  }
  return parts;
}

const normal = (expr: string) => expr.replace(/\s+/g, " ").trim();
const ALIAS = /^(.*\S)\s+AS\s+([A-Za-z_][A-Za-z0-9_]*)$/is;

/** The plan for a GROUP BY query, or undefined when the query has none. */
export function groupByPlan(sql: string): GroupByPlan | undefined {
  const m = masked(sql);
  const groupAt = topLevel(m, /\bGROUP\s+BY\b/gi);
  if (groupAt.length === 0) return undefined;
  const refuse = (why: string): never => {
    throw new UnsupportedGroupBy(`The embedded Cosmos DB server serves GROUP BY with ${why}.`);
  };
  if (groupAt.length > 1) refuse("one GROUP BY clause");
  const at = groupAt[0]!;
  const tail = sql.slice(at).replace(/^GROUP\s+BY/i, "");
  const tailMasked = m.slice(at).replace(/^GROUP\s+BY/i, "");
  if (/\b(ORDER\s+BY|OFFSET|LIMIT)\b/i.test(tailMasked) || /^\s*SELECT\s+(VALUE|DISTINCT|TOP)\b/i.test(m)) {
    refuse("plain select items only: no VALUE, DISTINCT, TOP, ORDER BY or OFFSET");
  }
  const groupExprs = splitTopLevel(tail, tailMasked).map(normal);
  if (groupExprs.some((g) => g === "")) refuse("a list of expressions after GROUP BY");

  const select = /^\s*SELECT\s+/i.exec(m);
  const fromAt = topLevel(m, /\bFROM\b/gi)[0];
  if (!select || fromAt === undefined || fromAt > at) refuse("SELECT … FROM … GROUP BY …");
  const list = sql.slice(select![0].length, fromAt);
  const listMasked = m.slice(select![0].length, fromAt);
  const items = splitTopLevel(list, listMasked).map((item): GroupByPlan["items"][number] => {
    const aliased = ALIAS.exec(item);
    if (!aliased) return refuse("every select item named with AS");
    const [, expr, alias] = aliased as unknown as [string, string, string];
    if (/^COUNT\s*\(\s*1\s*\)$/i.test(normal(expr))) return { alias, count: true };
    const group = groupExprs.indexOf(normal(expr));
    if (group < 0) return refuse("select items that are GROUP BY expressions or COUNT(1)");
    return { alias, group };
  });
  const values = groupExprs.map((g, i) => `"g${i}": ${g}`).join(", ");
  return { inner: `SELECT VALUE {${values}} ${sql.slice(fromAt, at)}`, items, groups: groupExprs.length };
}

/** The answer's rows: one per group of the engine's rows (each `{g0: …, g1: …}`), with its count. */
export function groupRows(plan: GroupByPlan, rows: readonly Record<string, unknown>[]): Record<string, unknown>[] {
  const groups = new Map<string, { values: unknown[]; defined: boolean[]; n: number }>();
  for (const row of rows) {
    const defined = Array.from({ length: plan.groups }, (_, i) => Object.hasOwn(row, `g${i}`));
    const values = defined.map((d, i) => (d ? row[`g${i}`] : undefined));
    const key = JSON.stringify(values.map((v, i) => (defined[i] ? ["v", v] : ["u"])));
    const group = groups.get(key) ?? { values, defined, n: 0 };
    group.n++;
    groups.set(key, group);
  }
  return [...groups.values()].map((g) => {
    // Built from the plan's aliases, which the SQL named: never keys taken from documents.
    const out: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
    for (const item of plan.items) {
      if ("count" in item) out[item.alias] = g.n;
      else if (g.defined[item.group]) out[item.alias] = g.values[item.group];
    }
    return { ...out };
  });
}
