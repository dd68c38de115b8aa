import assert from "node:assert/strict";
import type { ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Container } from "@azure/cosmos";
import type { SyncFile } from "../../src/local/cosmos/group-commit.js";
import { startLocalCosmos, type LocalCosmos } from "../../src/local/cosmos/local-cosmos.js";
import { spawnWriterChild } from "../support/cosmos-writer.js";
import { gatedSync, rawRequest, until } from "./support/held-sync.js";
import { clientFor } from "./support/school-records.js";

describe("local Cosmos DB server: group commit", function () {
  this.timeout(60_000);
  let dataDir: string;
  const servers: LocalCosmos[] = [];
  const children: ChildProcess[] = [];

  beforeEach(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "keepsafe-cosmos-gc-"));
  });
  afterEach(async () => {
    for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill("SIGKILL");
    for (const s of servers.splice(0)) await s.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  async function startWith(sync: SyncFile) {
    const local = await startLocalCosmos({ dataDir, syncJournal: sync });
    servers.push(local);
    const client = clientFor(local);
    const { database } = await client.databases.createIfNotExists({ id: "gc" });
    const { container } = await database.containers.createIfNotExists({ id: "docs", partitionKey: { paths: ["/pk"] } });
    return { local, client, container: container as Container };
  }

  it("group commit: 200 concurrent creates through the real client share fdatasyncs (writes arriving during one wait for the next), and all survive a restart", async () => {
    const writes = 200;
    const journalLines = () => fs.readFileSync(path.join(dataDir, "cosmos", "journal.ndjson"), "utf8").split("\n").length - 1;
    let baseLines = Infinity;
    let held = false;
    const gate = gatedSync();
    const { client, container } = await startWith(async (fd) => {
      // The first sync of the burst is held until every other write has been appended behind it:
      // they must then all be answered by the one sync after it, not one sync each.
      if (!held && journalLines() > baseLines) {
        held = true;
        await until(() => journalLines() >= baseLines + writes, "every write of the burst is in the journal", 40_000, 10);
      }
      await gate.sync(fd);
    });
    baseLines = journalLines();
    const before = gate.state.calls;
    const create = (i: number, prefix: string) => container.items.create({ id: `${prefix}${i}`, pk: `p${i % 5}`, text: "x".repeat(300) });
    const results = await Promise.all(Array.from({ length: writes }, (_, i) => create(i, "c")));
    const syncs = gate.state.calls - before;
    assert.ok(
      results.every((r) => r.statusCode === 201),
      "every write was acknowledged",
    );
    assert.ok(syncs <= 3, `the ${writes - 1} writes appended during the first sync should share one or two more, got ${syncs} syncs`);

    // Unheld, how much writes share depends on the disk and the load: shown, not asserted.
    const unheld = gate.state.calls;
    await Promise.all(Array.from({ length: writes }, (_, i) => create(i, "u")));
    process.stdout.write(`      ${writes} concurrent writes unheld: ${gate.state.calls - unheld} fdatasync calls\n`);
    client.dispose();
    await servers.pop()!.stop();

    const again = await startLocalCosmos({ dataDir });
    servers.push(again);
    const c2 = clientFor(again);
    const { resources } = await c2.database("gc").container("docs").items.query("SELECT c.id FROM c").fetchAll();
    assert.equal(resources.length, 2 * writes);
    c2.dispose();
  });

  it("group commit: neither a write's answer nor a read that sees the write leaves before its journal entry is synced", async () => {
    const gate = gatedSync();
    const { local, client, container } = await startWith(gate.sync);
    let release!: () => void;
    gate.state.hold = new Promise<void>((r) => (release = r));
    let writeAnswered = false;
    const write = container.items.create({ id: "held", pk: "p" }).then((r) => ((writeAnswered = true), r));
    await until(() => gate.state.entered === 1, "the write's sync has started");

    // The write is applied in memory but not yet durable: a read of it must wait for the sync.
    const read = rawRequest(local, "/dbs/gc/colls/docs/docs/held", { "x-ms-documentdb-partitionkey": '["p"]' });
    let readAnswered = false;
    void read.answered.then(() => (readAnswered = true));
    await read.sent;
    // A request with no route answers at once; sent after the read, it comes back after the server took the read in.
    const probe = await rawRequest(local, "/no-such-route").answered;
    assert.equal(probe.status, 400);
    assert.equal(writeAnswered, false, "the write was acknowledged before its sync finished");
    assert.equal(readAnswered, false, "a read showed a write that was not yet durable");

    gate.state.hold = undefined;
    release();
    assert.equal((await write).statusCode, 201);
    const answer = await read.answered;
    assert.equal(answer.status, 200);
    assert.equal((JSON.parse(answer.body) as { id: string }).id, "held");
    client.dispose();
  });

  it("group commit: when the sync fails, the waiting write and a read that saw it both answer 503, never 'done'", async () => {
    const gate = gatedSync();
    const { local, client, container } = await startWith(gate.sync);
    let fail!: (err: Error) => void;
    gate.state.hold = new Promise<void>((_, reject) => (fail = reject));
    const created = container.items.create({ id: "lost", pk: "p" }).then(
      (r) => r.statusCode,
      (e: { code?: number }) => e.code,
    );
    await until(() => gate.state.entered === 1, "the write's sync has started");
    const read = rawRequest(local, "/dbs/gc/colls/docs/docs/lost", { "x-ms-documentdb-partitionkey": '["p"]' });
    await read.sent;
    await rawRequest(local, "/no-such-route").answered;
    fail(Object.assign(new Error("disk gone"), { code: "EIO" }));
    assert.equal(await created, 503);
    assert.equal((await read.answered).status, 503);
    client.dispose();
  });

  it("group commit: every write acknowledged during a 16-writer burst survives a SIGKILL of the server's process", async () => {
    const writer = spawnWriterChild(dataDir, "burst");
    children.push(writer.child);
    const acks = () => writer.lines.filter((l) => l.startsWith("ack ")).length;
    await writer.waitFor(() => acks() >= 300, 40_000);
    writer.child.kill("SIGKILL");
    await writer.exited;
    const acked = writer.lines.filter((l) => l.startsWith("ack ")).map((l) => l.slice(4));

    const local = await startLocalCosmos({ dataDir });
    servers.push(local);
    const client = clientFor(local);
    const { resources } = await client.database("durability").container("docs").items.query<{ id: string }>("SELECT c.id FROM c").fetchAll();
    const stored = new Set(resources.map((r) => r.id));
    assert.deepEqual(
      acked.filter((id) => !stored.has(id)),
      [],
      "acknowledged documents were lost",
    );
    process.stdout.write(`      ${acked.length} acknowledged before the kill, ${stored.size} recovered\n`);
    client.dispose();
  });
});
