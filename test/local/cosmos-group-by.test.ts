import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Container, CosmosClient, SqlParameter } from "@azure/cosmos";
import { createRequire } from "node:module";
import fc from "fast-check";
import { startLocalCosmos, type LocalCosmos } from "../../src/local/cosmos/local-cosmos.js";
import { clientFor } from "./support/school-records.js";

/**
 * GROUP BY through the real @azure/cosmos client on the embedded server (group-by-query.ts):
 * counts per group as Cosmos DB gives them, over JOINs and filters, with undefined values as a
 * group of their own, and a shape it cannot serve refused as a 400 rather than answered wrongly.
 */
const require = createRequire(import.meta.url);
const parseQuery = require("@zeit/cosmosdb-query").default as (sql: string) => {
  exec(docs: unknown[], opts: Record<string, unknown>): { result: unknown[] };
};

describe("local cosmos GROUP BY", function () {
  this.timeout(60_000);
  let dataDir: string;
  let local: LocalCosmos;
  let client: CosmosClient;
  let container: Container;

  const sessions = ["morning", "lunch", undefined] as const;
  const cats = ["bullying", "online", "attendance"] as const;
  const docs = Array.from({ length: 60 }, (_, i) => ({
    id: `d${i}`,
    pk: `p${i % 4}`,
    schoolId: i % 5 === 0 ? "other" : "s1",
    type: i % 7 === 0 ? "action" : "incident",
    ...(sessions[i % 3] ? { session: sessions[i % 3] } : {}),
    status: i % 2 ? "active" : "closed",
    categoryIds: cats.filter((_, j) => (i + j) % 3 !== 0),
    occurredAt: new Date(Date.UTC(2026, 8, 1 + (i % 10), 9 + (i % 6))).toISOString(),
  }));

  before(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "ks-group-by-"));
    local = await startLocalCosmos({ dataDir });
    client = clientFor(local);
    const { database } = await client.databases.createIfNotExists({ id: "grouping" });
    container = (await database.containers.createIfNotExists({ id: "docs", partitionKey: { paths: ["/pk"] } })).container;
    for (const d of docs) await container.items.create(d);
  });
  after(async () => {
    client?.dispose();
    await local?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const query = async (sql: string, parameters: SqlParameter[] = []) =>
    (await container.items.query<Record<string, unknown>>({ query: sql, parameters }).fetchAll()).resources;
  const sorted = (rows: Record<string, unknown>[]) => [...rows].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
  const countBy = (rows: typeof docs, key: (d: (typeof docs)[number]) => unknown[]) => {
    const m = new Map<string, number>();
    for (const d of rows) for (const k of key(d)) m.set(JSON.stringify(k), (m.get(JSON.stringify(k)) ?? 0) + 1);
    return m;
  };

  it("group by counts per value of a field, with an undefined value as a group whose alias is left out", async () => {
    const rows = await query("SELECT c.session AS session, COUNT(1) AS n FROM c WHERE c.schoolId = @s AND c.type = 'incident' GROUP BY c.session", [
      { name: "@s", value: "s1" },
    ]);
    const mine = docs.filter((d) => d.schoolId === "s1" && d.type === "incident");
    const expected = [...countBy(mine, (d) => [d.session ?? null])].map(([k, n]) => {
      const v = JSON.parse(k) as string | null;
      return v === null ? { n } : { session: v, n };
    });
    assert.deepEqual(sorted(rows), sorted(expected));
    assert.equal(
      rows.reduce((t, r) => t + (r.n as number), 0),
      mine.length,
    );
  });

  it("group by over a JOIN counts a document once per array value, and two expressions group together", async () => {
    const rows = await query(
      "SELECT cat AS category, c.status AS status, COUNT(1) AS n FROM c JOIN cat IN c.categoryIds WHERE c.schoolId = 's1' GROUP BY cat, c.status",
    );
    const expected = new Map<string, number>();
    for (const d of docs.filter((x) => x.schoolId === "s1"))
      for (const cat of d.categoryIds) expected.set(`${cat}|${d.status}`, (expected.get(`${cat}|${d.status}`) ?? 0) + 1);
    assert.equal(rows.length, expected.size);
    for (const r of rows) assert.equal(r.n, expected.get(`${r.category as string}|${r.status as string}`), JSON.stringify(r));
  });

  it("group by a computed key (the hour an incident happened) matches counting the documents, for random filters", async () => {
    await fc.assert(
      fc.asyncProperty(fc.subarray([...cats], { minLength: 1 }), fc.constantFrom("active", "closed"), async (wanted, status) => {
        const parameters = [
          { name: "@cats", value: wanted },
          { name: "@status", value: status },
        ];
        const rows = await query(
          "SELECT LEFT(c.occurredAt, 13) AS hour, COUNT(1) AS n FROM c WHERE c.status = @status AND (ARRAY_CONTAINS(@cats, c.categoryIds[0]) OR ARRAY_CONTAINS(@cats, c.categoryIds[1])) GROUP BY LEFT(c.occurredAt, 13)",
          parameters,
        );
        const kept = docs.filter((d) => d.status === status && d.categoryIds.slice(0, 2).some((x) => (wanted as string[]).includes(x)));
        const expected = countBy(kept, (d) => [d.occurredAt.slice(0, 13)]);
        assert.equal(rows.length, expected.size);
        for (const r of rows) assert.equal(r.n, expected.get(JSON.stringify(r.hour)));
      }),
      { numRuns: 12, seed: 4242 },
    );
  });

  it("group by answers in the partition the request names, as any query does", async () => {
    const rows = (
      await container.items
        .query<Record<string, unknown>>("SELECT c.type AS type, COUNT(1) AS n FROM c GROUP BY c.type", { partitionKey: "p1" })
        .fetchAll()
    ).resources;
    const expected = countBy(
      docs.filter((d) => d.pk === "p1"),
      (d) => [d.type],
    );
    assert.deepEqual(sorted(rows), sorted([...expected].map(([k, n]) => ({ type: JSON.parse(k) as string, n }))));
  });

  it("group by refuses a shape it cannot serve with a 400 naming the limit, never a wrong answer", async () => {
    for (const sql of [
      "SELECT c.session, COUNT(1) AS n FROM c GROUP BY c.session",
      "SELECT c.status AS status, COUNT(1) AS n FROM c GROUP BY c.session",
      "SELECT c.session AS s, SUM(c.x) AS n FROM c GROUP BY c.session",
      "SELECT c.session AS s, COUNT(1) AS n FROM c GROUP BY c.session ORDER BY c.session",
      "SELECT VALUE COUNT(1) FROM c GROUP BY c.session",
    ]) {
      await assert.rejects(query(sql), (err: { code?: number; message?: string }) => {
        assert.equal(err.code, 400, sql);
        assert.match(String(err.message), /GROUP BY/, sql);
        return true;
      });
    }
  });

  it("group by keeps a string that only looks like GROUP BY inside a literal", async () => {
    const rows = await query("SELECT c.type AS type, COUNT(1) AS n FROM c WHERE c.schoolId != 'x GROUP BY y' GROUP BY c.type");
    assert.deepEqual(sorted(rows), sorted([...countBy(docs, (d) => [d.type])].map(([k, n]) => ({ type: JSON.parse(k) as string, n }))));
  });

  it("a JOIN query narrowed by the document's own fields answers as the engine over every document", async () => {
    const stored = (await container.items.readAll<Record<string, unknown>>().fetchAll()).resources;
    for (const [sql, parameters] of [
      ["SELECT c.id, cat FROM c JOIN cat IN c.categoryIds WHERE c.schoolId = @s AND c.type = 'incident'", [{ name: "@s", value: "s1" }]],
      ["SELECT c.id, cat FROM c JOIN cat IN c.categoryIds WHERE c.schoolId = @s AND cat = 'online'", [{ name: "@s", value: "other" }]],
      ["SELECT c.id FROM c JOIN cat IN c.categoryIds WHERE c.schoolId = 's1' OR cat = 'online'", []],
    ] as [string, SqlParameter[]][]) {
      const rows = await query(sql, parameters);
      const expected = parseQuery(sql).exec(stored, { parameters }).result;
      assert.deepEqual(sorted(rows), sorted(expected as Record<string, unknown>[]), sql);
      assert.ok(rows.length > 0, sql);
    }
  });
});
