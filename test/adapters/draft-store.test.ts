/**
 * The form drafts (body map and files before submit): the same suite against the in-memory store
 * and the Cosmos DB adapter on the real local Cosmos server, plus what only a shared store must
 * do: hold the file limit across processes (separate clients), expire abandoned reservations and
 * give each draft document a TTL.
 */
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { CosmosClient } from "@azure/cosmos";
import https from "node:https";
import { createCosmosStores, type CosmosStores } from "../../src/adapters/cosmos/create-cosmos-stores.js";
import { createCosmosDraftStore, DRAFT_TTL_SECONDS, draftDocId, RESERVATION_EXPIRY_MS } from "../../src/adapters/cosmos/cosmos-draft-store.js";
import { InMemoryDraftStore } from "../../src/domain/files.js";
import { LIMITS } from "../../src/domain/limits.js";
import { startLocalCosmos, type LocalCosmos } from "../../src/local/cosmos/local-cosmos.js";
import { draftStoreSuite } from "../support/draft-store-suite.js";

describe("draft store (in memory)", () => {
  draftStoreSuite(() => new InMemoryDraftStore());
});

describe("draft store (Cosmos DB, local server)", function () {
  this.timeout(60_000);
  let dataDir: string;
  let local: LocalCosmos;
  let stores: CosmosStores;
  let second: CosmosStores;
  const databaseId = "keepsafe-drafts";

  before(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "keepsafe-drafts-"));
    local = await startLocalCosmos({ dataDir });
    const opts = { endpoint: local.endpoint, key: local.key, caPem: local.caPem, databaseId };
    // Two clients with their own connections stand for two server processes.
    stores = await createCosmosStores(opts);
    second = await createCosmosStores(opts);
  });
  after(async () => {
    stores?.dispose();
    second?.dispose();
    await local?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  draftStoreSuite(() => stores.draftStore);

  const owner = { staffId: "staff-1", schoolId: "school-1" };

  it("holds the file limit when two processes reserve at once", async () => {
    const form = `form-${randomUUID()}`;
    const attempts = await Promise.allSettled(
      Array.from({ length: 16 }, (_, i) => (i % 2 ? second : stores).draftStore.reserveFile(owner, form, `f${i}`, LIMITS.filesPerRecord)),
    );
    assert.equal(attempts.filter((a) => a.status === "fulfilled").length, LIMITS.filesPerRecord);
    assert.equal((await second.draftStore.get(owner, form))?.pendingFileIds.length, LIMITS.filesPerRecord);
  });

  it("stops counting a reservation its process never finished, after an hour", async () => {
    let now = Date.parse("2025-07-01T10:00:00.000Z");
    const clock = { now: () => new Date(now) };
    const client = new CosmosClient({
      endpoint: local.endpoint,
      key: local.key,
      agent: new https.Agent({ ca: local.caPem }),
      connectionPolicy: { enableEndpointDiscovery: false },
    });
    try {
      const drafts = createCosmosDraftStore(client.database(databaseId).container("drafts"), clock);
      const form = `form-${randomUUID()}`;
      await drafts.reserveFile(owner, form, "crashed", 1);
      await assert.rejects(drafts.reserveFile(owner, form, "next", 1), /at most 1 files/);
      now += RESERVATION_EXPIRY_MS + 1000;
      await drafts.reserveFile(owner, form, "next", 1);
      assert.deepEqual((await drafts.get(owner, form))?.pendingFileIds, ["next"]);
    } finally {
      client.dispose();
    }
  });

  it("gives each draft a week's TTL in a container where only such documents expire", async () => {
    const form = `form-${randomUUID()}`;
    await stores.draftStore.reserveFile(owner, form, "f1", LIMITS.filesPerRecord);
    const client = new CosmosClient({
      endpoint: local.endpoint,
      key: local.key,
      agent: new https.Agent({ ca: local.caPem }),
      connectionPolicy: { enableEndpointDiscovery: false },
    });
    try {
      const container = client.database(databaseId).container("drafts");
      const { resource } = await container.item(draftDocId(owner, form), form).read<{ ttl: number; submissionId: string }>();
      assert.equal(resource?.ttl, DRAFT_TTL_SECONDS);
      assert.equal(resource?.submissionId, form);
      const { resource: definition } = await container.read();
      assert.equal(definition?.defaultTtl, -1);
      assert.deepEqual(definition?.partitionKey?.paths, ["/submissionId"]);
    } finally {
      client.dispose();
    }
  });
});
