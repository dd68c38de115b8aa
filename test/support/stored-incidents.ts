/**
 * What a soak finds stored after its burst: each pupil's incidents from the chronology, and how
 * many are beyond one per submission (stored twice under the same reference, or stored without
 * ever being acknowledged, which with every submit acknowledged means a second incident).
 */
import type { RecordStore } from "../../src/ports/record-store.js";

export async function storedIncidents(
  records: Pick<RecordStore, "chronology">,
  pupilIds: Iterable<string>,
  acknowledged: number,
): Promise<{ incidents: Map<string, string>; duplicated: number }> {
  const incidents = new Map<string, string>(); // incident id → pupil id
  const references = new Set<string>();
  let entries = 0;
  for (const pupilId of new Set(pupilIds)) {
    for (const e of await records.chronology(pupilId)) {
      if (e.kind !== "incident") continue;
      entries++;
      references.add(e.reference);
      incidents.set(e.incidentId, pupilId);
    }
  }
  return { incidents, duplicated: entries - references.size + Math.max(0, references.size - acknowledged) };
}
