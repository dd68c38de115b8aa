/**
 * Child process for the durability test: starts the local Cosmos server on argv[2] (a data dir),
 * then creates documents one after another, printing "ack <id>" only after the server said 201.
 * The parent SIGKILLs it mid-stream. With argv[3] = "hold" it only starts and waits; with "burst"
 * 16 writers create documents concurrently (so writes share the journal's syncs when it is killed).
 */
import https from "node:https";
import { CosmosClient } from "@azure/cosmos";
import { startLocalCosmos } from "../../src/local/cosmos/local-cosmos.js";

async function main() {
  const [dataDir, mode] = process.argv.slice(2);
  const local = await startLocalCosmos({ dataDir });
  if (mode === "hold") {
    process.stdout.write(`ready ${local.endpoint}\n`);
    return; // the open server keeps the process alive until the parent kills it
  }
  const client = new CosmosClient({
    endpoint: local.endpoint,
    key: local.key,
    agent: new https.Agent({ ca: local.caPem, keepAlive: true }),
    connectionPolicy: { enableEndpointDiscovery: false },
  });
  const { database } = await client.databases.createIfNotExists({ id: "durability" });
  const { container } = await database.containers.createIfNotExists({ id: "docs", partitionKey: { paths: ["/pk"] } });
  process.stdout.write("ready\n");
  const writer = async (w: number) => {
    for (let i = 0; ; i++) {
      const id = `doc-${process.pid}-${w}-${i}`;
      const res = await container.items.create({ id, pk: `p${i % 7}`, n: i, padding: "x".repeat(200) });
      if (res.statusCode === 201) process.stdout.write(`ack ${id}\n`);
    }
  };
  await Promise.all(Array.from({ length: mode === "burst" ? 16 : 1 }, (_, w) => writer(w)));
}

main().catch((err) => {
  process.stderr.write(`${String(err?.stack ?? err)}\n`);
  process.exit(1);
});
