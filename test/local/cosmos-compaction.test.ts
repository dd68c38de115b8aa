import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { startLocalCosmos, type LocalCosmos } from "../../src/local/cosmos/local-cosmos.js";
import { clientFor } from "./support/school-records.js";

const sizeOf = (file: string) => (fs.existsSync(file) ? fs.statSync(file).size : 0);

async function until(test: () => boolean, what: string, ms = 20_000) {
  const deadline = Date.now() + ms;
  while (!test()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setImmediate(r));
  }
}

describe("local Cosmos DB server: journal compaction while running", function () {
  this.timeout(60_000);
  let dataDir: string;
  const servers: LocalCosmos[] = [];

  beforeEach(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "keepsafe-cosmos-compact-"));
  });
  afterEach(async () => {
    for (const s of servers.splice(0)) await s.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it("folds the journal into the snapshot once it outgrows the threshold, and a restart has every write and ETag", async () => {
    const threshold = 32 * 1024;
    const local = await startLocalCosmos({ dataDir, compactAboveBytes: threshold });
    servers.push(local);
    const client = clientFor(local);
    const { database } = await client.databases.createIfNotExists({ id: "compact" });
    const { container } = await database.containers.createIfNotExists({ id: "docs", partitionKey: { paths: ["/pk"] } });
    const etags = new Map<string, string>();
    for (let i = 0; i < 300; i++) {
      const { resource } = await container.items.create({ id: `d${i}`, pk: `p${i % 7}`, text: "x".repeat(1000) });
      etags.set(resource!.id, resource!._etag);
    }
    const journal = path.join(dataDir, "cosmos", "journal.ndjson");
    const snapshot = path.join(dataDir, "cosmos", "snapshot.json");
    // 300 KiB were written; the journal holds at most a tail about the snapshot's size (or the threshold).
    await until(() => sizeOf(journal) <= Math.max(threshold, sizeOf(snapshot)) + 2048, "the journal is compacted");
    assert.ok(sizeOf(snapshot) > 200 * 1024, `the snapshot holds the documents (${sizeOf(snapshot)} bytes)`);
    client.dispose();
    await local.stop();
    servers.pop();

    const again = await startLocalCosmos({ dataDir, compactAboveBytes: threshold });
    servers.push(again);
    const c2 = clientFor(again).database("compact").container("docs");
    for (const i of [0, 150, 299]) {
      const { resource } = await c2.item(`d${i}`, `p${i % 7}`).read();
      assert.equal(resource?._etag, etags.get(`d${i}`), `d${i} came back with the ETag its client was given`);
    }
    const { resources } = await c2.items.query("SELECT c.id FROM c").fetchAll();
    assert.equal(resources.length, 300);
  });
});
