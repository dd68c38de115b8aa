import assert from "node:assert/strict";
import fs from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import type { Container, CosmosClient, SqlParameter } from "@azure/cosmos";
import fc from "fast-check";
import { startLocalCosmos, type LocalCosmos } from "../../src/local/cosmos/local-cosmos.js";
import { clientFor } from "./support/school-records.js";

/**
 * The local server narrows queries with its indexes; answers must be exactly what the library's
 * query engine gives over every document of the container (the server before indexes), page by
 * page, in order, as documents are created, replaced, deleted and batches roll back.
 */
const require = createRequire(import.meta.url);
const parseQuery = require("@zeit/cosmosdb-query").default as (sql: string) => {
  exec(docs: unknown[], opts: Record<string, unknown>): { result: unknown[]; continuation: unknown };
};

const PAGE = 7;

/** The answer the unindexed server gave: the engine over all documents, paged as the SDK pages. */
function oracle(all: Record<string, unknown>[], sql: string, parameters: SqlParameter[], partitionKey?: string) {
  const docs = partitionKey === undefined ? all : all.filter((d) => d.pk === partitionKey);
  const q = parseQuery(sql);
  const out: unknown[] = [];
  let continuation: unknown = null;
  do {
    const page = q.exec(docs, { parameters, maxItemCount: PAGE, continuation, compositeIndexes: [] });
    out.push(...page.result);
    continuation = page.continuation;
  } while (continuation);
  return out;
}

const FIELDS = ["type", "status", "n", "o.k", "id"];
const values = fc.constantFrom<unknown>("a", "b", "c", 1, "1", 2, true, null, "p1");
const member = fc.constantFrom(...FIELDS).map((f) => (f === "o.k" ? "c.o.k" : f === "status" ? 'c["status"]' : `c.${f}`));
const lit = (v: unknown, params: SqlParameter[], asParam: boolean) => {
  if (!asParam) return JSON.stringify(v).replace(/"/g, "'");
  const name = `@v${params.length}`;
  params.push({ name, value: v as never });
  return name;
};

type Cond = (params: SqlParameter[]) => string;
const atom: fc.Arbitrary<Cond> = fc.oneof(
  fc.tuple(member, values, fc.boolean(), fc.boolean()).map(
    ([m, v, asParam, flip]): Cond =>
      (ps) =>
        flip ? `${lit(v, ps, asParam)} = ${m}` : `${m} = ${lit(v, ps, asParam)}`,
  ),
  fc.tuple(member, fc.array(values, { minLength: 1, maxLength: 3 })).map(
    ([m, vs]): Cond =>
      (ps) =>
        `${m} IN (${vs.map((v, i) => lit(v, ps, i % 2 === 0)).join(", ")})`,
  ),
  fc.constant<Cond>(() => "c.type = @absent"),
  fc.constant<Cond>(() => "c.n <= 1"),
  fc.constant<Cond>((ps) => `ARRAY_CONTAINS(${lit(["a", "b"], ps, true)}, c.type)`),
  fc.constant<Cond>(() => "NOT (c.type = 'a')"),
);
const cond: fc.Arbitrary<Cond> = fc.oneof(
  atom,
  fc.tuple(atom, fc.constantFrom("AND", "OR"), atom).map(
    ([a, op, b]): Cond =>
      (ps) =>
        `(${a(ps)} ${op} ${b(ps)})`,
  ),
  fc.tuple(atom, atom, atom).map(
    ([a, b, c]): Cond =>
      (ps) =>
        `${a(ps)} AND (${b(ps)} OR ${c(ps)})`,
  ),
);
const querySpec = fc.record({
  where: fc.option(cond, { nil: undefined }),
  top: fc.option(fc.integer({ min: 1, max: 12 }), { nil: undefined }),
  order: fc.constantFrom("", " ORDER BY c.n", " ORDER BY c.id DESC"),
  partitionKey: fc.option(fc.constantFrom("p0", "p1", "p2"), { nil: undefined }),
});

const docFor = (i: number, salt: number): Record<string, unknown> => {
  const pick = <T>(xs: T[]) => xs[(i * 7 + salt * 13) % xs.length];
  const doc: Record<string, unknown> = { id: `d${i}`, pk: `p${i % 3}`, type: pick(["a", "b", "c", 1, true, null]), n: pick([1, "1", 2, 3]) };
  if (i % 4 !== 0) doc.status = pick(["a", "b", "p1"]);
  if (i % 5 !== 0) doc.o = { k: pick(["a", 1, null, ["a"]]) };
  return doc;
};

describe("local Cosmos DB server: indexed queries answer as the full scan did", function () {
  this.timeout(120_000);
  let dataDir: string;
  let local: LocalCosmos;
  let client: CosmosClient;
  let container: Container;

  before(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "keepsafe-cosmos-index-"));
    local = await startLocalCosmos({ dataDir });
    client = clientFor(local);
    const { database } = await client.databases.createIfNotExists({ id: "indexed" });
    container = (await database.containers.createIfNotExists({ id: "docs", partitionKey: { paths: ["/pk"] } })).container;
    await Promise.all(Array.from({ length: 90 }, (_, i) => container.items.create(docFor(i, 0))));
  });
  after(async () => {
    client?.dispose();
    await local?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const readEverything = async () => (await container.items.readAll<Record<string, unknown>>().fetchAll()).resources;

  async function mutate(step: number) {
    const i = (step * 11) % 90;
    await container.items.upsert(docFor(i, step + 1)); // changes type, status, n, o.k in place
    await container
      .item(`d${(i + 3) % 90}`, `p${(i + 3) % 3}`)
      .delete()
      .catch(() => undefined);
    await container.items.create(docFor(90 + step, step));
    // A batch that fails on its last operation must leave the index as it leaves the documents.
    const pk = `p${i % 3}`;
    await container.items.batch(
      [
        { operationType: "Upsert", resourceBody: { ...docFor(i, step + 2), type: "b" } as never },
        { operationType: "Create", resourceBody: { id: `d${i}`, pk } as never },
      ],
      pk,
    );
  }

  it("returns the same documents in the same order, page by page, for random filters, after random writes", async () => {
    let step = 0;
    await fc.assert(
      fc.asyncProperty(querySpec, async (spec) => {
        if (step % 5 === 0) await mutate(step / 5);
        step++;
        const parameters: SqlParameter[] = [];
        const where = spec.where ? ` WHERE ${spec.where(parameters)}` : "";
        const sql = `SELECT ${spec.top ? `TOP ${spec.top} ` : ""}* FROM c${where}${spec.order}`;
        const options = { maxItemCount: PAGE, ...(spec.partitionKey ? { partitionKey: spec.partitionKey } : {}) };
        const { resources } = await container.items.query({ query: sql, parameters }, options).fetchAll();
        const expected = oracle(await readEverything(), sql, parameters, spec.partitionKey);
        assert.deepEqual(resources, expected, `${sql} ${JSON.stringify(parameters)} pk=${spec.partitionKey}`);
      }),
      { numRuns: 120 },
    );
  });

  it("scopes a query sent with a partition key to that partition, as Cosmos DB does", async () => {
    const { resources } = await container.items.query<{ pk: string }>("SELECT * FROM c WHERE c.n = 2", { partitionKey: "p1" }).fetchAll();
    assert.ok(resources.length > 0);
    assert.deepEqual([...new Set(resources.map((r) => r.pk))], ["p1"]);
  });

  it("finds a replaced document under its new values only, and keeps refusing a stale ETag", async () => {
    const { resource: created } = await container.items.create({ id: "moving", pk: "p0", type: "before" });
    const { resource: replaced } = await container.item("moving", "p0").replace({ id: "moving", pk: "p0", type: "after" });
    const byType = async (t: string) =>
      (
        await container.items
          .query({ query: "SELECT c.id FROM c WHERE c.type = @t AND c.id = 'moving'", parameters: [{ name: "@t", value: t }] })
          .fetchAll()
      ).resources;
    assert.deepEqual(await byType("before"), []);
    assert.deepEqual(await byType("after"), [{ id: "moving" }]);
    await assert.rejects(
      container
        .item("moving", "p0")
        .replace({ id: "moving", pk: "p0", type: "stale" }, { accessCondition: { type: "IfMatch", condition: created!._etag } }),
      (e: { code?: number }) => e.code === 412,
    );
    assert.deepEqual(await byType("after"), [{ id: "moving" }], "a refused write changes nothing");
    await container.item("moving", "p0").delete({ accessCondition: { type: "IfMatch", condition: replaced!._etag } });
    assert.deepEqual(await byType("after"), []);
  });

  it("answers a query naming __proto__ or constructor as the engine does, without indexing those keys", async () => {
    for (const sql of [
      "SELECT * FROM c WHERE c.__proto__ = 'a'",
      "SELECT * FROM c WHERE c[\"constructor\"] = 'a'",
      "SELECT * FROM c WHERE c.type = @__proto__",
    ]) {
      const { resources } = await container.items.query({ query: sql, parameters: [] }).fetchAll();
      assert.deepEqual(resources, oracle(await readEverything(), sql, []), sql);
    }
  });
});
