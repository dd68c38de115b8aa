/**
 * The real KeepsafeService over the demo school, stored in the embedded local Cosmos DB server
 * through the real Cosmos adapters, for tests of the application's use cases. Each fixture has its
 * own data directory and database, and a clock the test sets.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createCosmosStores, type CosmosStores } from "../../src/adapters/cosmos/create-cosmos-stores.js";
import { KeepsafeService } from "../../src/app/keepsafe-service.js";
import { DEMO_SCHOOL_ID, DEMO_STAFF, ensureDemoSchool } from "../../src/local/demo-school.js";
import { startLocalCosmos, type LocalCosmos } from "../../src/local/cosmos/local-cosmos.js";
import type { Actor } from "../../src/domain/actor.js";
import type { Clock } from "../../src/ports/clock.js";
import { loadOrCreateTls } from "../../src/local/cosmos/tls-material.js";
import { startFaultProxy, type FaultProxy } from "./fault-proxy.js";

export interface KeepsafeFixture {
  stores: CosmosStores;
  service: KeepsafeService;
  clock: Clock & { set(iso: string): void };
  /** A demo member of staff as an actor (MFA passed unless told otherwise). */
  actorFor(label: "DSL" | "DDSL" | "SLT" | "STAFF" | "STAFF2" | "STAFF3", mfa?: boolean): Actor;
  /** Where the fixture's database is, for a test that must reach behind the adapters (to make drift). */
  cosmos: { endpoint: string; key: string; caPem: string; databaseId: string };
  /** With `{ proxy: true }`: the fault proxy the stores talk to Cosmos DB through (no faults unless set). */
  proxy?: FaultProxy;
  close(): Promise<void>;
}

export async function startKeepsafeFixture(name: string, nowIso: string, opts: { proxy?: boolean } = {}): Promise<KeepsafeFixture> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `keepsafe-${name}-`));
  let cosmos: LocalCosmos | undefined;
  let proxy: FaultProxy | undefined;
  try {
    cosmos = await startLocalCosmos({ dataDir });
    if (opts.proxy) {
      const tls = await loadOrCreateTls(dataDir);
      proxy = await startFaultProxy({ upstream: cosmos.endpoint, caPem: cosmos.caPem, certPem: tls.certPem, keyPem: tls.keyPem, seed: 1, share: 0 });
    }
    const endpoint = proxy?.endpoint ?? cosmos.endpoint;
    const stores = await createCosmosStores({ endpoint, key: cosmos.key, caPem: cosmos.caPem, databaseId: `keepsafe-${name}` });
    let now = new Date(nowIso);
    const clock = { now: () => new Date(now), set: (iso: string) => void (now = new Date(iso)) };
    await ensureDemoSchool(stores.schoolStore, clock);
    const service = new KeepsafeService({ schools: stores.schoolStore, records: stores.recordStore, clock });
    const staffOf = (role: string, nth = 0) => DEMO_STAFF.filter((s) => s.role === role)[nth];
    const running = cosmos;
    return {
      stores,
      service,
      clock,
      actorFor(label, mfa = true) {
        const member = label === "STAFF2" ? staffOf("STAFF", 1) : label === "STAFF3" ? staffOf("STAFF", 2) : staffOf(label);
        return { staffId: member.oid, schoolId: DEMO_SCHOOL_ID, name: member.displayName, role: member.role, mfa };
      },
      cosmos: { endpoint: cosmos.endpoint, key: cosmos.key, caPem: cosmos.caPem, databaseId: `keepsafe-${name}` },
      ...(proxy ? { proxy } : {}),
      async close() {
        stores.dispose();
        await proxy?.stop();
        await running.stop();
        fs.rmSync(dataDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await proxy?.stop();
    await cosmos?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
}
