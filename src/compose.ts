/**
 * The composition root: builds every adapter from one parsed configuration, starting the local
 * part for each service that has no settings, and wires the HTTP server. Nothing else constructs
 * adapters, so swapping a local part for Azure / Microsoft 365 is configuration alone.
 */
import { renderChronologyPdf } from "./adapters/pdf/chronology-pdf.js";
import fs from "node:fs";
import type { ChatAddressStore } from "./ports/chat-addresses.js";
import { loadConfig, type KeepsafeConfig } from "./config.js";
import { systemClock, type Clock } from "./ports/clock.js";
import type { Notifier } from "./ports/notifier.js";
import { KeepsafeService, type KeepsafeServiceDeps } from "./app/keepsafe-service.js";
import { withSchoolCaches } from "./app/school-store-caches.js";
import { AlertDispatcher } from "./app/alert-dispatcher.js";
import { taskAlertStillWanted } from "./app/action-tasks.js";
import { ReferralOverdueJob } from "./app/referral-overdue-job.js";
import { rebuildCaseFacts } from "./app/rebuild-case-facts.js";
import { SubjectAccessDeadlineJob } from "./app/subject-access-deadline-job.js";
import { EarlyWarningCheckJob, evaluateAndClear } from "./app/early-warning-check-job.js";
import { earlyWarningCheckFor } from "./domain/early-warning-check.js";
import type { EarlyWarningStore } from "./ports/early-warning-store.js";
import type { CaseEntryStore } from "./ports/case-entry-store.js";
import type { SubjectAccessStore } from "./ports/subject-access-store.js";
import { createHttpServer, type HttpServerHandle, type MessagesEndpoint } from "./http-server.js";
import { startOrJoinLocalParts } from "./local/local-parts.js";
import type { LocalIdentityProvider } from "./local/identity-provider/index.js";
import type { GraphSandbox } from "./local/graph-sandbox/index.js";
import { SchoolAdministration } from "./app/school-administration.js";
import { connectOrStartLocalCosmos } from "./local/cosmos/local-cosmos.js";
import { createCosmosStores } from "./adapters/cosmos/index.js";
import type { RecordStore } from "./ports/record-store.js";
import { createEntraTokenValidator, createGraphTokenProvider } from "./adapters/identity/index.js";
import { GraphNotifier } from "./adapters/graph/graph-notifier.js";
import { createBlobFileStore } from "./adapters/blob/blob-file-store.js";
import { DEMO_STAFF, ensureDemoSchool } from "./local/demo-school.js";
import { registerTeamsHost, createLocalConnector, type LocalConnector } from "./local/teams-host/index.js";
import type { FileStore } from "./ports/file-store.js";
import type { DraftStore } from "./domain/files.js";
import { childLogger } from "./logger.js";
import { phaseTimer } from "./startup-timer.js";
import { claimsDecideRoles } from "./domain/policy/index.js";
import { RoleDirectories } from "./app/role-directories.js";
import { withDirectoryRoles } from "./app/directory-role-staff.js";
import { RoleDirectorySync } from "./app/role-directory-sync.js";
import { GraphDirectoryReader } from "./adapters/graph/graph-directory-reader.js";
import { OrphanUploadJob } from "./app/orphan-upload-job.js";

const log = childLogger("compose");

export interface KeepsafeHandle {
  url: string;
  config: KeepsafeConfig;
  service: KeepsafeService;
  dispatcher: AlertDispatcher;
  /** Chases referrals with no outcome (tests run it with an injected clock). */
  referralJob: ReferralOverdueJob;
  /** Chases subject access deadlines until a pack is released (tests run it with an injected clock). */
  subjectAccessJob: SubjectAccessDeadlineJob;
  /** Evaluates early warning for concerns whose in-process evaluation never finished (tests run it with an injected clock). */
  earlyWarningChecks: EarlyWarningCheckJob;
  /** Deletes uploads no stored record holds once past their age (tests run it with an injected clock). */
  orphanUploads: OrphanUploadJob;
  /** Syncs each school's role directory from Microsoft Graph; present only when roles come from Entra. */
  roleSync?: RoleDirectorySync;
  subjectAccess: SubjectAccessStore;
  caseEntries: CaseEntryStore;
  earlyWarnings: EarlyWarningStore;
  files: FileStore;
  /** The record store, for tests that check what was (and was not) written. */
  records: RecordStore;
  /** The HTTP server (the contract test reads its routes). */
  http: HttpServerHandle;
  /** Local parts, present only in local mode; tests use them to sign in and to read the Graph sandbox. */
  local: {
    identity?: LocalIdentityProvider;
    graph?: GraphSandbox;
    /** The stand-in Bot Framework connector the local Teams host gives the bot as its serviceUrl. */
    connector?: LocalConnector;
  };
  /** Milliseconds per start-up phase (each local part, the stores, the demo school, the HTTP server). */
  startupMs: Record<string, number>;
  stop(): Promise<void>;
}

export interface ComposeOptions {
  /** The bot's /api/messages handler; built by bot/ so that src/ never imports botbuilder. */
  messagesEndpoint: (service: KeepsafeService, extras: { publicUrl: () => string; chatAddresses?: ChatAddressStore }) => MessagesEndpoint;
  tabDistDir: string;
  clock?: Clock;
  seedDemoSchool?: boolean;
  /**
   * false: concerns are stored but not evaluated for early warning in this process, as if it
   * crashed right after the store; their checks wait for the check job. Never set by `npm start`.
   */
  inProcessEarlyWarning?: boolean;
  /**
   * Puts something between Keepsafe and the local Cosmos DB server (the fault soak's proxy); it
   * must answer with the same certificate. Never set by `npm start`.
   */
  interposeCosmos?: (local: { endpoint: string; caPem: string }) => Promise<{ endpoint: string; stop(): Promise<void> }>;
}

export async function startKeepsafe(config: KeepsafeConfig, opts: ComposeOptions): Promise<KeepsafeHandle> {
  const stops: (() => Promise<void>)[] = [];
  const stopAll = async () => {
    for (const stop of stops.reverse()) await stop().catch((err) => log.warn({ err: String(err) }, "stop failed"));
  };
  // Where start-up time goes, logged by `npm start` as one line.
  const { ms: startupMs, timed } = phaseTimer();
  try {
    fs.mkdirSync(config.dataDir, { recursive: true });
    const clock = opts.clock ?? systemClock;

    // The local parts, started in parallel, or joined when another instance on this data dir runs them.
    const parts = await timed("localParts", () => startOrJoinLocalParts(config));
    stops.push(() => parts.stop());
    let cosmos = parts.cosmos ?? { endpoint: config.cosmos.endpoint!, key: config.cosmos.key!, caPem: undefined };
    if (opts.interposeCosmos && parts.cosmos) {
      const between = await opts.interposeCosmos(parts.cosmos);
      stops.push(() => between.stop());
      cosmos = { ...parts.cosmos, endpoint: between.endpoint };
    }
    const stores = await timed("stores", () => createCosmosStores({ ...cosmos, databaseId: config.cosmos.databaseId }));
    stops.push(async () => stores.dispose());

    // Identity
    const identity = parts.identity ?? { authority: config.identity.authority!, caPem: undefined, clientSecret: config.identity.clientSecret };
    const tokens = createEntraTokenValidator({
      authority: identity.authority,
      audience: config.identity.audience,
      tenantId: config.identity.tenantId,
      caPem: identity.caPem,
      mfaAuthContext: config.identity.mfaAuthContext,
    });

    // Microsoft Graph
    const graphBaseUrl = parts.graph?.baseUrl ?? config.graph.baseUrl!;
    const graphToken = createGraphTokenProvider({
      authority: identity.authority,
      clientId: config.identity.clientId,
      clientSecret: identity.clientSecret ?? "",
      caPem: identity.caPem,
    });
    const notifier: Notifier = new GraphNotifier({ baseUrl: graphBaseUrl, getToken: graphToken });

    // With roles from Entra, every staff list carries the role directory's roles (directory-role-staff.ts).
    const roleDirectories = new RoleDirectories(stores.roleDirectories);
    // The school once per request, the staff per roster version (school-store-caches.ts), under the directory's roles.
    const schools = withDirectoryRoles(withSchoolCaches(stores.schoolStore), roleDirectories, config.roleClaims);

    // Blob storage for files
    const blobConnection = parts.blob?.connectionString ?? config.blob.connectionString;
    const files = createBlobFileStore({ connectionString: blobConnection!, containerName: config.blob.container });

    const dispatcher = new AlertDispatcher({
      records: stores.recordStore,
      schools,
      notifier,
      clock,
      teamsAppId: config.teamsAppId,
      alertsMailbox: config.graph.alertsMailbox,
      baseBackoffMs: config.outboxRetryBaseMs,
      leaseMs: config.outboxLeaseMs,
      // An overdue alert for a task done meanwhile is cancelled, not sent (action-tasks.ts).
      stillWanted: taskAlertStillWanted(stores.recordStore),
    });
    // Body maps and files wait in Cosmos DB, keyed by the form's id, until the form is submitted;
    // recording the incident takes them from there (record-incident.ts).
    const drafts: DraftStore = stores.draftStore;
    const earlyWarningDeps = { schools, records: stores.recordStore, earlyWarnings: stores.earlyWarnings, clock };
    const serviceDeps: KeepsafeServiceDeps = {
      schools,
      records: stores.recordStore,
      caseEntries: stores.caseEntries,
      earlyWarnings: stores.earlyWarnings,
      drafts,
      files,
      clock,
      onRecorded: (incident) => {
        dispatcher.kick();
        // After the concern is stored, and after its answer has gone (setImmediate runs once this
        // turn's work is done), so its reads never delay the person recording it; a failure or a
        // crash leaves the concern's check for the check job (early-warning-check-job.ts).
        if (opts.inProcessEarlyWarning === false) return;
        setImmediate(() =>
          evaluateAndClear(earlyWarningDeps, earlyWarningCheckFor(incident))
            .then((fired) => fired.length && dispatcher.kick())
            .catch((e: unknown) =>
              log.warn(
                { event: "early-warning.failed", pupilId: incident.pupilId, err: e instanceof Error ? e.name : "unknown" },
                "early warning not evaluated; its check job will",
              ),
            ),
        );
      },
      onActionAdded: () => dispatcher.kick(),
      onChanged: () => dispatcher.kick(),
      renderChronology: renderChronologyPdf,
      subjectAccess: stores.subjectAccessStore,
      roleClaims: config.roleClaims,
      roleDirectories,
      listMax: config.listMax,
    };
    const service = new KeepsafeService(serviceDeps);
    if (config.local.cosmos && !parts.joined && opts.seedDemoSchool !== false) {
      await timed("demoSchool", () => ensureDemoSchool(stores.schoolStore));
    }

    const localIdentity = parts.identity;
    const connector = localIdentity ? createLocalConnector({ staff: [...DEMO_STAFF], tenantId: config.identity.tenantId }) : undefined;
    let publicUrl = config.publicUrl ?? "";
    const messages = opts.messagesEndpoint(service, { publicUrl: () => publicUrl, chatAddresses: stores.chatAddresses });
    dispatcher.useAlertCards(messages.alertCards);
    const http: HttpServerHandle = await timed("http", () =>
      createHttpServer({
        config,
        service,
        tokens,
        mfaPassed: (claims) => tokens.hasPassedMfa(claims),
        mfaChallenge: () => tokens.mfaChallengeHeader(),
        storeHealthy: stores.ping,
        messages,
        tabDistDir: opts.tabDistDir,
        // The local Teams host signs people in through the local identity provider, so it exists only with it.
        localRoutes: localIdentity
          ? (server) =>
              registerTeamsHost(server, {
                staff: [...DEMO_STAFF],
                tenantId: config.identity.tenantId,
                identityAuthority: localIdentity!.authority,
                identityCa: localIdentity!.caPem,
                graphSandboxUrl: parts.graph?.pageUrl,
                connector,
              })
          : undefined,
      }),
    );
    stops.push(() => http.close());
    publicUrl = http.url;

    dispatcher.start(config.outboxIntervalMs);
    // In the background: a record stored before the home's current-state documents existed gets one.
    void rebuildCaseFacts({ schools: stores.schoolStore, records: stores.recordStore });
    stops.push(() => dispatcher.stop());
    const referralJob = new ReferralOverdueJob({
      caseEntries: stores.caseEntries,
      schools,
      clock,
      onAlerted: () => dispatcher.kick(),
    });
    referralJob.start();
    stops.push(() => referralJob.stop());
    const subjectAccessJob = new SubjectAccessDeadlineJob({
      subjectAccess: stores.subjectAccessStore,
      schools,
      clock,
      onAlerted: () => dispatcher.kick(),
    });
    subjectAccessJob.start();
    stops.push(() => subjectAccessJob.stop());
    const earlyWarningChecks = new EarlyWarningCheckJob({
      ...earlyWarningDeps,
      leases: stores.roleDirectories,
      onAlerted: () => dispatcher.kick(),
    });
    earlyWarningChecks.start();
    stops.push(() => earlyWarningChecks.stop());
    const orphanUploads = new OrphanUploadJob({
      files,
      references: stores.fileReferences,
      records: stores.recordStore,
      leases: stores.roleDirectories,
      clock,
      maxAgeMs: config.orphanUploadMaxAgeMs,
    });
    orphanUploads.start();
    stops.push(() => orphanUploads.stop());
    const roleSync = claimsDecideRoles(config.roleClaims)
      ? new RoleDirectorySync({
          settings: config.roleClaims,
          reader: new GraphDirectoryReader({ baseUrl: graphBaseUrl, clientId: config.identity.clientId, getToken: graphToken }),
          schools: stores.schoolStore,
          directories: roleDirectories,
          leases: stores.roleDirectories,
          clock,
        })
      : undefined;
    if (roleSync) {
      roleSync.start(config.roleSyncIntervalMs);
      stops.push(() => roleSync.stop());
    }

    return {
      url: http.url,
      config,
      service,
      dispatcher,
      referralJob,
      subjectAccessJob,
      earlyWarningChecks,
      orphanUploads,
      ...(roleSync ? { roleSync } : {}),
      subjectAccess: stores.subjectAccessStore,
      caseEntries: stores.caseEntries,
      earlyWarnings: stores.earlyWarnings,
      files,
      records: stores.recordStore,
      http,
      local: { identity: parts.owned.identity, graph: parts.owned.graph, connector },
      startupMs: { ...parts.startupMs, ...startupMs },
      stop: stopAll,
    };
  } catch (err) {
    await stopAll();
    throw err;
  }
}

export interface OpenedSchoolAdministration {
  admin: SchoolAdministration;
  /** Where the data went, for the summary: "Azure Cosmos DB" or the local data dir. */
  description: string;
  close(): Promise<void>;
}

/**
 * The keepsafe CLI's use cases over the school store: Azure Cosmos DB when COSMOS_ENDPOINT/COSMOS_KEY
 * are set, and otherwise the local Cosmos server of the data dir, joining a running Keepsafe's
 * server if there is one (so an import while Keepsafe runs lands in what it serves) or starting
 * one for the run.
 */
export async function openSchoolAdministration(env: NodeJS.ProcessEnv, projectRoot: string): Promise<OpenedSchoolAdministration> {
  const config = loadConfig(env, projectRoot);
  const databaseId = config.cosmos.databaseId;
  if (config.cosmos.endpoint && config.cosmos.key) {
    const stores = await createCosmosStores({ endpoint: config.cosmos.endpoint, key: config.cosmos.key, databaseId });
    return {
      admin: new SchoolAdministration({ schools: stores.schoolStore, records: stores.recordStore }),
      description: "Azure Cosmos DB",
      close: async () => stores.dispose(),
    };
  }
  const local = await connectOrStartLocalCosmos(config.dataDir);
  try {
    const stores = await createCosmosStores({ endpoint: local.endpoint, key: local.key, databaseId, caPem: local.caPem });
    return {
      admin: new SchoolAdministration({ schools: stores.schoolStore, records: stores.recordStore }),
      description: `local data in ${config.dataDir}${local.owned ? "" : " (through the running Keepsafe)"}`,
      close: async () => {
        stores.dispose();
        await local.stop();
      },
    };
  } catch (e) {
    await local.stop();
    throw e;
  }
}
