import assert from "node:assert/strict";
import type { ChildProcess } from "node:child_process";
import fs from "node:fs";
import https from "node:https";
import os from "node:os";
import path from "node:path";
import { CosmosClient } from "@azure/cosmos";
import { connectOrStartLocalCosmos, startLocalCosmos, type LocalCosmos } from "../../src/local/cosmos/local-cosmos.js";
import { spawnWriterChild as spawnChild } from "../support/cosmos-writer.js";

const clientFor = (local: Pick<LocalCosmos, "endpoint" | "key" | "caPem">) =>
  new CosmosClient({
    endpoint: local.endpoint,
    key: local.key,
    agent: new https.Agent({ ca: local.caPem }),
    connectionPolicy: { enableEndpointDiscovery: false },
  });

describe("local Cosmos DB server: durability", function () {
  this.timeout(60_000);
  let dataDir: string;
  const children: ChildProcess[] = [];
  const servers: { stop(): Promise<void> }[] = [];

  beforeEach(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "keepsafe-cosmos-"));
  });
  afterEach(async () => {
    for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill("SIGKILL");
    for (const s of servers.splice(0)) await s.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it("keeps every acknowledged document when the server's process is SIGKILLed mid-stream", async () => {
    const writer = spawnChild(dataDir);
    children.push(writer.child);
    await writer.waitFor((l) => l.startsWith("ack ") && l.endsWith("-40"));
    writer.child.kill("SIGKILL");
    await writer.exited;
    const acked = writer.lines.filter((l) => l.startsWith("ack ")).map((l) => l.slice(4));
    assert.ok(acked.length >= 41, `expected at least 41 acknowledged writes, got ${acked.length}`);

    // The dead writer's lock is stale and must be taken over.
    const local = await startLocalCosmos({ dataDir });
    servers.push(local);
    const client = clientFor(local);
    const container = client.database("durability").container("docs");
    const { resources } = await container.items.query<{ id: string }>("SELECT c.id FROM c").fetchAll();
    const stored = new Set(resources.map((r) => r.id));
    const lost = acked.filter((id) => !stored.has(id));
    assert.deepEqual(lost, [], "acknowledged documents were lost");

    // New writes after recovery get fresh resource ids and survive a clean restart too.
    const before = await container.item(acked[0], "p0").read();
    await container.items.create({ id: "after-restart", pk: "p1" });
    await local.stop();
    servers.pop();
    const again = await startLocalCosmos({ dataDir, compactAboveBytes: 1 }); // forces compaction
    servers.push(again);
    const c2 = clientFor(again).database("durability").container("docs");
    const { resources: all } = await c2.items.query<{ id: string }>("SELECT c.id FROM c").fetchAll();
    assert.equal(all.length, stored.size + 1);
    const replayed = await c2.item(acked[0], "p0").read();
    assert.equal(replayed.etag, before.etag, "replay keeps the ETag clients were given");
    client.dispose();
  });

  it("lets only one process own a data dir, and connectOrStart joins the running one", async () => {
    const holder = spawnChild(dataDir, "hold");
    children.push(holder.child);
    const ready = await holder.waitFor((l) => l.startsWith("ready "));
    const endpoint = ready.slice("ready ".length);

    await assert.rejects(startLocalCosmos({ dataDir }), (e: { code?: string }) => e.code === "conflict");

    const joined = await connectOrStartLocalCosmos(dataDir);
    assert.equal(joined.owned, false);
    assert.equal(joined.endpoint, endpoint);
    const client = clientFor(joined);
    const { database } = await client.databases.createIfNotExists({ id: "shared" });
    assert.equal(database.id, "shared");
    client.dispose();

    holder.child.kill("SIGKILL");
    await holder.exited;
    const own = await connectOrStartLocalCosmos(dataDir);
    servers.push(own);
    assert.equal(own.owned, true);
    const c2 = clientFor(own);
    const { resource } = await c2.database("shared").read();
    assert.equal(resource?.id, "shared", "the database created through the other process's server survived");
    c2.dispose();
  });

  it("applies a transactional batch whole or not at all, and journals only what applied", async () => {
    const local = await startLocalCosmos({ dataDir });
    servers.push(local);
    const client = clientFor(local);
    const { database } = await client.databases.createIfNotExists({ id: "atomic" });
    const { container } = await database.containers.createIfNotExists({ id: "docs", partitionKey: { paths: ["/pk"] } });
    await container.items.create({ id: "taken", pk: "p" });
    const res = await container.items.batch(
      [
        { operationType: "Create", resourceBody: { id: "new-1", pk: "p" } },
        { operationType: "Upsert", resourceBody: { id: "taken", pk: "p", changed: true } },
        { operationType: "Create", resourceBody: { id: "taken", pk: "p" } },
      ],
      "p",
    );
    assert.deepEqual(
      res.result?.map((r) => r.statusCode),
      [201, 200, 409],
    );
    const ids = async (c: typeof container) =>
      (await c.items.query<{ id: string; changed?: boolean }>("SELECT c.id, c.changed FROM c").fetchAll()).resources;
    assert.deepEqual(await ids(container), [{ id: "taken" }], "the failed batch left nothing behind");
    client.dispose();
    await local.stop();
    servers.pop();
    const again = await startLocalCosmos({ dataDir });
    servers.push(again);
    const c2 = clientFor(again);
    assert.deepEqual(await ids(c2.database("atomic").container("docs")), [{ id: "taken" }]);
    c2.dispose();
  });
});
