/**
 * Counts what Graph received per alert (outbox message id), so a soak can say which alerts are
 * missing and which arrived twice, not only whether the totals match. A mail is matched by its
 * X-Keepsafe-Alert-Id header, an activity notification by its chainId (derived from the same id).
 */
import { chainIdOf } from "../../src/adapters/graph/chain-id.js";
import type { OutboxMessage } from "../../src/domain/incident.js";
import { alertIdOf, type RecordedGraphRequest } from "../../src/local/graph-sandbox/recorded-request.js";

export interface MissingAlert {
  id: string;
  status: OutboxMessage["status"];
  attempts: number;
  nextAttemptAt: string;
  lastError?: string;
}

export interface AlertTally {
  expected: number;
  deliveredOnce: number;
  missing: MissingAlert[];
  duplicated: { id: string; times: number }[];
  /** Requests that match no expected alert (must be 0). */
  unexpected: number;
}

export function tallyAlerts(expected: OutboxMessage[], requests: RecordedGraphRequest[]): AlertTally {
  const times = new Map<string, number>(expected.map((m) => [m.id, 0]));
  const byChain = new Map<number, string>(expected.filter((m) => m.channel === "activity-feed").map((m) => [chainIdOf(m.id), m.id]));
  let unexpected = 0;
  for (const r of requests) {
    const id = r.kind === "mail" ? alertIdOf(r.body) : r.body.chainId === undefined ? undefined : byChain.get(r.body.chainId);
    const seen = id === undefined ? undefined : times.get(id);
    if (id === undefined || seen === undefined) unexpected++;
    else times.set(id, seen + 1);
  }
  const byId = new Map(expected.map((m) => [m.id, m]));
  const missing = [...times]
    .filter(([, n]) => n === 0)
    .map(([id]) => {
      const m = byId.get(id)!;
      return { id, status: m.status, attempts: m.attempts, nextAttemptAt: m.nextAttemptAt, ...(m.lastError ? { lastError: m.lastError } : {}) };
    });
  const duplicated = [...times].filter(([, n]) => n > 1).map(([id, n]) => ({ id, times: n }));
  return { expected: expected.length, deliveredOnce: [...times.values()].filter((n) => n === 1).length, missing, duplicated, unexpected };
}
