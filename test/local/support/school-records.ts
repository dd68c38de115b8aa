import https from "node:https";
import { CosmosClient, type Container, type OperationInput } from "@azure/cosmos";
import type { LocalCosmos } from "../../../src/local/cosmos/local-cosmos.js";
import { shardOf } from "../../../src/adapters/cosmos/cosmos-outbox-due.js";

/**
 * A school's worth of `records` documents for load and scale tests: per pupil, incidents, actions,
 * alerts, outbox messages (sent) and audit events, as the record store writes them, loaded through
 * the real @azure/cosmos client in one transactional batch per pupil, several at a time.
 */

export const DOCS_PER_PUPIL = 50;
/** Pending outbox messages per container, whatever its size, as a school has at any moment. */
export const PENDING_OUTBOX = 5;

export const clientFor = (local: Pick<LocalCosmos, "endpoint" | "key" | "caPem">) =>
  new CosmosClient({
    endpoint: local.endpoint,
    key: local.key,
    agent: new https.Agent({ ca: local.caPem, keepAlive: true }),
    connectionPolicy: { enableEndpointDiscovery: false },
  });

const at = (n: number) => new Date(Date.UTC(2025, 8, 1) + n * 60_000).toISOString();

/** The documents of pupil number `p` (ids are unique per container). */
export function pupilDocs(p: number): Record<string, unknown>[] {
  const pupilId = `pupil-${p}`;
  const docs: Record<string, unknown>[] = [];
  const base = { pupilId, schoolId: "school-1" };
  for (let i = 0; i < 10; i++) {
    const incidentId = `inc-${p}-${i}`;
    const t = p * 100 + i * 10;
    docs.push({
      ...base,
      id: incidentId,
      type: "incident",
      incidentId,
      occurredAt: at(t),
      summary: "A concern was raised.".repeat(8),
      categoryIds: ["cat-1"],
    });
    docs.push({ ...base, id: `action:act-${p}-${i}-a`, type: "action", incidentId, occurredAt: at(t + 1), text: "Spoke to the pupil.".repeat(6) });
    docs.push({ ...base, id: `action:act-${p}-${i}-b`, type: "action", incidentId, occurredAt: at(t + 2), text: "Called home.".repeat(6) });
    docs.push({ ...base, id: `audit:aud-${p}-${i}`, type: "audit", incidentId, occurredAt: at(t), kind: "incident-recorded", staffId: "staff-1" });
    if (i % 2 === 0) {
      docs.push({ ...base, id: `alert:al-${p}-${i}`, type: "alert", incidentId, createdAt: at(t), staffId: "staff-2" });
      const pending = p < PENDING_OUTBOX && i === 0;
      docs.push({
        ...base,
        id: `outbox:ob-${p}-${i}`,
        type: "outbox",
        incidentId,
        status: pending ? "pending" : "sent",
        attempts: pending ? 0 : 1,
        nextAttemptAt: at(t),
      });
    }
  }
  return docs;
}

/** Loads pupils [from, to) into the container, `concurrency` batches at a time. */
export async function loadPupils(container: Container, from: number, to: number, concurrency = 6) {
  let next = from;
  const worker = async () => {
    while (next < to) {
      const p = next++;
      const ops: OperationInput[] = pupilDocs(p).map((d) => ({ operationType: "Create", resourceBody: d as never }));
      const res = await container.items.batch(ops, `pupil-${p}`);
      if (res.code === undefined || res.code >= 300) throw new Error(`loading pupil ${p} failed with ${res.code}`);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}

/**
 * The due index's entries for the container's pending outbox messages (cosmos-outbox-due.ts), as
 * the record store writes them before each batch: the same few whatever the container's size.
 */
export async function loadDueEntries(due: Container) {
  for (let p = 0; p < PENDING_OUTBOX; p++) {
    const id = `ob-${p}-0`;
    await due.items.upsert({ id, shard: shardOf(id), pupilId: `pupil-${p}`, dueAt: at(p * 100), writtenAt: Date.now() });
  }
}
