import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Container, CosmosClient } from "@azure/cosmos";
import { startLocalCosmos, type LocalCosmos } from "../../src/local/cosmos/local-cosmos.js";
import { gatedSync, rawRequest, until } from "./support/held-sync.js";
import { clientFor } from "./support/school-records.js";

/** Headers of a raw document query, as the client sends one (with or without a partition key). */
const queryHeaders = (partitionKey?: string) => ({
  "content-type": "application/query+json",
  "x-ms-documentdb-isquery": "True",
  "x-ms-documentdb-query-enablecrosspartition": "True",
  ...(partitionKey === undefined ? {} : { "x-ms-documentdb-partitionkey": JSON.stringify([partitionKey]) }),
});
const selectAll = { method: "POST", body: JSON.stringify({ query: "SELECT * FROM c", parameters: [] }) };
const ids = (body: string) => (JSON.parse(body) as { Documents: { id: string }[] }).Documents.map((d) => d.id).sort();

/** Resolves with `p`'s value, failing if it is not answered within the deadline. */
async function answered<T>(p: Promise<T>, what: string): Promise<T> {
  let done = false;
  let value!: T;
  void p.then((v) => ((done = true), (value = v)));
  await until(() => done, what);
  return value;
}

/** A raw request that records when it is answered. */
function tracked(local: LocalCosmos, urlPath: string, headers: Record<string, string>, opts: { method?: string; body?: string } = {}) {
  const req = rawRequest(local, urlPath, headers, opts);
  const state = { done: false, ...req };
  void req.answered.then(() => (state.done = true));
  return state;
}

describe("local Cosmos DB server: a read waits only for pending writes it could see", function () {
  this.timeout(60_000);
  let dataDir: string;
  const servers: LocalCosmos[] = [];
  const clients: CosmosClient[] = [];
  /** Releases a held sync, so a failed test still lets its server stop. */
  const unholds: (() => void)[] = [];

  beforeEach(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "keepsafe-cosmos-pw-"));
  });
  afterEach(async () => {
    for (const u of unholds.splice(0)) u();
    for (const c of clients.splice(0)) c.dispose();
    for (const s of servers.splice(0)) await s.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  /** A server with the sync held open by the test, two containers, and durable documents in partitions a and b. */
  async function heldServer() {
    const gate = gatedSync();
    const local = await startLocalCosmos({ dataDir, syncJournal: gate.sync });
    servers.push(local);
    const client = clientFor(local);
    clients.push(client);
    const { database } = await client.databases.createIfNotExists({ id: "pw" });
    const make = async (id: string) => (await database.containers.createIfNotExists({ id, partitionKey: { paths: ["/pk"] } })).container as Container;
    const docs = await make("docs");
    const other = await make("other");
    const { resource: a0 } = await docs.items.create({ id: "a0", pk: "a", v: 1 });
    await docs.items.create({ id: "b1", pk: "b" });
    await other.items.create({ id: "o1", pk: "a" });
    // The same reads once before the hold, so the client's metadata caches are warm.
    await docs.item("b1", "b").read();
    await docs.items.query("SELECT * FROM c", { partitionKey: "b" }).fetchAll();
    await other.items.query("SELECT * FROM c").fetchAll();
    let release!: () => void;
    const hold = () => {
      gate.state.hold = new Promise<void>((r) => (release = r));
      const unhold = () => {
        gate.state.hold = undefined;
        release();
      };
      unholds.push(unhold);
      return unhold;
    };
    return { local, gate, docs, other, a0: a0!, hold };
  }

  it("partition waits: while a write to partition a waits for its sync, reads of partition b and of another container answer at once; reads of a, a cross-partition query and metadata wait for the sync", async () => {
    const { local, gate, docs, other, hold } = await heldServer();
    const unhold = hold();
    let writeAnswered = false;
    const write = docs.items.create({ id: "a1", pk: "a" }).then((r) => ((writeAnswered = true), r));
    await until(() => gate.state.entered === 1, "the write's sync has started");

    // Sent before the reads of b below, so the server has taken them in when those are answered.
    const waiting = {
      "point read in a": tracked(local, "/dbs/pw/colls/docs/docs/a1", { "x-ms-documentdb-partitionkey": '["a"]' }),
      "query in a": tracked(local, "/dbs/pw/colls/docs/docs", queryHeaders("a"), selectAll),
      "cross-partition query": tracked(local, "/dbs/pw/colls/docs/docs", queryHeaders(), selectAll),
      "collection metadata": tracked(local, "/dbs/pw/colls/docs", {}),
    };
    for (const r of Object.values(waiting)) await r.sent;

    const pointB = await answered(docs.item("b1", "b").read(), "a point read in partition b is answered while a's sync is held");
    assert.equal(pointB.statusCode, 200);
    const queryB = await answered(docs.items.query("SELECT * FROM c", { partitionKey: "b" }).fetchAll(), "a query in partition b is answered");
    assert.deepEqual(
      queryB.resources.map((d) => d.id),
      ["b1"],
    );
    const otherAll = await answered(other.items.query("SELECT * FROM c").fetchAll(), "a cross-partition query of another container is answered");
    assert.deepEqual(
      otherAll.resources.map((d) => d.id),
      ["o1"],
    );
    assert.equal(writeAnswered, false, "the write was acknowledged before its sync finished");
    for (const [what, r] of Object.entries(waiting)) assert.equal(r.done, false, `the ${what} answered before the write it could see was durable`);

    unhold();
    assert.equal((await write).statusCode, 201);
    const [pointA, queryA, cross, meta] = await Promise.all(Object.values(waiting).map((r) => r.answered));
    assert.equal(pointA.status, 200);
    assert.equal((JSON.parse(pointA.body) as { id: string }).id, "a1");
    assert.deepEqual(ids(queryA.body), ["a0", "a1"]);
    assert.deepEqual(ids(cross.body), ["a0", "a1", "b1"]);
    assert.equal(meta.status, 200);
  });

  it("partition waits: a point read that the library answers by _rid from another partition waits for a pending replace of that document", async () => {
    const { local, gate, docs, a0, hold } = await heldServer();
    const unhold = hold();
    const replace = docs.item("a0", "a").replace({ id: "a0", pk: "a", v: 2 });
    await until(() => gate.state.entered === 1, "the replace's sync has started");
    // Named by its _rid with partition b's key: the library's fallback finds a0 all the same.
    const byRid = tracked(local, `/dbs/pw/colls/docs/docs/${encodeURIComponent(a0._rid)}`, {
      "x-ms-documentdb-partitionkey": '["b"]',
      "x-ms-documentdb-query-enablecrosspartition": "True",
    });
    await byRid.sent;
    await answered(docs.item("b1", "b").read(), "a point read in partition b is answered");
    assert.equal(byRid.done, false, "a read by _rid showed a replace that was not yet durable");
    unhold();
    assert.equal((await replace).statusCode, 200);
    const answer = await byRid.answered;
    assert.equal(answer.status, 200);
    assert.equal((JSON.parse(answer.body) as { v: number }).v, 2);
  });

  it("partition waits: a read of a container whose creation waits for its sync waits too", async () => {
    const { local, gate, docs, hold } = await heldServer();
    const unhold = hold();
    const created = docs.database.containers.create({ id: "late", partitionKey: { paths: ["/pk"] } });
    await until(() => gate.state.entered === 1, "the creation's sync has started");
    const query = tracked(local, "/dbs/pw/colls/late/docs", queryHeaders("a"), selectAll);
    await query.sent;
    // Creating a container changes what every read sees, so even partition b waits: a request
    // with no route, which answers at once, shows the server has taken the query in.
    assert.equal((await rawRequest(local, "/no-such-route").answered).status, 400);
    assert.equal(query.done, false, "a query showed a container that was not yet durable");
    unhold();
    assert.equal((await created).statusCode, 201);
    assert.equal((await query.answered).status, 200);
  });
});
