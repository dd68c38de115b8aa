/**
 * The chronology's and the incident view's reads from the `records` container, each a fixed number
 * of queries whatever the pupil's record holds: the page of entries, then the actions and alerts of
 * that page's incidents in one query (and one more across partitions for linked incidents stored
 * under other pupils). Paging uses Cosmos DB's own continuation tokens, wrapped so a client only
 * ever holds an opaque string that names the pupil it was made for.
 */
import type { Container } from "@azure/cosmos";
import { z } from "zod";
import { toChronologyEntry, type Alert, type ChronologyEntry, type IncidentAction } from "../../domain/incident.js";
import { ValidationError } from "../../domain/errors.js";
import type { ChronologyPage, PageRequest } from "../../ports/record-store.js";
import type { CosmosDoc } from "./cosmos-docs.js";
import { statusOf } from "./cosmos-errors.js";
import { decodeToken } from "./keyset-continuation.js";
import { inList, query, sqlParameters } from "./cosmos-query.js";
import { fromEntityDoc, fromIncidentDoc } from "./record-docs.js";
import type { IncidentChange } from "../../domain/incident-changes.js";
import type { CaseEntry } from "../../domain/case-entries.js";

export const entryFromDoc = (d: CosmosDoc, pupilId: string): ChronologyEntry =>
  d.type === "link" ? (d.entry as ChronologyEntry) : toChronologyEntry(fromIncidentDoc(d), pupilId);

const ENTRIES_SQL = "SELECT * FROM c WHERE c.pupilId = @pupilId AND c.type IN ('incident', 'link', 'caseEntry') ORDER BY c.occurredAt DESC";

const badContinuation = () =>
  ValidationError([{ field: "continuation", message: "This page of the chronology has expired; open the chronology again." }]);

/** What the opaque token carries: the pupil it belongs to and the SDK's own token. */
const tokenSchema = z.strictObject({ p: z.string(), t: z.string().min(1) });

const wrapToken = (pupilId: string, sdkToken: string) => Buffer.from(JSON.stringify({ p: pupilId, t: sdkToken })).toString("base64url");

function unwrapToken(pupilId: string, token: string): string {
  const checked = tokenSchema.safeParse(decodeToken(token, badContinuation));
  // A token made for another pupil's chronology is refused, not followed.
  if (!checked.success || checked.data.p !== pupilId) throw badContinuation();
  return checked.data.t;
}

function split(docs: CosmosDoc[]) {
  const actions = docs.filter((d) => d.type === "action").map((d) => fromEntityDoc<IncidentAction>(d));
  const alerts = docs.filter((d) => d.type === "alert").map((d) => fromEntityDoc<Alert>(d));
  actions.sort((a, b) => (a.occurredAt < b.occurredAt ? -1 : a.occurredAt > b.occurredAt ? 1 : 0));
  alerts.sort((a, b) => (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : 0));
  const changes = docs.filter((d) => d.type === "change").map((d) => fromEntityDoc<IncidentChange>(d));
  changes.sort((a, b) => a.sequence - b.sequence);
  return { actions, alerts, changes };
}

export async function readChronologyPage(records: Container, pupilId: string, page: PageRequest): Promise<ChronologyPage> {
  const continuationToken = page.continuation === undefined ? undefined : unwrapToken(pupilId, page.continuation);
  let fetched;
  try {
    fetched = await records.items
      .query<CosmosDoc>(
        { query: ENTRIES_SQL, parameters: sqlParameters({ "@pupilId": pupilId }) },
        { partitionKey: pupilId, maxItemCount: page.pageSize, ...(continuationToken ? { continuationToken } : {}) },
      )
      .fetchNext();
  } catch (e) {
    // The SDK refuses a token it cannot read with 400: to the client that is an expired page.
    if (continuationToken && statusOf(e) === 400) throw badContinuation();
    throw e;
  }
  // Case entries (referrals, meetings...) are paged with the incidents, in one time order.
  const caseEntries = fetched.resources.filter((d) => d.type === "caseEntry").map((d) => fromEntityDoc<CaseEntry>(d));
  const entries = fetched.resources.filter((d) => d.type !== "caseEntry").map((d) => entryFromDoc(d, pupilId));
  const own = entries.filter((e) => e.incidentPupilId === pupilId).map((e) => e.incidentId);
  const linked = entries.filter((e) => e.incidentPupilId !== pupilId);
  const [ownDocs, linkedDocs] = await Promise.all([
    own.length ? relatedInPartition(records, pupilId, own) : [],
    linked.length ? relatedAcrossPartitions(records, linked) : [],
  ]);
  const more = fetched.hasMoreResults && fetched.continuationToken;
  return { entries, caseEntries, ...split([...ownDocs, ...linkedDocs]), ...(more ? { continuation: wrapToken(pupilId, more) } : {}) };
}

/** Actions and alerts of the given incidents, all stored in this pupil's partition. */
function relatedInPartition(records: Container, pupilId: string, incidentIds: string[]) {
  const ids = inList("i", incidentIds);
  return query(
    records,
    `SELECT * FROM c WHERE c.pupilId = @pupilId AND c.type IN ('action', 'alert', 'change') AND c.incidentId IN (${ids.sql})`,
    { "@pupilId": pupilId, ...ids.params },
    pupilId,
  );
}

/** Actions and alerts of linked incidents: one query naming their partitions and ids. */
function relatedAcrossPartitions(records: Container, entries: ChronologyEntry[]) {
  const ids = inList("i", [...new Set(entries.map((e) => e.incidentId))]);
  const parts = inList("p", [...new Set(entries.map((e) => e.incidentPupilId))]);
  return query(
    records,
    `SELECT * FROM c WHERE c.pupilId IN (${parts.sql}) AND c.type IN ('action', 'alert', 'change') AND c.incidentId IN (${ids.sql})`,
    { ...parts.params, ...ids.params },
  );
}

export async function readIncidentRecords(records: Container, incidentId: string, pupilId: string) {
  return split(await relatedInPartition(records, pupilId, [incidentId]));
}

/** Incidents and their actions across the partitions they are stored in: one query for each kind. */
export async function readIncidentsWithActions(records: Container, refs: readonly { incidentId: string; incidentPupilId: string }[]) {
  if (!refs.length) return { incidents: [], actions: [] };
  const ids = inList("i", [...new Set(refs.map((r) => r.incidentId))]);
  const parts = inList("p", [...new Set(refs.map((r) => r.incidentPupilId))]);
  const params = { ...parts.params, ...ids.params };
  const [incidents, actions] = await Promise.all([
    query(records, `SELECT * FROM c WHERE c.pupilId IN (${parts.sql}) AND c.type = 'incident' AND c.id IN (${ids.sql})`, params),
    query(records, `SELECT * FROM c WHERE c.pupilId IN (${parts.sql}) AND c.type = 'action' AND c.incidentId IN (${ids.sql})`, params),
  ]);
  return { incidents: incidents.map(fromIncidentDoc), actions: split(actions).actions };
}
