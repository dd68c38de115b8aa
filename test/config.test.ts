import assert from "node:assert/strict";
import { ConfigError, loadConfig } from "../src/config.js";

const PROD = {
  COSMOS_ENDPOINT: "https://x.documents.azure.com:443/",
  COSMOS_KEY: "k",
  BLOB_CONNECTION_STRING: "DefaultEndpointsProtocol=https;AccountName=a;AccountKey=b",
  GRAPH_BASE_URL: "https://graph.microsoft.com/v1.0",
  GRAPH_ALERTS_MAILBOX: "alerts@school.example",
  AUTH_AUTHORITY: "https://login.microsoftonline.com/tid",
  AAD_APP_CLIENT_ID: "cid",
  AAD_APP_CLIENT_SECRET: "secret",
  TENANT_ID: "tid",
  BOT_ID: "bot",
  BOT_PASSWORD: "pw",
};

describe("configuration", () => {
  it("runs every part locally, on loopback, when nothing is set", () => {
    const c = loadConfig({}, "/tmp/project");
    assert.equal(c.production, false);
    assert.deepEqual(Object.values(c.local), [true, true, true, true, true]);
    assert.equal(c.host, "127.0.0.1");
    assert.equal(c.port, 3978);
    assert.equal(c.dataDir, "/tmp/project/.keepsafe");
  });

  it("stops with the names of what is missing when a part is half given", () => {
    assert.throws(
      () => loadConfig({ COSMOS_ENDPOINT: "https://x.documents.azure.com/" }),
      (e: Error) => {
        assert.ok(e instanceof ConfigError);
        assert.match(e.message, /cosmos: COSMOS_ENDPOINT is set but COSMOS_KEY is missing/);
        return true;
      },
    );
    assert.throws(() => loadConfig({ AUTH_AUTHORITY: "https://login.microsoftonline.com/t" }), /AAD_APP_CLIENT_ID, TENANT_ID are missing/);
  });

  it("lets one part point elsewhere while the rest stay local", () => {
    const c = loadConfig({ GRAPH_BASE_URL: "http://127.0.0.1:9999/v1.0", GRAPH_ALERTS_MAILBOX: "a@b.c" });
    assert.equal(c.local.graph, false);
    assert.equal(c.local.cosmos, true);
    assert.equal(c.production, false);
  });

  it("listens publicly only with every production setting given", () => {
    assert.throws(() => loadConfig({ HOST: "0.0.0.0" }), /listens publicly only/);
    const c = loadConfig(PROD);
    assert.equal(c.production, true);
    assert.equal(c.host, "0.0.0.0");
    assert.equal(c.identity.authority, "https://login.microsoftonline.com/tid");
  });

  it("refuses settings that are not valid", () => {
    assert.throws(() => loadConfig({ PORT: "eighty" }), /PORT/);
    assert.throws(() => loadConfig({ COSMOS_ENDPOINT: "not a url", COSMOS_KEY: "k" }), /COSMOS_ENDPOINT/);
  });

  it("outbox lease setting: 60 s unless set, and never at or under Graph's 15 s timeout", () => {
    assert.equal(loadConfig({}).outboxLeaseMs, 60_000);
    assert.equal(loadConfig({ OUTBOX_LEASE_MS: "20000" }).outboxLeaseMs, 20_000);
    for (const bad of ["15000", "19999", "-1", "soon", "2e4.5"]) assert.throws(() => loadConfig({ OUTBOX_LEASE_MS: bad }), /OUTBOX_LEASE_MS/, bad);
  });
});
