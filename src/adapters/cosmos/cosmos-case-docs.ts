/**
 * One mutable "case" document per incident (`case:<incidentId>`, the incident's partition): the
 * fields the home's lists filter and the policy decides by, as the record stands now. Incidents
 * are immutable and their changes are separate documents, so without it "open", "assigned to me"
 * or "urgent and still open" could only be answered by reading every change of the school.
 *
 * It is written in the same transactional batch as the incident (created) and as each change
 * (replaced IfMatch the ETag it was read with), so it moves if and only if the change is stored.
 * `rebuildCaseDocs` puts back any that are missing or have drifted from incident + latest change.
 */
import type { Container, OperationInput } from "@azure/cosmos";
import type { Incident } from "../../domain/incident.js";
import { submittedState, type IncidentChange, type IncidentState } from "../../domain/incident-changes.js";
import type { CaseFact } from "../../ports/task-store.js";
import type { CosmosDoc } from "./cosmos-docs.js";
import { create, pointRead } from "./cosmos-batch.js";
import { statusOf } from "./cosmos-errors.js";
import { query } from "./cosmos-query.js";
import { recordDocId } from "./record-docs.js";

/** The incident's own fields a case carries (the rest is the state, which changes). */
const FIXED = [
  "schoolId",
  "pupilId",
  "reference",
  "occurredAt",
  "recordedAt",
  "urgent",
  "alertedStaffIds",
  "allegationSubjectStaffIds",
  "assignedToStaffId",
  "raisedBy",
  // What a report counts by (cosmos-report-counts.ts), so it counts cases in the store.
  "subCategoryIds",
  "dayOfWeek",
  "session",
  "location",
] as const;

/** The report's fields as the case holds them: an older case without them is rebuilt. */
const reportFields = (d: Record<string, unknown>) =>
  JSON.stringify([d.subCategoryIds ?? null, d.dayOfWeek ?? null, d.session ?? null, d.location ?? null]);

export const caseDocId = (incidentId: string) => recordDocId("case", incidentId);

/** The case document of an incident in the given state. */
export function caseDoc(incident: Pick<Incident, "id" | (typeof FIXED)[number]>, state: IncidentState) {
  const fixed: Record<string, unknown> = {};
  for (const f of FIXED) if (incident[f] !== undefined) fixed[f] = incident[f];
  return {
    ...fixed,
    id: caseDocId(incident.id),
    entityId: incident.id,
    type: "case" as const,
    categoryIds: [...state.categoryIds],
    status: state.status,
    ...(state.assignee ? { assignee: { kind: state.assignee.kind, id: state.assignee.id } } : {}),
  };
}

export const newCaseOp = (incident: Incident): OperationInput => create(caseDoc(incident, submittedState(incident)));

/**
 * The batch operation that moves an incident's case to the state after `change`: a replace on the
 * ETag just read, or (an incident stored before cases existed) a create from the incident itself.
 * Either fails the batch if someone else wrote the case in between (412 / 409), and nothing is kept.
 */
export async function caseOpForChange(records: Container, change: IncidentChange): Promise<OperationInput> {
  const read = await pointRead(records, caseDocId(change.incidentId), change.pupilId);
  if (read) {
    const body = caseDoc({ ...read, id: change.incidentId } as never, change.after);
    return { operationType: "Replace", id: read.id, partitionKey: change.pupilId, resourceBody: body as never, ifMatch: read._etag };
  }
  const incident = await pointRead(records, change.incidentId, change.pupilId);
  if (!incident) throw new Error("A change was made to an incident that is not stored.");
  return create(caseDoc(incident as never, change.after));
}

export function toCaseFact(d: CosmosDoc): CaseFact {
  const fact = { ...d, id: d.entityId } as unknown as CaseFact & Record<string, unknown>;
  for (const f of ["type", "entityId", "_rid", "_self", "_etag", "_attachments", "_ts", "_lsn"]) delete fact[f];
  if (!Array.isArray(fact.allegationSubjectStaffIds)) delete fact.allegationSubjectStaffIds;
  if (typeof fact.assignedToStaffId !== "string") delete fact.assignedToStaffId;
  if (!fact.assignee || typeof fact.assignee !== "object") delete fact.assignee;
  return fact;
}

const sameState = (doc: CosmosDoc | undefined, want: ReturnType<typeof caseDoc>) =>
  !!doc &&
  JSON.stringify(doc.categoryIds) === JSON.stringify(want.categoryIds) &&
  doc.status === want.status &&
  JSON.stringify(doc.assignee ?? null) === JSON.stringify(want.assignee ?? null) &&
  reportFields(doc) === reportFields(want);

/**
 * Puts back every case of a school that is missing or disagrees with its incident and latest
 * change. A whole-school read, so it is a job (start-up, or after a restore), never a page load.
 */
export async function rebuildCaseDocs(records: Container, schoolId: string): Promise<{ checked: number; rebuilt: number }> {
  const params = { "@schoolId": schoolId };
  const [incidents, changes, cases] = await Promise.all([
    query(records, "SELECT * FROM c WHERE c.type = 'incident' AND c.schoolId = @schoolId", params),
    query(records, "SELECT c.incidentId, c.sequence, c.after FROM c WHERE c.type = 'change' AND c.schoolId = @schoolId", params),
    query(records, "SELECT * FROM c WHERE c.type = 'case' AND c.schoolId = @schoolId", params),
  ]);
  const latest = new Map<string, { sequence: number; after: IncidentState }>();
  for (const d of changes) {
    const seen = latest.get(String(d.incidentId));
    if (!seen || seen.sequence < Number(d.sequence))
      latest.set(String(d.incidentId), { sequence: Number(d.sequence), after: d.after as IncidentState });
  }
  const caseOf = new Map(cases.map((d) => [String(d.entityId), d]));
  let rebuilt = 0;
  for (const doc of incidents) {
    const incident = doc as unknown as Incident;
    const want = caseDoc(incident, latest.get(incident.id)?.after ?? submittedState(incident));
    const have = caseOf.get(incident.id);
    if (sameState(have, want)) continue;
    // IfMatch: a change stored meanwhile moved the case on, and is right; a later run checks again.
    try {
      if (have) await records.item(have.id, incident.pupilId).replace(want, { accessCondition: { type: "IfMatch", condition: String(have._etag) } });
      else await records.items.create(want);
      rebuilt++;
    } catch (e) {
      if (statusOf(e) !== 412 && statusOf(e) !== 409) throw e;
    }
  }
  return { checked: incidents.length, rebuilt };
}
