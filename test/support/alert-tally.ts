/**
 * Counts what Graph received per alert (outbox message id), so a soak can say which alerts are
 * missing and which arrived twice, not only whether the totals match. A mail is matched by its
 * X-Keepsafe-Alert-Id header, an activity notification by its chainId (derived from the same id).
 * Alerts the soak did not list (early-warning alerts a burst of concerns sets off) are held to the
 * same rule: each key at most once.
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
  /** Any alert (listed or not) that reached Graph more than once; unlisted ones by mail id or chain. */
  duplicated: { id: string; times: number }[];
  /** Alerts the soak did not list (e.g. early warnings), each delivered once. */
  others: number;
  /** Requests carrying no alert id or chainId at all (must be 0). */
  unidentified: number;
}

/**
 * When Graph received each alert (ISO times, in order of arrival), keyed as in AlertTally, and how
 * many requests named no alert. A soak uses the times to tell a repeat across a kill from any other.
 */
export function alertDeliveries(expected: OutboxMessage[], requests: RecordedGraphRequest[]): { at: Map<string, string[]>; unidentified: number } {
  const byChain = new Map<number, string>(expected.filter((m) => m.channel === "activity-feed").map((m) => [chainIdOf(m.id), m.id]));
  const at = new Map<string, string[]>();
  let unidentified = 0;
  for (const r of requests) {
    const chain = r.kind === "activity-notification" ? r.body.chainId : undefined;
    const key = r.kind === "mail" ? alertIdOf(r.body) : chain === undefined ? undefined : (byChain.get(chain) ?? `chain:${r.userId}:${chain}`);
    if (key === undefined) unidentified++;
    else at.set(key, [...(at.get(key) ?? []), r.at]);
  }
  return { at, unidentified };
}

export function tallyAlerts(expected: OutboxMessage[], requests: RecordedGraphRequest[]): AlertTally {
  const { at, unidentified } = alertDeliveries(expected, requests);
  const times = new Map([...at].map(([key, list]) => [key, list.length]));
  const listed = new Set(expected.map((m) => m.id));
  const missing = expected
    .filter((m) => !times.has(m.id))
    .map((m) => ({
      id: m.id,
      status: m.status,
      attempts: m.attempts,
      nextAttemptAt: m.nextAttemptAt,
      ...(m.lastError ? { lastError: m.lastError } : {}),
    }));
  const duplicated = [...times].filter(([, n]) => n > 1).map(([id, n]) => ({ id, times: n }));
  return {
    expected: expected.length,
    deliveredOnce: expected.filter((m) => times.get(m.id) === 1).length,
    missing,
    duplicated,
    others: [...times.keys()].filter((k) => !listed.has(k)).length,
    unidentified,
  };
}
