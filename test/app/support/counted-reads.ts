/**
 * Counts calls to the record and school store ports while the stores underneath stay the real
 * Cosmos adapters, and seeds a pupil's chronology through the real use cases: what the
 * "store requests per view" test and the chronology timing script share.
 */
import { randomUUID } from "node:crypto";
import { KeepsafeService } from "../../../src/app/keepsafe-service.js";
import type { Actor } from "../../../src/domain/actor.js";
import type { RecordStore } from "../../../src/ports/record-store.js";
import type { SchoolStore } from "../../../src/ports/school-store.js";
import { DEMO_STAFF } from "../../../src/local/demo-school.js";
import type { KeepsafeFixture } from "../../support/keepsafe-fixture.js";

export interface StoreCounter {
  total(): number;
  byMethod(): Map<string, number>;
  reset(): void;
}

/** A proxy of a port that counts every method call; the calls go to the real store. */
export function counted<T extends object>(target: T, counts: Map<string, number>, prefix: string): T {
  return new Proxy(target, {
    get(obj, key, receiver) {
      const value = Reflect.get(obj, key, receiver);
      if (typeof value !== "function" || typeof key !== "string") return value;
      return (...args: unknown[]) => {
        counts.set(`${prefix}.${key}`, (counts.get(`${prefix}.${key}`) ?? 0) + 1);
        return (value as (...a: unknown[]) => unknown).apply(obj, args);
      };
    },
  });
}

/** A KeepsafeService over the fixture's real stores, each behind a counting proxy. */
export function countedService(fx: KeepsafeFixture): { service: KeepsafeService; counter: StoreCounter } {
  const counts = new Map<string, number>();
  const records = counted<RecordStore>(fx.stores.recordStore, counts, "records");
  const schools = counted<SchoolStore>(fx.stores.schoolStore, counts, "schools");
  const service = new KeepsafeService({ records, schools, clock: fx.clock });
  return {
    service,
    counter: {
      total: () => [...counts.values()].reduce((a, b) => a + b, 0),
      byMethod: () => new Map(counts),
      reset: () => counts.clear(),
    },
  };
}

const ddsl = DEMO_STAFF.find((s) => s.role === "DDSL")!;

/**
 * Records `incidents` concerns about `pupilId` (the first one also about `linkedPupilId`, if
 * given) and an action on every other one, through the service's own commands.
 */
export async function seedChronology(
  service: KeepsafeService,
  actor: Actor,
  pupilId: string,
  incidents: number,
  linkedPupilId?: string,
): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < incidents; i++) {
    const occurredAt = new Date(Date.UTC(2025, 5, 30, 8, 0) - i * 3_600_000).toISOString();
    const { incident } = await service.recordIncident(actor, {
      submissionId: randomUUID(),
      pupilId,
      categoryIds: ["welfare"],
      occurredAt,
      account: `Seeded concern number ${i}.`,
      alertStaffIds: [ddsl.oid],
      source: "tab",
      ...(i === 0 && linkedPupilId ? { linkedPupils: [{ pupilId: linkedPupilId, part: "involved" as const }] } : {}),
    });
    ids.push(incident.id);
    if (i % 2 === 0) {
      await service.addAction(actor, { incidentId: incident.id, requestId: `seed-${randomUUID()}`, text: `Follow-up ${i}.`, occurredAt });
    }
  }
  return ids;
}
