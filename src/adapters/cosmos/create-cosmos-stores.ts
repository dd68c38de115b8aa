import https from "node:https";
import { CosmosClient } from "@azure/cosmos";
import { z } from "zod";
import type { DraftStore } from "../../domain/files.js";
import type { RecordStore } from "../../ports/record-store.js";
import type { SchoolStore } from "../../ports/school-store.js";
import { childLogger } from "../../logger.js";
import { ensureContainers } from "./cosmos-containers.js";
import { guarded } from "./cosmos-errors.js";
import { backfillDue, backfillDueOf } from "./cosmos-outbox-due.js";
import { createCosmosDraftStore } from "./cosmos-draft-store.js";
import { createCosmosChatAddressStore } from "./cosmos-chat-address-store.js";
import type { ChatAddressStore } from "../../ports/chat-addresses.js";
import { createCosmosRecordStore } from "./cosmos-record-store.js";
import { createCosmosCaseEntryStore, REFERRAL_WATCH_DUE } from "./cosmos-case-entry-store.js";
import type { CaseEntryStore } from "../../ports/case-entry-store.js";
import { createCosmosEarlyWarningStore } from "./cosmos-early-warning-store.js";
import type { EarlyWarningStore } from "../../ports/early-warning-store.js";
import { createCosmosSchoolStore } from "./cosmos-school-store.js";
import { createCosmosSubjectAccessStore, SAR_WATCH_DUE } from "./cosmos-subject-access-store.js";
import type { SubjectAccessStore } from "../../ports/subject-access-store.js";
import type { RoleDirectoryStore } from "../../ports/role-directory-store.js";
import { createCosmosRoleDirectoryStore } from "./cosmos-role-directory-store.js";
import type { FileReferences } from "../../ports/file-references.js";
import { createCosmosFileReferences } from "./cosmos-file-references.js";

const log = childLogger("cosmos-store");

const optionsSchema = z.object({
  endpoint: z.url(),
  key: z.string().min(1),
  databaseId: z.string().min(1).max(255),
  /** A certificate to trust for this endpoint only (the local server's); never disables checks. */
  caPem: z.string().optional(),
  /** How long the SDK may spend retrying 429s before we report the store as busy. */
  maxRetryWaitSeconds: z.number().positive().optional(),
  maxRetryAttempts: z.number().int().min(0).optional(),
});
export type CosmosStoresOptions = z.input<typeof optionsSchema>;

export interface CosmosStores {
  schoolStore: SchoolStore;
  recordStore: RecordStore;
  /** Referrals, meetings, calls and disclosures on a pupil's chronology, and the referral watches. */
  caseEntries: CaseEntryStore;
  /** Forms' body maps and files until they are submitted. */
  draftStore: DraftStore;
  /** Where each member of staff's personal chat with the bot is (for alert cards). */
  chatAddresses: ChatAddressStore;
  /** Subject access requests and their packs (in `records`, beside the pupil's other records). */
  subjectAccessStore: SubjectAccessStore;
  /** Early-warning firings and their reviews (in `records`, in the pupil's partition). */
  earlyWarnings: EarlyWarningStore;
  /** Each school's roles as its Entra tenant last gave them, and the sync's lease. */
  roleDirectories: RoleDirectoryStore;
  /** Whether a stored record holds a file (the orphan clean-up's check). */
  fileReferences: FileReferences;
  /** True when the database answers (for health checks). */
  ping(): Promise<boolean>;
  dispose(): void;
}

/**
 * Builds the Cosmos DB adapters for SchoolStore and RecordStore, creating the database and
 * containers when missing. The SDK retries throttled (429) requests itself, honouring the
 * server's x-ms-retry-after-ms; what still fails after that surfaces as StoreUnavailableError.
 */
export async function createCosmosStores(input: CosmosStoresOptions): Promise<CosmosStores> {
  const opts = optionsSchema.parse(input);
  // The agent scopes trust in the local certificate to this client alone.
  const agent = opts.caPem ? new https.Agent({ ca: opts.caPem, keepAlive: true }) : undefined;
  const client = new CosmosClient({
    endpoint: opts.endpoint,
    key: opts.key,
    ...(agent ? { agent } : {}),
    connectionPolicy: {
      requestTimeout: 10_000,
      // The local server advertises its own address as the write region; discovery would make the
      // client bypass whatever endpoint it was given (a proxy, a forwarded port).
      enableEndpointDiscovery: !opts.caPem,
      retryOptions: {
        maxRetryAttemptCount: opts.maxRetryAttempts ?? 9,
        maxWaitTimeInSeconds: opts.maxRetryWaitSeconds ?? 30,
        fixedRetryIntervalInMilliseconds: 0, // 0 = use the server's retry-after
      },
    },
  });
  const { database, containers } = await guarded("ensureContainers", () => ensureContainers(client, opts.databaseId));
  await guarded("backfillDue", async () => {
    await backfillDue(containers.records, containers.outboxDue);
    // Watches opened before the jobs read the index (each kind once, with its own marker).
    await backfillDueOf(containers.records, containers.outboxDue, REFERRAL_WATCH_DUE);
    await backfillDueOf(containers.records, containers.outboxDue, SAR_WATCH_DUE);
  });
  log.info({ databaseId: opts.databaseId }, "cosmos stores ready");
  return {
    schoolStore: createCosmosSchoolStore(containers),
    recordStore: createCosmosRecordStore(containers),
    caseEntries: createCosmosCaseEntryStore(containers.records, containers.outboxDue),
    draftStore: createCosmosDraftStore(containers.drafts),
    chatAddresses: createCosmosChatAddressStore(containers.conversations),
    subjectAccessStore: createCosmosSubjectAccessStore(containers.records, containers.outboxDue),
    earlyWarnings: createCosmosEarlyWarningStore(containers.records, containers.outboxDue),
    roleDirectories: createCosmosRoleDirectoryStore(containers.directory),
    fileReferences: createCosmosFileReferences(containers.records),
    ping: async () => {
      try {
        await database.read();
        return true;
      } catch {
        return false;
      }
    },
    dispose: () => {
      client.dispose();
      agent?.destroy();
    },
  };
}
