/**
 * The pages of My concerns and of the audit trails, newest first, paged by keyset continuation
 * (keyset-continuation.ts). Each read asks for one page (plus the rows already seen at the page
 * boundary, plus one to know whether more remain), never the whole list.
 */
import type { Container } from "@azure/cosmos";
import type { AuditEvent, Incident } from "../../domain/incident.js";
import type { AuditScope, PageRequest } from "../../ports/record-store.js";
import { pointRead } from "./cosmos-batch.js";
import { query, type QueryParams } from "./cosmos-query.js";
import { keysetPage, readKeyset, type KeysetAfter } from "./keyset-continuation.js";
import { fromAuditDoc, fromIncidentDoc } from "./record-docs.js";

export const topFor = (page: PageRequest, after?: KeysetAfter) => Math.max(1, Math.floor(page.pageSize)) + (after?.seen.length ?? 0) + 1;

/** `AND <field> <= @at` past the boundary, with its parameter; nothing on the first page. */
export const olderThan = (field: string, after?: KeysetAfter): { sql: string; params: QueryParams } =>
  after ? { sql: ` AND ${field} <= @at`, params: { "@at": after.at } } : { sql: "", params: {} };

export async function readAuditPage(records: Container, scope: AuditScope, page: PageRequest) {
  const which = { list: "audit", owner: "pupilId" in scope ? `pupil:${scope.pupilId}` : `staff:${scope.staffId}` };
  const after = readKeyset(which, page.continuation);
  const older = olderThan("c.occurredAt", after);
  const top = { "@top": topFor(page, after) };
  const docs =
    "pupilId" in scope
      ? await query(
          records,
          `SELECT TOP @top * FROM c WHERE c.pupilId = @pupilId AND c.type = 'audit'${older.sql} ORDER BY c.occurredAt DESC`,
          { "@pupilId": scope.pupilId, ...top, ...older.params },
          scope.pupilId,
        )
      : await query(
          records,
          `SELECT TOP @top * FROM c WHERE c.type = 'audit' AND c.schoolId = @schoolId AND c.actorStaffId = @staffId${older.sql} ORDER BY c.occurredAt DESC`,
          { "@schoolId": scope.schoolId, "@staffId": scope.staffId, ...top, ...older.params },
        );
  const { rows, continuation } = keysetPage(which, docs.map(fromAuditDoc), (e: AuditEvent) => ({ at: e.at, id: e.id }), page.pageSize, after);
  return { events: rows, ...(continuation ? { continuation } : {}) };
}

/** Incidents a member of staff raised or was alerted to (one indexed read), and those tagging them (by their actions). */
export async function readStaffIncidentsPage(records: Container, schoolId: string, staffId: string, page: PageRequest) {
  const which = { list: "concerns", owner: staffId };
  const after = readKeyset(which, page.continuation);
  const older = olderThan("c.recordedAt", after);
  // Across partitions by design: a member of staff's records are spread over their pupils.
  const [own, tagging] = await Promise.all([
    query(
      records,
      "SELECT TOP @top * FROM c WHERE c.type = 'incident' AND c.schoolId = @schoolId AND (c.raisedBy.staffId = @staffId OR ARRAY_CONTAINS(c.alertedStaffIds, @staffId))" +
        `${older.sql} ORDER BY c.recordedAt DESC`,
      { "@schoolId": schoolId, "@staffId": staffId, "@top": topFor(page, after), ...older.params },
    ),
    query(records, "SELECT c.incidentId, c.pupilId FROM c WHERE c.type = 'action' AND ARRAY_CONTAINS(c.taggedStaffIds, @staffId)", {
      "@staffId": staffId,
    }),
  ]);
  const byId = new Map(own.map((d) => [String(d.id), fromIncidentDoc(d)]));
  const missing = [...new Map(tagging.map((t) => [String(t.incidentId), String(t.pupilId)])).entries()].filter(([id]) => !byId.has(id));
  for (const doc of await Promise.all(missing.map(([id, pk]) => pointRead(records, id, pk)))) {
    if (doc && doc.schoolId === schoolId) byId.set(String(doc.id), fromIncidentDoc(doc));
  }
  const { rows, continuation } = keysetPage(which, [...byId.values()], (i: Incident) => ({ at: i.recordedAt, id: i.id }), page.pageSize, after);
  return { incidents: rows, ...(continuation ? { continuation } : {}) };
}
