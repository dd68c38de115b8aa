/**
 * What early warning's backfill (app/early-warning-backfill.ts) asks of the store: the pupils with
 * concerns recorded inside a school's window, in one query bounded by that window, and a marker in
 * the due index's `meta` shard (as the index's own backfills keep) saying it ran, so a later start
 * reads one document instead of the window.
 */
import type { Container } from "@azure/cosmos";
import { pointRead } from "./cosmos-batch.js";
import { markerOf } from "./cosmos-outbox-due.js";
import { query } from "./cosmos-query.js";

const MARKER = markerOf({ shards: "ew-evaluated" });

/**
 * Each pupil with a concern recorded since `since`, and how many, leaving out a pupil with a check
 * still waiting: the check job evaluates that pupil (every concern of theirs) anyway.
 */
export async function backfillCandidates(records: Container, schoolId: string, since: string): Promise<{ pupilId: string; concerns: number }[]> {
  // Checks are few (each goes once its concern is evaluated), so they ride in the same query.
  const docs = await query(
    records,
    "SELECT c.type, c.pupilId FROM c WHERE c.schoolId = @schoolId AND ((c.type = 'incident' AND c.recordedAt >= @since) OR c.type = 'earlyWarningCheck')",
    { "@schoolId": schoolId, "@since": since },
  );
  const waiting = new Set(docs.filter((d) => d.type === "earlyWarningCheck").map((d) => String(d.pupilId)));
  const counts = new Map<string, number>();
  for (const d of docs) {
    const pupilId = String(d.pupilId);
    if (d.type === "incident" && !waiting.has(pupilId)) counts.set(pupilId, (counts.get(pupilId) ?? 0) + 1);
  }
  return [...counts].map(([pupilId, concerns]) => ({ pupilId, concerns }));
}

export const backfillDone = async (due: Container) => (await pointRead(due, MARKER.id, MARKER.shard)) !== undefined;

export async function markBackfillDone(due: Container, at: string): Promise<void> {
  await due.items.upsert({ ...MARKER, at });
}
