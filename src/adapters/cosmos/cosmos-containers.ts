/**
 * Keepsafe's Cosmos DB layout.
 *
 * | container     | partition key | holds                                                            |
 * |---------------|---------------|------------------------------------------------------------------|
 * | `schools`     | `/id`         | one document per school (setup, categories, alert groups)        |
 * | `pupils`      | `/schoolId`   | pupils; a school's roll is one single-partition read             |
 * | `staff`       | `/schoolId`   | staff; `findStaffById` (token arrives with only the oid) is a    |
 * |               |               | cross-partition point query on `id`, cheap at a school's scale   |
 * | `records`     | `/pupilId`    | everything of one pupil, told apart by `type`: `incident`,       |
 * |               |               | `link` (pointer to an incident stored under another pupil),      |
 * |               |               | `alert`, `outbox`, `action`, `audit`, `change`, `caseEntry`      |
 * |               |               | (referral, meeting...) and `referralWatch` (the overdue job's    |
 * |               |               | one mutable document per referral), and subject access           |
 * |               |               | `sar-request`, `sar-extension`, `sar-pack`. A pupil's chronology is |
 * |               |               | one single-partition query ordered by `occurredAt`.              |
 * | `submissions` | `/id`         | submissionId -> {incidentId, pupilId}: idempotency across        |
 * |               |               | partitions, since the form id does not say which pupil it is for |
 * | `drafts`      | `/submissionId` | a form's body map and files until it is submitted; documents   |
 * |               |               | expire (`ttl`, container `defaultTtl` -1), see cosmos-draft-store |
 * | `conversations` | `/id`       | staff id -> the conversation reference of their personal chat    |
 * |               |               | with the bot, so alert cards reach them from any instance and    |
 * |               |               | after a restart; point reads and upserts only                    |
 * | `outbox-due`  | `/shard`      | the due index: one entry per pending outbox message, per open    |
 * |               |               | referral or subject access watch and per early-warning check not |
 * |               |               | yet cleared (its id, pupil and due time) in one of a few shards  |
 * |               |               | of its kind (`due-*`, `referral-due-*`, `sar-due-*`, `ew-due-*`), |
 * |               |               | so the dispatcher and the jobs never query across pupils         |
 * |               |               | (cosmos-outbox-due.ts, cosmos-early-warning-checks.ts)           |
 * | `directory`   | `/id`         | each school's role directory synced from Entra (`roles:{school}`) |
 * |               |               | and the sync's lease (`lease:{name}`); point reads, ETag writes  |
 *
 * Writes that belong together share a partition so they can be one transactional batch: an
 * incident, its alerts, its outbox messages and its audit event are written atomically in the
 * subject pupil's partition. Link documents in other pupils' partitions follow, are idempotent
 * (upsert, id `${incidentId}:${pupilId}`) and are re-ensured whenever the submission is retried.
 * Audit events without a pupil (e.g. a school import) go to the partition `school:${schoolId}`.
 *
 * Incidents are never updated: nothing in the adapter replaces or patches an incident document.
 * Alerts and outbox messages change only through ETag-conditioned (IfMatch) replaces.
 *
 * Indexing is consistent; the free-text paths (`/account`, `/summary`, `/entry/summary`, `/text`,
 * `/content`, and an incident's `/bodyMap`, `/files` and `/origin`) are excluded because nothing
 * filters on them and they are the bulk of each write.
 * A composite index (type ASC, occurredAt DESC) serves the chronology query.
 */
import type { Container, ContainerDefinition, CosmosClient, Database, IndexingPolicy } from "@azure/cosmos";

// An incident's body map, files and origin are read with it, never filtered on: not indexed either.
const EXCLUDED_TEXT_PATHS = [
  "/account/?",
  "/summary/?",
  "/entry/summary/?",
  "/text/?",
  "/content/*",
  "/bodyMap/*",
  "/files/*",
  "/origin/*",
  '/"_etag"/?',
];

const indexingPolicy = (composite?: IndexingPolicy["compositeIndexes"]): IndexingPolicy => ({
  indexingMode: "consistent",
  automatic: true,
  includedPaths: [{ path: "/*" }],
  excludedPaths: EXCLUDED_TEXT_PATHS.map((path) => ({ path })),
  ...(composite ? { compositeIndexes: composite } : {}),
});

export const CONTAINERS = {
  schools: { id: "schools", partitionKey: { paths: ["/id"] }, indexingPolicy: indexingPolicy() },
  pupils: { id: "pupils", partitionKey: { paths: ["/schoolId"] }, indexingPolicy: indexingPolicy() },
  staff: { id: "staff", partitionKey: { paths: ["/schoolId"] }, indexingPolicy: indexingPolicy() },
  records: {
    id: "records",
    partitionKey: { paths: ["/pupilId"] },
    indexingPolicy: indexingPolicy([
      [
        { path: "/type", order: "ascending" },
        { path: "/occurredAt", order: "descending" },
      ],
    ]),
  },
  submissions: { id: "submissions", partitionKey: { paths: ["/id"] }, indexingPolicy: indexingPolicy() },
  // Only point reads by id: nothing in a draft (file names, marks) needs indexing.
  drafts: {
    id: "drafts",
    partitionKey: { paths: ["/submissionId"] },
    defaultTtl: -1,
    indexingPolicy: { indexingMode: "consistent", automatic: true, includedPaths: [{ path: "/schoolId/?" }], excludedPaths: [{ path: "/*" }] },
  },
  // Only point reads by id (the staff member): nothing needs indexing.
  conversations: {
    id: "conversations",
    partitionKey: { paths: ["/id"] },
    indexingPolicy: { indexingMode: "consistent", automatic: true, includedPaths: [], excludedPaths: [{ path: "/*" }] },
  },
  // The dispatcher and the watch jobs ask each shard for entries due by now, oldest first: only those paths indexed.
  outboxDue: {
    id: "outbox-due",
    partitionKey: { paths: ["/shard"] },
    indexingPolicy: {
      indexingMode: "consistent",
      automatic: true,
      includedPaths: [{ path: "/shard/?" }, { path: "/dueAt/?" }],
      excludedPaths: [{ path: "/*" }],
    },
  },
  // Point reads by id only (role directories, the sync lease): nothing needs indexing.
  directory: {
    id: "directory",
    partitionKey: { paths: ["/id"] },
    indexingPolicy: { indexingMode: "consistent", automatic: true, includedPaths: [], excludedPaths: [{ path: "/*" }] },
  },
} satisfies Record<string, ContainerDefinition>;

export type ContainerName = keyof typeof CONTAINERS;
export type KeepsafeContainers = Record<ContainerName, Container>;

/** Creates the database and containers when missing; returns handles to all of them. */
export async function ensureContainers(client: CosmosClient, databaseId: string): Promise<{ database: Database; containers: KeepsafeContainers }> {
  const { database } = await client.databases.createIfNotExists({ id: databaseId });
  const entries = await Promise.all(
    (Object.keys(CONTAINERS) as ContainerName[]).map(async (name) => {
      const { container } = await database.containers.createIfNotExists(CONTAINERS[name]);
      return [name, container] as const;
    }),
  );
  return { database, containers: Object.fromEntries(entries) as KeepsafeContainers };
}
