/**
 * The record store's tasks and the home's reads (ports/task-store.ts) over the `records` container.
 * Each read is one query on indexed fields with only the fields it needs projected: the home never
 * reads accounts, and never walks pupils' partitions.
 */
import type { Container } from "@azure/cosmos";
import type { TaskAction, TaskStatusChange } from "../../domain/tasks.js";
import type { CaseFilter, TaskRecords } from "../../ports/task-store.js";
import type { CosmosDoc } from "./cosmos-docs.js";
import { guarded, statusOf } from "./cosmos-errors.js";
import { inList, query, type QueryParams } from "./cosmos-query.js";
import { CASE_FIELDS, caseWhere } from "./cosmos-case-filter.js";
import { create, pointRead, runBatch } from "./cosmos-batch.js";
import { auditDoc, auditPartition, fromEntityDoc, taskGateDoc, taskStatusDoc } from "./record-docs.js";
import { rebuildCaseDocs, toCaseFact } from "./cosmos-case-docs.js";
import { readCaseFactsPage } from "./cosmos-case-pages.js";
import { readTasksPage } from "./cosmos-task-pages.js";
import { visibilityParts } from "./cosmos-case-visibility.js";

/** An alert to `@staffId` not yet marked as read. */
const UNREAD_ALERT = "c.type = 'alert' AND c.staffId = @staffId AND (NOT IS_DEFINED(c.acknowledgedAt) OR IS_NULL(c.acknowledgedAt))";

/** How many documents meet the clause, counted in the store: one number per partition range, summed here (no GROUP BY). */
async function countWhere(records: Container, where: string, params: QueryParams) {
  const found = await query(records, `SELECT VALUE COUNT(1) FROM c WHERE ${where}`, params);
  return (found as unknown as number[]).reduce((sum, n) => sum + Number(n), 0);
}

const top = (limit: number) => Math.max(1, Math.floor(limit));
const statuses = (docs: CosmosDoc[]) => docs.map((d) => fromEntityDoc<TaskStatusChange>(d));

export function createCosmosTaskRecords(records: Container): TaskRecords {
  return {
    addTaskStatus: (status, audit) =>
      guarded("addTaskStatus", async () => {
        if (auditPartition(audit) !== status.pupilId) throw new Error("A task status's audit must belong to the incident's pupil.");
        const docs = [taskStatusDoc(status), auditDoc(audit)];
        const gate = taskGateDoc(status, status.sequence - 1, "status");
        let { ok, results } = await runBatch(records, status.pupilId, [...docs, gate].map(create));
        // The overdue alert took this version first (it is sent, or being sent): the mark still stands.
        if (!ok && results[0]?.statusCode !== 409 && results[2]?.statusCode === 409)
          ({ ok, results } = await runBatch(records, status.pupilId, docs.map(create)));
        if (ok) return { created: true };
        // Another change was made on the same version first: the batch wrote nothing.
        if (results[0]?.statusCode === 409) return { created: false };
        throw new Error(`task status batch failed with status ${results.map((r) => r.statusCode).join(",")}`);
      }),

    claimTaskOverdue: (task, version) =>
      guarded("claimTaskOverdue", async () => {
        const gate = taskGateDoc(task, version, "overdue-alert");
        try {
          await records.items.create(gate);
          return true;
        } catch (e) {
          if (statusOf(e) !== 409) throw e;
        }
        // Taken already: by this alert (its other channel, or a retry after a lost answer), or by a status change.
        return (await pointRead(records, gate.id, task.pupilId))?.by === "overdue-alert";
      }),

    taskStatusesForAction: (actionId, pupilId) =>
      guarded("taskStatusesForAction", async () =>
        statuses(
          await query(
            records,
            "SELECT * FROM c WHERE c.pupilId = @pupilId AND c.type = 'task-status' AND c.actionId = @actionId ORDER BY c.sequence ASC",
            { "@pupilId": pupilId, "@actionId": actionId },
            pupilId,
          ),
        ),
      ),

    tasksOwnedBy: (schoolId, staffId, limit) =>
      guarded("tasksOwnedBy", async () =>
        (
          await query(
            records,
            "SELECT TOP @top * FROM c WHERE c.type = 'action' AND c.schoolId = @schoolId AND c.task.ownerStaffId = @staffId ORDER BY c.recordedAt DESC",
            { "@schoolId": schoolId, "@staffId": staffId, "@top": top(limit) },
          )
        ).map((d) => fromEntityDoc<TaskAction>(d)),
      ),

    tasksDueBy: (schoolId, dueOn, limit) =>
      guarded("tasksDueBy", async () =>
        (
          await query(
            records,
            "SELECT TOP @top * FROM c WHERE c.type = 'action' AND c.schoolId = @schoolId AND c.task.dueOn <= @dueOn ORDER BY c.recordedAt DESC",
            { "@schoolId": schoolId, "@dueOn": dueOn, "@top": top(limit) },
          )
        ).map((d) => fromEntityDoc<TaskAction>(d)),
      ),

    tasksPage: (schoolId, which, page) => guarded("tasksPage", () => readTasksPage(records, schoolId, which, page)),

    taskStatusesOf: (schoolId, actionIds) =>
      guarded("taskStatusesOf", async () => {
        if (!actionIds.length) return [];
        const ids = inList("a", [...new Set(actionIds)]);
        return statuses(
          await query(records, `SELECT * FROM c WHERE c.type = 'task-status' AND c.schoolId = @schoolId AND c.actionId IN (${ids.sql})`, {
            "@schoolId": schoolId,
            ...ids.params,
          }),
        );
      }),

    caseFacts: (schoolId, filter: CaseFilter, limit) =>
      guarded("caseFacts", async () => {
        const where = caseWhere(schoolId, filter);
        if (!where) return [];
        const sql = `SELECT TOP @top ${CASE_FIELDS} FROM c WHERE ${where.sql} ORDER BY c.recordedAt DESC`;
        return (await query(records, sql, { ...where.params, "@top": top(limit) })).map(toCaseFact);
      }),

    caseFactsPage: (schoolId, filter: CaseFilter, page) => guarded("caseFactsPage", () => readCaseFactsPage(records, schoolId, filter, page)),

    countCases: (schoolId, filter: CaseFilter) =>
      guarded("countCases", async () => {
        const where = caseWhere(schoolId, filter);
        if (!where) return 0;
        if (!filter.visibleTo) return countWhere(records, where.sql, where.params);
        const parts = visibilityParts(filter.visibleTo);
        const counts = await Promise.all(parts.map((p) => countWhere(records, `${where.sql} AND ${p.sql}`, { ...where.params, ...p.params })));
        return counts.reduce((sum, n) => sum + n, 0);
      }),

    rebuildCaseFacts: (schoolId) => guarded("rebuildCaseFacts", () => rebuildCaseDocs(records, schoolId)),

    countUnreadAlerts: (staffId) =>
      guarded("countUnreadAlerts", async () => {
        // One alert per record and person (`alert:<incident>:<staff>`), so this is the records' count too.
        return countWhere(records, UNREAD_ALERT, { "@staffId": staffId });
      }),

    unreadAlertIncidents: (schoolId, staffId) =>
      guarded("unreadAlertIncidents", async () => {
        // Alerts carry no school (staff ids are Entra object ids, one school each); the incidents read
        // after this are the school's.
        void schoolId;
        // Read alerts are left in the store: a DSL's years of them would otherwise be read on each load.
        const docs = await query(records, `SELECT c.incidentId FROM c WHERE ${UNREAD_ALERT}`, { "@staffId": staffId });
        return [...new Set(docs.map((d) => String(d.incidentId)))];
      }),

    deadLetterIncidents: (schoolId) =>
      guarded("deadLetterIncidents", async () => {
        const docs = await query(records, "SELECT c.incidentId FROM c WHERE c.type = 'outbox' AND c.schoolId = @schoolId AND c.status = 'failed'", {
          "@schoolId": schoolId,
        });
        return [...new Set(docs.map((d) => String(d.incidentId)))];
      }),
  };
}
