import type { Container, OperationInput } from "@azure/cosmos";
import { type Alert, type AuditEvent, type Incident, type IncidentAction, type OutboxMessage } from "../../domain/incident.js";
import { NotFoundError } from "../../domain/errors.js";
import type { IncidentChange } from "../../domain/incident-changes.js";
import type { IncidentLink, NewIncidentWrite, RecordStore } from "../../ports/record-store.js";
import { type CosmosDoc } from "./cosmos-docs.js";
import { guarded, statusOf } from "./cosmos-errors.js";
import { reportCounts, reportLinkedFacts } from "./cosmos-report-counts.js";
import type { KeepsafeContainers } from "./cosmos-containers.js";
import { query } from "./cosmos-query.js";
import { create, pointRead, runBatch } from "./cosmos-batch.js";
import { claimOutboxDoc } from "./cosmos-outbox-claim.js";
import { mayHaveLanded, readBackIncident } from "./cosmos-lost-answer.js";
import { indexDue, readDue, settleDue } from "./cosmos-outbox-due.js";
import { checkOps } from "./cosmos-early-warning-checks.js";
import { moveOutboxDoc, untriedTaskOverdues } from "./cosmos-outbox-move.js";
import { createCosmosTaskRecords } from "./cosmos-task-records.js";
import { caseOpForChange, newCaseOp } from "./cosmos-case-docs.js";
import { readAuditPage, readStaffIncidentsPage } from "./cosmos-list-pages.js";
import { entryFromDoc, readChronologyPage, readIncidentRecords, readIncidentsWithActions } from "./cosmos-chronology-reads.js";
import {
  actionDoc,
  alertDoc,
  changeDoc,
  auditDoc,
  auditPartition,
  fromAuditDoc,
  fromEntityDoc,
  fromIncidentDoc,
  incidentDoc,
  linkDoc,
  outboxDoc,
  recordDocId,
} from "./record-docs.js";

interface SubmissionMarker {
  id: string;
  incidentId: string;
  pupilId: string;
  schoolId: string;
}

/** Creates a document, treating "already there" as done so retries are harmless. */
async function createIdempotent(container: Container, doc: object) {
  try {
    await container.items.create(doc);
  } catch (e) {
    if (statusOf(e) !== 409) throw e;
  }
}

export function createCosmosRecordStore(c: KeepsafeContainers): RecordStore {
  const records = c.records;
  const due = c.outboxDue;

  const existingForSubmission = async (submissionId: string): Promise<Incident | undefined> => {
    const marker = (await pointRead(c.submissions, submissionId, submissionId)) as SubmissionMarker | undefined;
    if (!marker) return undefined;
    const doc = await pointRead(records, marker.incidentId, marker.pupilId);
    return doc ? fromIncidentDoc(doc) : undefined;
  };

  const ensureLinks = (links: IncidentLink[]) => Promise.all(links.map((l) => records.items.upsert(linkDoc(l))));

  const byIncident = (type: string, incidentId: string, pupilId: string, orderBy: string) =>
    query(
      records,
      `SELECT * FROM c WHERE c.pupilId = @pupilId AND c.type = @type AND c.incidentId = @incidentId ORDER BY c.${orderBy} ASC`,
      { "@pupilId": pupilId, "@type": type, "@incidentId": incidentId },
      pupilId,
    );

  return {
    ...createCosmosTaskRecords(records),
    createIncident: (write: NewIncidentWrite) =>
      guarded("createIncident", async () => {
        const { incident } = write;
        const partitioned = [
          ...write.alerts,
          ...write.outbox,
          { pupilId: auditPartition(write.audit) },
          ...(write.earlyWarningCheck ? [write.earlyWarningCheck] : []),
        ];
        if (partitioned.some((r) => r.pupilId !== incident.pupilId)) {
          throw new Error("Alerts, outbox, audit and early-warning check of an incident must belong to the incident's pupil.");
        }
        const marker: SubmissionMarker = {
          id: incident.submissionId,
          incidentId: incident.id,
          pupilId: incident.pupilId,
          schoolId: incident.schoolId,
        };
        try {
          await c.submissions.items.create(marker);
        } catch (e) {
          if (statusOf(e) !== 409) throw e;
          // A retry or double submit. If the first attempt got as far as the batch, answer with
          // what it stored; otherwise it crashed in between and we finish its work (same ids).
          const existing = await existingForSubmission(incident.submissionId);
          if (existing) {
            await ensureLinks(write.links);
            return { created: false, incident: existing };
          }
        }
        const ops = [incidentDoc(incident), ...write.alerts.map(alertDoc), ...write.outbox.map(outboxDoc), auditDoc(write.audit)].map(create);
        // Before the batch, so a crash in between leaves an entry naming nothing, never a lost alert;
        // early warning's check likewise (cosmos-early-warning-checks.ts), both at once.
        const [, check] = await Promise.all([indexDue(due, write.outbox), checkOps(due, write.earlyWarningCheck)]);
        // The home's current-state document goes in the same batch (cosmos-case-docs.ts).
        let batch;
        try {
          batch = await runBatch(records, incident.pupilId, [...ops, newCaseOp(incident), ...check]);
        } catch (e) {
          // Its answer lost, the batch may have landed: look before saying anything (cosmos-lost-answer.ts).
          const landed = mayHaveLanded(e) ? await readBackIncident(records, incident) : undefined;
          if (!landed) throw e;
          await ensureLinks(write.links);
          // Ours if it is the one this call wrote; a double submit's twin landed first otherwise.
          const ours = landed.recordedAt === incident.recordedAt && landed.raisedBy.staffId === incident.raisedBy.staffId;
          return { created: ours, incident: landed };
        }
        const { ok, results } = batch;
        if (!ok) {
          if (results[0]?.statusCode !== 409) throw new Error(`incident batch failed with status ${results.map((r) => r.statusCode).join(",")}`);
          const stored = await pointRead(records, incident.id, incident.pupilId);
          await ensureLinks(write.links);
          return { created: false, incident: stored ? fromIncidentDoc(stored) : incident };
        }
        await ensureLinks(write.links);
        return { created: true, incident };
      }),

    findBySubmission: (submissionId) => guarded("findBySubmission", () => existingForSubmission(submissionId)),

    getIncident: (incidentId) =>
      guarded("getIncident", async () => {
        const [doc] = await query(records, "SELECT * FROM c WHERE c.type = 'incident' AND c.id = @id", { "@id": incidentId });
        return doc ? fromIncidentDoc(doc) : undefined;
      }),

    recentPupilIdsRaisedBy: (schoolId, staffId, limit) =>
      guarded("recentPupilIdsRaisedBy", async () => {
        // Projected to the pupil id alone: no account or names are read for a list of choices.
        const docs = await query(
          records,
          "SELECT TOP @limit c.pupilId FROM c WHERE c.type = 'incident' AND c.schoolId = @schoolId AND c.raisedBy.staffId = @staffId ORDER BY c.recordedAt DESC",
          { "@limit": limit, "@schoolId": schoolId, "@staffId": staffId },
        );
        return docs.map((d) => (d as { pupilId?: unknown }).pupilId).filter((id): id is string => typeof id === "string");
      }),

    chronology: (pupilId) =>
      guarded("chronology", async () => {
        const docs = await query(
          records,
          "SELECT * FROM c WHERE c.pupilId = @pupilId AND c.type IN ('incident', 'link') ORDER BY c.occurredAt DESC",
          { "@pupilId": pupilId },
          pupilId,
        );
        return docs.map((d) => entryFromDoc(d, pupilId));
      }),

    chronologyPage: (pupilId, page) => guarded("chronologyPage", () => readChronologyPage(records, pupilId, page)),

    incidentRecords: (incidentId, pupilId) => guarded("incidentRecords", () => readIncidentRecords(records, incidentId, pupilId)),

    incidentsWithActions: (refs) => guarded("incidentsWithActions", () => readIncidentsWithActions(records, refs)),

    alertsForIncident: (incidentId, pupilId) =>
      guarded("alertsForIncident", async () => (await byIncident("alert", incidentId, pupilId, "createdAt")).map((d) => fromEntityDoc<Alert>(d))),

    acknowledgeAlert: (alert, at, audit, outbox = []) =>
      guarded("acknowledgeAlert", async () => {
        for (let attempt = 0; attempt < 5; attempt++) {
          const current = await pointRead(records, recordDocId("alert", alert.id), alert.pupilId);
          if (!current) throw NotFoundError("The alert");
          if (current.acknowledgedAt) return fromEntityDoc<Alert>(current); // the first acknowledgement stands
          const replace: OperationInput = {
            operationType: "Replace",
            id: current.id,
            partitionKey: alert.pupilId,
            resourceBody: { ...current, acknowledgedAt: at } as never,
            ifMatch: current._etag,
          };
          const sameParty = auditPartition(audit) === alert.pupilId;
          // The outbox goes in the same batch as the acknowledgement: the note is sent if and only if it is stored.
          const noted = outbox.filter((m) => m.pupilId === alert.pupilId);
          const notes = noted.map((m) => create(outboxDoc(m)));
          await indexDue(due, noted);
          const { ok, results } = await runBatch(records, alert.pupilId, [replace, ...(sameParty ? [create(auditDoc(audit))] : []), ...notes]);
          if (ok) {
            if (!sameParty) await createIdempotent(records, auditDoc(audit));
            return fromEntityDoc<Alert>(results[0].resourceBody as CosmosDoc);
          }
          // A note already written (another DSL read it at the same moment) is not sent twice: acknowledge without it.
          if (notes.length && results.some((r) => r.statusCode === 409)) {
            outbox = [];
            continue;
          }
          if (results[0]?.statusCode !== 412) throw new Error(`acknowledge batch failed with status ${results.map((r) => r.statusCode).join(",")}`);
          // Someone else changed the alert between our read and write: look again.
        }
        throw new Error("The alert kept changing while being acknowledged.");
      }),

    addAction: (action, audit, outbox = []) =>
      guarded("addAction", async () => {
        // More than one audit event when the action records a decision about several people (declined alerts).
        const audits = ([] as readonly AuditEvent[]).concat(audit);
        if ([...outbox, ...audits.map((a) => ({ pupilId: auditPartition(a) }))].some((r) => r.pupilId !== action.pupilId))
          throw new Error("An action's audit and outbox must belong to the action's pupil.");
        const doc = actionDoc(action);
        await indexDue(due, outbox);
        const { ok, results } = await runBatch(records, action.pupilId, [doc, ...audits.map(auditDoc), ...outbox.map(outboxDoc)].map(create));
        if (ok) return { created: true, action };
        if (results[0]?.statusCode !== 409) throw new Error(`action batch failed with status ${results.map((r) => r.statusCode).join(",")}`);
        // Added before (a double click or a retry): the batch wrote nothing; answer with the first.
        const stored = await pointRead(records, doc.id, action.pupilId);
        return { created: false, action: stored ? fromEntityDoc<IncidentAction>(stored) : action };
      }),

    addChange: (change, audit, outbox = []) =>
      guarded("addChange", async () => {
        if ([...outbox, { pupilId: auditPartition(audit) }].some((r) => r.pupilId !== change.pupilId))
          throw new Error("A change's audit and outbox must belong to the incident's pupil.");
        await indexDue(due, outbox);
        const ops = [changeDoc(change), auditDoc(audit), ...outbox.map(outboxDoc)].map(create);
        for (let attempt = 0; attempt < 5; attempt++) {
          // The record's case document moves in the same batch, so the home sees the change if and only if it is stored.
          const { ok, results } = await runBatch(records, change.pupilId, [...ops, await caseOpForChange(records, change)]);
          if (ok) return { created: true };
          // Another change was made on the same version first: the batch wrote nothing.
          if (results[0]?.statusCode === 409) return { created: false };
          // Only the case moved under us (the rebuild job): read it again and retry.
          if (results.at(-1)?.statusCode !== 412 && results.at(-1)?.statusCode !== 409)
            throw new Error(`change batch failed with status ${results.map((r) => r.statusCode).join(",")}`);
        }
        throw new Error("The record's case kept changing while a change was stored.");
      }),

    changesForIncident: (incidentId, pupilId) =>
      guarded("changesForIncident", async () =>
        (await byIncident("change", incidentId, pupilId, "sequence")).map((d) => fromEntityDoc<IncidentChange>(d)),
      ),

    actionsForIncident: (incidentId, pupilId) =>
      guarded("actionsForIncident", async () =>
        (await byIncident("action", incidentId, pupilId, "occurredAt")).map((d) => fromEntityDoc<IncidentAction>(d)),
      ),

    incidentsForStaff: (schoolId, staffId, limit) =>
      guarded("incidentsForStaff", async () => (await readStaffIncidentsPage(records, schoolId, staffId, { pageSize: limit })).incidents),

    incidentsForStaffPage: (schoolId, staffId, page) =>
      guarded("incidentsForStaffPage", () => readStaffIncidentsPage(records, schoolId, staffId, page)),

    appendAudit: (event) => guarded("appendAudit", () => createIdempotent(records, auditDoc(event))),

    reportCounts: (q) => guarded("reportCounts", () => reportCounts(records, q)),
    reportLinkedFacts: (q, taggedIds) => guarded("reportLinkedFacts", () => reportLinkedFacts(records, q, taggedIds)),

    incidentsTagging: (staffId) =>
      guarded("incidentsTagging", async () => {
        const docs = await query(records, "SELECT c.incidentId FROM c WHERE c.type = 'action' AND ARRAY_CONTAINS(c.taggedStaffIds, @staffId)", {
          "@staffId": staffId,
        });
        return [...new Set(docs.map((d) => String(d.incidentId)))];
      }),

    auditForPupil: (pupilId) =>
      guarded("auditForPupil", async () =>
        (
          await query(
            records,
            "SELECT * FROM c WHERE c.pupilId = @pupilId AND c.type = 'audit' ORDER BY c.occurredAt ASC",
            { "@pupilId": pupilId },
            pupilId,
          )
        ).map(fromAuditDoc),
      ),

    auditForStaff: (schoolId, staffId, limit) =>
      guarded("auditForStaff", async () => (await readAuditPage(records, { schoolId, staffId }, { pageSize: limit })).events),

    auditPage: (scope, page) => guarded("auditPage", () => readAuditPage(records, scope, page)),

    // Through the due index (cosmos-outbox-due.ts): a few shard queries and point reads, no scan.
    dueOutbox: (now, limit) => guarded("dueOutbox", () => readDue(records, due, now, limit)),

    claimOutbox: (message, leaseUntil, claimToken) => guarded("claimOutbox", () => claimOutboxDoc(records, message, leaseUntil, claimToken)),

    saveOutbox: (message) =>
      guarded("saveOutbox", async () => {
        await records.items.upsert(outboxDoc(message));
        await settleDue(due, message);
      }),

    untriedTaskOverdues: (schoolId, afterId, limit) => guarded("untriedTaskOverdues", () => untriedTaskOverdues(records, schoolId, afterId, limit)),

    moveOutbox: (message, at) => guarded("moveOutbox", () => moveOutboxDoc(records, due, message, at)),

    outboxForIncident: (incidentId, pupilId) =>
      guarded("outboxForIncident", async () =>
        (await byIncident("outbox", incidentId, pupilId, "nextAttemptAt")).map((d) => fromEntityDoc<OutboxMessage>(d)),
      ),
  };
}
