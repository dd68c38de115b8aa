import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BlobFileStore } from "../../src/adapters/blob/blob-file-store.js";
import { KeepsafeError } from "../../src/domain/errors.js";
import { startAzurite, type LocalAzurite } from "../../src/local/azurite.js";

describe("BlobFileStore against Azurite", function () {
  this.timeout(60_000);
  let dataDir: string;
  let azurite: LocalAzurite | undefined;
  let store: BlobFileStore;

  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), "blob-store-"));
    azurite = await startAzurite({ dataDir });
    store = new BlobFileStore({ connectionString: azurite.connectionString, containerName: "evidence-test" });
  });
  after(async () => {
    await azurite?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it("answers on 127.0.0.1 with the development account", () => {
    assert.match(azurite!.connectionString, /BlobEndpoint=http:\/\/127\.0\.0\.1:\d+\/devstoreaccount1;/);
  });

  it("reports a missing file as undefined, even before the container exists", async () => {
    assert.equal(await store.get("school-1/never-stored"), undefined);
  });

  it("round-trips binary content and its content type", async () => {
    const content = Buffer.concat([Buffer.from([0, 255, 0x89, 0x50, 0x4e, 0x47]), randomBytes(300_000)]);
    await store.put("school-1/file-abc", content, "image/png");
    const got = await store.get("school-1/file-abc");
    assert.ok(got);
    assert.equal(got.contentType, "image/png");
    assert.ok(got.content.equals(content));
    assert.equal(await store.get("school-1/file-other"), undefined);
  });

  it("refuses keys that could escape their folder", async () => {
    await assert.rejects(
      store.put("../x", Buffer.from("a"), "text/plain"),
      (e: unknown) => e instanceof KeepsafeError && e.code === "validation_failed",
    );
    await assert.rejects(store.get("a//b"), KeepsafeError);
  });

  it("pings true while Azurite runs and false once it is stopped", async () => {
    assert.equal(await store.ping(), true);
    await azurite!.stop();
    const started = Date.now();
    assert.equal(await store.ping(), false);
    assert.ok(Date.now() - started < 10_000, "ping must not retry for long");
    await assert.rejects(store.get("school-1/file-abc"), (e: unknown) => e instanceof KeepsafeError && e.code === "store_unavailable");
  });

  it("keeps files across an Azurite restart on the same data directory", async () => {
    const again = await startAzurite({ dataDir });
    try {
      const restarted = new BlobFileStore({ connectionString: again.connectionString, containerName: "evidence-test" });
      const got = await restarted.get("school-1/file-abc");
      assert.ok(got);
      assert.equal(got.content.length, 300_006);
    } finally {
      await again.stop();
    }
  });
});
