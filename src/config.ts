/**
 * One zod-parsed configuration. Each part (Cosmos DB, Blob, Graph, identity, bot) is either given
 * in full, and then Keepsafe uses the Azure / Microsoft 365 service, or not at all, and then a local
 * part starts. Half a part stops start-up with the names of what is missing.
 */
import path from "node:path";
import { z } from "zod";
import type { RoleClaimSettings } from "./domain/policy/index.js";
import { roleClaimSettings, roleSourceEnvSchema } from "./role-source-config.js";

export const LOCAL_TENANT_ID = "5b0f6a3e-4c1d-4f7a-9d2e-6a1b2c3d4e5f";
export const LOCAL_CLIENT_ID = "7d3c2b1a-9e8f-4a6b-8c5d-1e2f3a4b5c6d";
export const LOCAL_TEAMS_APP_ID = "2f6a9c1e-3b4d-4e5f-8a7b-9c0d1e2f3a4b";

const PARTS = {
  cosmos: ["COSMOS_ENDPOINT", "COSMOS_KEY"],
  blob: ["BLOB_CONNECTION_STRING"],
  graph: ["GRAPH_BASE_URL", "GRAPH_ALERTS_MAILBOX"],
  identity: ["AUTH_AUTHORITY", "AAD_APP_CLIENT_ID", "TENANT_ID"],
  bot: ["BOT_ID", "BOT_PASSWORD"],
} as const;
export type PartName = keyof typeof PARTS;

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ConfigError";
  }
}

const optionalText = z
  .string()
  .trim()
  .optional()
  .transform((v) => (v ? v : undefined));

const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3978),
  HOST: optionalText,
  PUBLIC_URL: optionalText.pipe(z.url().optional()),
  KEEPSAFE_DATA_DIR: optionalText,
  COSMOS_ENDPOINT: optionalText.pipe(z.url().optional()),
  COSMOS_KEY: optionalText,
  COSMOS_DATABASE: z.string().trim().default("keepsafe"),
  BLOB_CONNECTION_STRING: optionalText,
  BLOB_CONTAINER: z.string().trim().default("evidence"),
  GRAPH_BASE_URL: optionalText.pipe(z.url().optional()),
  GRAPH_ALERTS_MAILBOX: optionalText,
  AUTH_AUTHORITY: optionalText.pipe(z.url().optional()),
  AAD_APP_CLIENT_ID: optionalText,
  AAD_APP_CLIENT_SECRET: optionalText,
  TENANT_ID: optionalText,
  API_AUDIENCE: optionalText,
  MFA_AUTH_CONTEXT: optionalText,
  BOT_ID: optionalText,
  BOT_PASSWORD: optionalText,
  BOT_TENANT_ID: optionalText,
  TEAMS_APP_ID: optionalText,
  OUTBOX_INTERVAL_MS: z.coerce.number().int().min(50).default(2000),
  OUTBOX_RETRY_BASE_MS: z.coerce.number().int().min(50).default(30_000),
  // How long a dispatcher's claim on an alert holds: a killed instance's alerts wait this long. It
  // must exceed Graph's 15 s request timeout, or a slow send could be claimed and sent by another.
  OUTBOX_LEASE_MS: z.coerce.number().int().min(20_000).default(60_000),
  // The most rows a list answers (My actions); lowered in tests to reach the cap without 500 records.
  KEEPSAFE_LIST_MAX: z.coerce.number().int().min(1).max(500).default(500),
  // Generous on purpose: a whole school may share one public address, and the test suite sends
  // hundreds of requests from 127.0.0.1 to one instance.
  RATE_LIMIT_USER_PER_MINUTE: z.coerce.number().int().min(1).default(600),
  RATE_LIMIT_IP_PER_MINUTE: z.coerce.number().int().min(1).default(6000),
  RATE_LIMIT_BOT_PER_MINUTE: z.coerce.number().int().min(1).default(600),
  // Roles from Entra app roles or groups instead of staff.csv (src/role-source-config.ts).
  KEEPSAFE_ROLE_SOURCE: roleSourceEnvSchema.shape.KEEPSAFE_ROLE_SOURCE,
  KEEPSAFE_APP_ROLE_MAP: roleSourceEnvSchema.shape.KEEPSAFE_APP_ROLE_MAP,
  KEEPSAFE_GROUP_ROLE_MAP: roleSourceEnvSchema.shape.KEEPSAFE_GROUP_ROLE_MAP,
  // Minutes between syncs of the role directory from Microsoft Graph (with KEEPSAFE_ROLE_SOURCE only).
  KEEPSAFE_ROLE_SYNC_MINUTES: z.coerce.number().int().min(1).max(1440).default(15),
  // Hours before an upload no stored record holds (a form never completed) is deleted (orphan-upload-job.ts).
  // Never less than a draft's 7-day life: a form still open (its draft names the file) keeps its uploads.
  KEEPSAFE_ORPHAN_UPLOAD_HOURS: z.coerce
    .number()
    .int()
    .min(7 * 24 + 1)
    .max(24 * 90)
    .default(8 * 24),
});

export interface KeepsafeConfig {
  port: number;
  host: string;
  publicUrl?: string;
  dataDir: string;
  /** Which parts run locally; the rest use the configured services. */
  local: Record<PartName, boolean>;
  production: boolean;
  cosmos: { endpoint?: string; key?: string; databaseId: string };
  blob: { connectionString?: string; container: string };
  graph: { baseUrl?: string; alertsMailbox: string };
  identity: { authority?: string; clientId: string; clientSecret?: string; tenantId: string; audience: string[]; mfaAuthContext?: string };
  bot: { appId?: string; appPassword?: string; tenantId: string };
  teamsAppId: string;
  outboxIntervalMs: number;
  /** First wait before an alert that Graph refused for now is tried again; it doubles each time. */
  outboxRetryBaseMs: number;
  outboxLeaseMs: number;
  /** The most rows a list answers; a list with more says so (`truncated`). */
  listMax: number;
  /** Requests per minute, counted in this instance's memory (not shared between instances). */
  rateLimits: RateLimitSettings;
  /** Whether the token's app roles or groups decide staff roles, and how they map (policy/role-claims.ts). */
  roleClaims: RoleClaimSettings;
  /** How often the role directory is synced from Microsoft Graph when roles come from Entra. */
  roleSyncIntervalMs: number;
  /** How old an upload no stored record holds must be before the clean-up deletes it. */
  orphanUploadMaxAgeMs: number;
}

export interface RateLimitSettings {
  /** Per signed-in member of staff on the tab API (/api/*, files included). */
  userPerMinute: number;
  /** Per client address on /api/* including /api/messages, counted before the body is read. */
  ipPerMinute: number;
  /** Per member of staff (the activity's from.aadObjectId) on /api/messages. */
  botPerMinute: number;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env, projectRoot = process.cwd()): KeepsafeConfig {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `${String(i.path[0])}: ${i.message}`);
    throw new ConfigError(`Keepsafe's settings are not valid:\n  ${lines.join("\n  ")}`);
  }
  const e = parsed.data;
  const local = {} as Record<PartName, boolean>;
  const problems: string[] = [];
  for (const [part, names] of Object.entries(PARTS) as [PartName, readonly string[]][]) {
    const given = names.filter((n) => (e as Record<string, unknown>)[n] !== undefined);
    if (given.length > 0 && given.length < names.length) {
      const missing = names.filter((n) => !given.includes(n));
      problems.push(
        `${part}: ${given.join(", ")} ${given.length > 1 ? "are" : "is"} set but ${missing.join(", ")} ${missing.length > 1 ? "are" : "is"} missing`,
      );
    }
    local[part] = given.length === 0;
  }
  if (!local.identity && !local.graph && !e.AAD_APP_CLIENT_SECRET) {
    problems.push("graph: AAD_APP_CLIENT_SECRET is needed to send alerts through Microsoft Graph");
  }
  const roles = roleClaimSettings(e);
  problems.push(...roles.problems);
  if (problems.length) throw new ConfigError(`Keepsafe's settings are incomplete:\n  ${problems.join("\n  ")}`);

  const production = Object.values(local).every((isLocal) => !isLocal);
  const clientId = e.AAD_APP_CLIENT_ID ?? LOCAL_CLIENT_ID;
  const host = e.HOST ?? (production ? "0.0.0.0" : "127.0.0.1");
  if (!production && !isLoopback(host)) {
    throw new ConfigError(`HOST=${host}: Keepsafe listens publicly only when every production setting is given; local parts stay on 127.0.0.1.`);
  }
  return {
    port: e.PORT,
    host,
    publicUrl: e.PUBLIC_URL,
    dataDir: path.resolve(projectRoot, e.KEEPSAFE_DATA_DIR ?? ".keepsafe"),
    local,
    production,
    cosmos: { endpoint: e.COSMOS_ENDPOINT, key: e.COSMOS_KEY, databaseId: e.COSMOS_DATABASE },
    blob: { connectionString: e.BLOB_CONNECTION_STRING, container: e.BLOB_CONTAINER },
    graph: { baseUrl: e.GRAPH_BASE_URL, alertsMailbox: e.GRAPH_ALERTS_MAILBOX ?? "keepsafe-alerts@school.example" },
    identity: {
      authority: e.AUTH_AUTHORITY?.replace(/\/+$/, ""),
      clientId,
      clientSecret: e.AAD_APP_CLIENT_SECRET,
      tenantId: e.TENANT_ID ?? LOCAL_TENANT_ID,
      audience: e.API_AUDIENCE ? e.API_AUDIENCE.split(",").map((s) => s.trim()) : [clientId],
      mfaAuthContext: e.MFA_AUTH_CONTEXT,
    },
    bot: { appId: e.BOT_ID, appPassword: e.BOT_PASSWORD, tenantId: e.BOT_TENANT_ID ?? e.TENANT_ID ?? LOCAL_TENANT_ID },
    teamsAppId: e.TEAMS_APP_ID ?? LOCAL_TEAMS_APP_ID,
    outboxIntervalMs: e.OUTBOX_INTERVAL_MS,
    outboxRetryBaseMs: e.OUTBOX_RETRY_BASE_MS,
    outboxLeaseMs: e.OUTBOX_LEASE_MS,
    listMax: e.KEEPSAFE_LIST_MAX,
    rateLimits: { userPerMinute: e.RATE_LIMIT_USER_PER_MINUTE, ipPerMinute: e.RATE_LIMIT_IP_PER_MINUTE, botPerMinute: e.RATE_LIMIT_BOT_PER_MINUTE },
    roleClaims: roles.settings,
    roleSyncIntervalMs: e.KEEPSAFE_ROLE_SYNC_MINUTES * 60_000,
    orphanUploadMaxAgeMs: e.KEEPSAFE_ORPHAN_UPLOAD_HOURS * 3_600_000,
  };
}

/**
 * A loopback HOST setting: "localhost" or exactly 127.0.0.1 or ::1. Stricter than the local Teams
 * host's isLoopback for peer addresses (any 127.x, IPv4-mapped), so the two are kept apart.
 */
export const isLoopback = (host: string) => host === "127.0.0.1" || host === "::1" || host === "localhost";
