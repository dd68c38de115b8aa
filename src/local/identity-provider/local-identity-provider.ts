import { createServer, type Server } from "node:https";
import type { AddressInfo } from "node:net";
import type { IncomingMessage, ServerResponse } from "node:http";
import { z } from "zod";
import { childLogger } from "../../logger.js";
import { createAuthorizeEndpoint, type KnownUser } from "./authorize-page.js";
import { discoveryDocument, jwksDocument } from "./discovery.js";
import { aadError, BodyTooLargeError, corsHeaders, readBody, sendJson } from "./http-util.js";
import { loadOrCreateIdentityMaterial } from "./key-material.js";
import { createTokenEndpoint } from "./token-endpoint.js";
import { createTokenSigner, type UserTokenRequest } from "./token-signer.js";
import { directoryAssignmentSchema, LocalDirectory, type DirectoryAssignment } from "./directory.js";

const log = childLogger("local-identity-provider");

const pathSegment = z
  .string()
  .min(1)
  .regex(/^[A-Za-z0-9._-]+$/, "must be a single path segment");

const optionsSchema = z.object({
  dataDir: z.string().min(1),
  tenantId: pathSegment,
  clientId: z.string().min(1),
  port: z.number().int().min(0).max(65535).optional(),
  /** The app's client secret for the token endpoint; a generated one is kept in the data dir when absent. */
  clientSecret: z.string().min(8).optional(),
  /** Application permissions granted to the app, put in the `roles` claim of app-only tokens. */
  appRoles: z.array(z.string()).default(["TeamsActivity.Send", "Mail.Send", "User.Read.All", "Application.Read.All", "GroupMember.Read.All"]),
  /**
   * Authentication contexts (acrs) a user satisfies by completing MFA: the local stand-in for a
   * Conditional Access policy "context c1 requires MFA".
   */
  mfaAuthContexts: z.array(z.string().regex(/^c\d{1,2}$/)).default(["c1"]),
  /** App roles and groups per user (the demo school's), carried in their tokens' `roles` and `groups`. */
  directory: z.array(directoryAssignmentSchema).default([]),
});

export type LocalIdentityProviderOptions = z.input<typeof optionsSchema>;

export type IssueAccessTokenClaims = Pick<
  UserTokenRequest,
  "oid" | "name" | "preferredUsername" | "mfa" | "audience" | "scp" | "expiresInSeconds" | "acrs"
>;

export interface LocalIdentityProvider {
  /** https://127.0.0.1:PORT/{tenantId}: give this to msal-node and the token validator. */
  authority: string;
  /** https://127.0.0.1:PORT/{tenantId}/v2.0, the `iss` of every token. */
  issuer: string;
  /** The local CA that signed the HTTPS certificate. Trust it per client, never process-wide. */
  caPem: string;
  clientId: string;
  clientSecret: string;
  tenantId: string;
  port: number;
  /** A delegated (user) access token, as Teams SSO or the MFA popup would produce. */
  issueAccessToken(claims: IssueAccessTokenClaims): Promise<string>;
  /** Changes a user's app roles and groups, as an Entra admin would; tokens issued after carry them. */
  assignDirectory(assignment: DirectoryAssignment): void;
  stop(): Promise<void>;
}

const ssoRequestSchema = z.object({
  oid: z.string().min(1).max(64),
  name: z.string().max(256),
  preferredUsername: z.string().min(1).max(256),
  mfa: z.boolean(),
});

/**
 * Starts an OpenID provider over HTTPS on 127.0.0.1 with the same endpoints and token shapes as
 * Entra ID v2, so local mode exercises the production token validation and msal-node unchanged.
 * Tokens carry the port in `iss`; reuse the same port to keep old tokens valid across restarts.
 */
export async function startLocalIdentityProvider(options: LocalIdentityProviderOptions, shared?: LocalDirectory): Promise<LocalIdentityProvider> {
  const opts = optionsSchema.parse(options);
  const material = await loadOrCreateIdentityMaterial(opts.dataDir, opts.clientSecret);
  const users = new Map<string, KnownUser>();
  const remember = ({ oid, name, preferredUsername }: KnownUser) => users.set(preferredUsername.toLowerCase(), { oid, name, preferredUsername });

  // Shared with the Graph sandbox in local mode, so Graph's directory reads and the tokens agree.
  const directory = shared ?? new LocalDirectory(opts.directory);

  let authority = "";
  let issuer = "";
  const signer = createTokenSigner({
    material,
    issuer: () => issuer,
    tenantId: opts.tenantId,
    clientId: opts.clientId,
    mfaAuthContexts: opts.mfaAuthContexts,
    directory,
  });
  const tokenEndpoint = createTokenEndpoint({
    signer,
    clientId: opts.clientId,
    clientSecret: material.clientSecret,
    appRoles: opts.appRoles,
  });
  const authorizeEndpoint = createAuthorizeEndpoint({ signer, clientId: opts.clientId, users });

  async function ssoToken(req: IncomingMessage, res: ServerResponse, cors: Record<string, string>) {
    let body: unknown;
    try {
      body = JSON.parse(await readBody(req));
    } catch (e) {
      if (e instanceof BodyTooLargeError) throw e;
      body = undefined;
    }
    const parsed = ssoRequestSchema.safeParse(body);
    if (!parsed.success) {
      return sendJson(res, 400, aadError("invalid_request", 900144, "The request body must contain oid, name, preferredUsername and mfa."), cors);
    }
    remember(parsed.data);
    const expiresIn = 3600;
    const accessToken = await signer.signUserToken({ ...parsed.data, expiresInSeconds: expiresIn });
    log.info({ event: "sso_token_issued", mfa: parsed.data.mfa }, "issued local Teams SSO token");
    sendJson(res, 200, { access_token: accessToken, token_type: "Bearer", expires_in: expiresIn }, cors);
  }

  async function route(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? "/", authority);
    const cors = corsHeaders(req);
    if (req.method === "OPTIONS") {
      res.writeHead(204, cors);
      return res.end();
    }
    const prefix = `/${opts.tenantId}`;
    if (!url.pathname.startsWith(`${prefix}/`)) {
      return sendJson(res, 400, aadError("invalid_tenant", 90002, "Tenant not found."), cors);
    }
    const path = url.pathname.slice(prefix.length);
    const key = `${req.method} ${path}`;
    switch (key) {
      case "GET /v2.0/.well-known/openid-configuration":
        return sendJson(res, 200, discoveryDocument(authority, issuer), cors);
      case "GET /discovery/v2.0/keys":
        return sendJson(res, 200, jwksDocument(material, issuer), cors);
      case "POST /oauth2/v2.0/token":
        return tokenEndpoint(req, res, cors);
      case "POST /local/sso-token":
        return ssoToken(req, res, cors);
      case "GET /oauth2/v2.0/authorize":
      case "POST /oauth2/v2.0/authorize":
        return authorizeEndpoint(req, res, url);
      default:
        return sendJson(res, 404, { error: "not_found" }, cors);
    }
  }

  const server: Server = createServer({ key: material.serverKeyPem, cert: material.serverCertPem }, (req, res) => {
    route(req, res).catch((e: unknown) => {
      const tooLarge = e instanceof BodyTooLargeError;
      log.warn({ event: "request_failed", tooLarge, errorName: (e as Error)?.name }, "identity request failed");
      if (!res.headersSent) sendJson(res, tooLarge ? 413 : 500, { error: tooLarge ? "payload_too_large" : "server_error" });
      else res.destroy();
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port ?? 0, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  authority = `https://127.0.0.1:${port}/${opts.tenantId}`;
  issuer = `${authority}/v2.0`;
  log.info({ event: "started", port }, "local identity provider listening");

  return {
    authority,
    issuer,
    caPem: material.caCertPem,
    clientId: opts.clientId,
    clientSecret: material.clientSecret,
    tenantId: opts.tenantId,
    port,
    async issueAccessToken(claims) {
      remember(claims);
      return signer.signUserToken(claims);
    },
    assignDirectory: (assignment) => directory.assign(assignment),
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.close((e) => (e ? reject(e) : resolve()));
        // Keep-alive sockets (msal-node, browsers) would otherwise hold close() open.
        server.closeAllConnections();
        log.info({ event: "stopped", port }, "local identity provider stopped");
      }),
  };
}
