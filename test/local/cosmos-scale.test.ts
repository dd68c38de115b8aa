import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Container } from "@azure/cosmos";
import { CONTAINERS } from "../../src/adapters/cosmos/cosmos-containers.js";
import { startLocalCosmos, type LocalCosmos } from "../../src/local/cosmos/local-cosmos.js";
import { readDue } from "../../src/adapters/cosmos/cosmos-outbox-due.js";
import { clientFor, DOCS_PER_PUPIL, loadDueEntries, loadPupils, PENDING_OUTBOX } from "./support/school-records.js";

/**
 * What a query costs must depend on what it asks for, not on how much else the container holds.
 * Two `records` containers in one local server, one small and one a school's year or more, answer
 * the record store's queries (same SQL, same options) through the real client; the medians of
 * interleaved runs are compared. KEEPSAFE_SCALE_DOCS sets the large size (e.g. 100000) and
 * KEEPSAFE_SCALE_ROUNDS the number of rounds.
 */
const SMALL = 1_000;
const LARGE = Number(process.env.KEEPSAFE_SCALE_DOCS ?? 30_000);
const ROUNDS = Number(process.env.KEEPSAFE_SCALE_ROUNDS ?? 9);
const MAX_RATIO = 3;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function timed(fn: () => Promise<unknown>, repeat: number) {
  const start = process.hrtime.bigint();
  for (let i = 0; i < repeat; i++) await fn();
  return Number(process.hrtime.bigint() - start) / 1e6 / repeat;
}

/**
 * The record store's reads (src/adapters/cosmos/cosmos-record-store.ts), against one container.
 * The dispatcher's due query goes through the outbox's due index (its own container, the same
 * few entries beside either size), then point-reads each message it names in `records`.
 */
function recordReads(records: Container, due: Container, pupils: number) {
  const pupil = `pupil-${Math.floor(pupils / 2)}`;
  const p = Math.floor(pupils / 2);
  const all = async (sql: string, parameters: { name: string; value: string | number }[], partitionKey?: string) =>
    (await records.items.query({ query: sql, parameters }, partitionKey !== undefined ? { partitionKey } : {}).fetchAll()).resources;
  return {
    chronology: () =>
      all(
        "SELECT * FROM c WHERE c.pupilId = @pupilId AND c.type IN ('incident', 'link') ORDER BY c.occurredAt DESC",
        [{ name: "@pupilId", value: pupil }],
        pupil,
      ),
    alertsForIncident: () =>
      all(
        "SELECT * FROM c WHERE c.pupilId = @pupilId AND c.type = @type AND c.incidentId = @incidentId ORDER BY c.createdAt ASC",
        [
          { name: "@pupilId", value: pupil },
          { name: "@type", value: "alert" },
          { name: "@incidentId", value: `inc-${p}-0` },
        ],
        pupil,
      ),
    pointRead: async () => [(await records.item(`inc-${p}-3`, pupil).read()).resource],
    dueOutbox: () => readDue(records, due, "2100-01-01T00:00:00.000Z", 20),
    getIncident: () => all("SELECT * FROM c WHERE c.type = 'incident' AND c.id = @id", [{ name: "@id", value: `inc-${p}-7` }]),
    // A JOIN (a report's count per category) is narrowed by the document's own fields as any query is.
    joinedIncident: () =>
      all("SELECT c.id, cat FROM c JOIN cat IN c.categoryIds WHERE c.type = 'incident' AND c.id = @id", [{ name: "@id", value: `inc-${p}-7` }]),
  };
}

const EXPECTED_COUNTS: Record<string, number> = {
  chronology: 10,
  alertsForIncident: 1,
  pointRead: 1,
  dueOutbox: PENDING_OUTBOX,
  getIncident: 1,
  joinedIncident: 1,
};

describe("local Cosmos DB server: query cost at scale", function () {
  this.timeout(600_000);
  let dataDir: string;
  let local: LocalCosmos;
  let small: Container;
  let large: Container;
  let smallDue: Container;
  let largeDue: Container;

  before(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "keepsafe-cosmos-scale-"));
    local = await startLocalCosmos({ dataDir });
    const { database } = await clientFor(local).databases.createIfNotExists({ id: "scale" });
    small = (await database.containers.createIfNotExists({ ...CONTAINERS.records, id: "records-small" })).container;
    large = (await database.containers.createIfNotExists({ ...CONTAINERS.records, id: "records-large" })).container;
    smallDue = (await database.containers.createIfNotExists({ ...CONTAINERS.outboxDue, id: "outbox-due-small" })).container;
    largeDue = (await database.containers.createIfNotExists({ ...CONTAINERS.outboxDue, id: "outbox-due-large" })).container;
    await Promise.all([loadDueEntries(smallDue), loadDueEntries(largeDue)]);
    await loadPupils(small, 0, SMALL / DOCS_PER_PUPIL);
    await loadPupils(large, 0, LARGE / DOCS_PER_PUPIL);
  });
  after(async () => {
    await local?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it(`answers single-partition, point and indexed cross-partition reads as fast at ${LARGE} documents as at ${SMALL}`, async () => {
    const reads = { small: recordReads(small, smallDue, SMALL / DOCS_PER_PUPIL), large: recordReads(large, largeDue, LARGE / DOCS_PER_PUPIL) };
    const names = Object.keys(reads.small) as (keyof typeof reads.small)[];
    // Same answers from both: the queries are comparable, and right.
    for (const name of names) {
      for (const size of ["small", "large"] as const) {
        assert.equal((await reads[size][name]()).length, EXPECTED_COUNTS[name], `${name} on the ${size} container`);
      }
    }
    const samples: Record<string, { small: number[]; large: number[] }> = {};
    for (const name of names) samples[name] = { small: [], large: [] };
    for (let round = 0; round < ROUNDS; round++) {
      for (const name of names) {
        const order = round % 2 === 0 ? (["small", "large"] as const) : (["large", "small"] as const);
        for (const size of order) samples[name][size].push(await timed(reads[size][name], 3));
      }
    }
    const report = names.map((name) => {
      const s = median(samples[name].small);
      const l = median(samples[name].large);
      return { name, small: s, large: l, ratio: l / s };
    });
    for (const r of report) {
      process.stdout.write(
        `      ${r.name}: ${SMALL} docs ${r.small.toFixed(2)} ms, ${LARGE} docs ${r.large.toFixed(2)} ms, ratio ${r.ratio.toFixed(2)}\n`,
      );
    }
    // A millisecond of slack: on a shared machine a sub-millisecond read's ratio is mostly noise.
    const slow = report.filter((r) => r.large > MAX_RATIO * r.small + 1);
    assert.deepEqual(
      slow.map((r) => `${r.name} x${r.ratio.toFixed(1)}`),
      [],
      `queries slower than ${MAX_RATIO}x at ${LARGE} documents`,
    );
  });

  it("restarts with the large store from the snapshot and a bounded journal tail", async () => {
    await local.stop();
    const store = path.join(dataDir, "cosmos");
    const size = (f: string) => (fs.existsSync(path.join(store, f)) ? fs.statSync(path.join(store, f)).size : 0);
    const [journal, snapshot] = [size("journal.ndjson"), size("snapshot.json")];
    // Compaction while running keeps the tail within the default threshold or the snapshot's size.
    assert.ok(journal <= Math.max(16 * 1024 * 1024, snapshot) + 1024 * 1024, `journal ${journal} bytes, snapshot ${snapshot} bytes`);
    const started = Date.now();
    local = await startLocalCosmos({ dataDir });
    const ms = Date.now() - started;
    process.stdout.write(`      restart with ${SMALL + LARGE} documents: ${ms} ms (journal ${journal} bytes, snapshot ${snapshot} bytes)\n`);
    const database = clientFor(local).database("scale");
    const reads = recordReads(database.container("records-large"), database.container("outbox-due-large"), LARGE / DOCS_PER_PUPIL);
    assert.equal((await reads.pointRead()).length, 1);
    assert.equal((await reads.dueOutbox()).length, PENDING_OUTBOX);
    assert.ok(ms < 30_000, `restart took ${ms} ms`);
  });
});
