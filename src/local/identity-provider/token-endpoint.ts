import { timingSafeEqual, createHash } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { childLogger } from "../../logger.js";
import { aadError, readBody, sendJson } from "./http-util.js";
import type { TokenSigner } from "./token-signer.js";

const log = childLogger("local-identity-token");

const APP_TOKEN_LIFETIME_SECONDS = 3599;
/** Scopes msal-node may add to any request; they do not name a resource. */
const OIDC_SCOPES = new Set(["openid", "profile", "offline_access", "email"]);

/** Compares secrets in constant time; hashing first makes the lengths equal. */
const secretsMatch = (a: string, b: string) => timingSafeEqual(createHash("sha256").update(a).digest(), createHash("sha256").update(b).digest());

/** client_secret_basic: the Authorization header carries url-encoded id:secret. */
function basicCredentials(req: IncomingMessage): { id?: string; secret?: string } {
  const header = req.headers.authorization;
  if (!header?.startsWith("Basic ")) return {};
  const decoded = Buffer.from(header.slice(6), "base64").toString("utf8");
  const i = decoded.indexOf(":");
  if (i < 0) return {};
  return { id: decodeURIComponent(decoded.slice(0, i)), secret: decodeURIComponent(decoded.slice(i + 1)) };
}

/**
 * POST {authority}/oauth2/v2.0/token, client credentials only: the app-only token Keepsafe's jobs use
 * to call the local Graph sandbox. Other grants are answered the way Entra answers an unsupported grant.
 */
export function createTokenEndpoint(opts: { signer: TokenSigner; clientId: string; clientSecret: string; appRoles: string[] }) {
  return async (req: IncomingMessage, res: ServerResponse, cors: Record<string, string>) => {
    const form = new URLSearchParams(await readBody(req));
    const basic = basicCredentials(req);
    const clientId = form.get("client_id") ?? basic.id;
    const clientSecret = form.get("client_secret") ?? basic.secret;
    const grantType = form.get("grant_type");

    const fail = (status: number, error: string, code: number, description: string) => {
      log.info({ event: "token_refused", error, aadsts: code }, "token request refused");
      sendJson(res, status, aadError(error, code, description), cors);
    };

    if (grantType !== "client_credentials") {
      return fail(400, "unsupported_grant_type", 70003, "The app requested an unsupported grant type.");
    }
    if (!clientId || clientId !== opts.clientId) {
      return fail(400, "unauthorized_client", 700016, `Application with identifier '${clientId ?? ""}' was not found in the directory.`);
    }
    if (!clientSecret || !secretsMatch(clientSecret, opts.clientSecret)) {
      return fail(
        401,
        "invalid_client",
        7000215,
        `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${opts.clientId}'.`,
      );
    }

    const resourceScopes = (form.get("scope") ?? "").split(/\s+/).filter((s) => s && !OIDC_SCOPES.has(s));
    if (resourceScopes.length !== 1 || !resourceScopes[0].endsWith("/.default")) {
      return fail(
        400,
        "invalid_scope",
        1002012,
        "The provided value for scope is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).",
      );
    }
    const audience = resourceScopes[0].slice(0, -"/.default".length);

    const accessToken = await opts.signer.signAppToken({
      audience,
      roles: opts.appRoles,
      expiresInSeconds: APP_TOKEN_LIFETIME_SECONDS,
    });
    log.info({ event: "app_token_issued", audience }, "issued app-only token");
    sendJson(
      res,
      200,
      {
        token_type: "Bearer",
        expires_in: APP_TOKEN_LIFETIME_SECONDS,
        ext_expires_in: APP_TOKEN_LIFETIME_SECONDS,
        access_token: accessToken,
      },
      cors,
    );
  };
}
