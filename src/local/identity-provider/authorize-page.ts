import type { IncomingMessage, ServerResponse } from "node:http";
import { childLogger } from "../../logger.js";
import { escapeHtml, isLoopbackOrigin, readBody, sendHtml } from "./http-util.js";
import type { TokenSigner } from "./token-signer.js";

const log = childLogger("local-identity-authorize");

export interface KnownUser {
  oid: string;
  name: string;
  preferredUsername: string;
}

const USER_TOKEN_LIFETIME_SECONDS = 3600;

/**
 * The acrs values a claims request asks for, e.g. {"access_token":{"acrs":{"essential":true,"value":"c1"}}}.
 * Throws on malformed JSON so the page can say so.
 */
export function requestedAuthContexts(claims: string | null): string[] {
  if (!claims) return [];
  const parsed = JSON.parse(claims) as { access_token?: { acrs?: { value?: unknown; values?: unknown } } };
  const acrs = parsed?.access_token?.acrs;
  const values = [acrs?.value, ...(Array.isArray(acrs?.values) ? acrs.values : [])];
  return values.filter((v): v is string => typeof v === "string" && /^c\d{1,2}$/.test(v));
}

const page = (title: string, body: string) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<style>body{font-family:Segoe UI,system-ui,sans-serif;max-width:28rem;margin:3rem auto;padding:0 1rem}
button{font-size:1rem;padding:.5rem 1.25rem;margin-right:.5rem}</style></head>
<body><h1>${escapeHtml(title)}</h1>${body}</body></html>`;

const PARAMS = ["client_id", "redirect_uri", "response_type", "scope", "state", "claims", "login_hint"] as const;

/**
 * {authority}/oauth2/v2.0/authorize: the MFA step-up popup. GET shows "Approve sign-in with your
 * authenticator"; the Approve button posts back here, and we redirect to redirect_uri with
 * #access_token=... carrying amr ["pwd","mfa"] (and any acrs the claims request asked for).
 * The user is the one named by login_hint, who must have had a token from this provider already
 * (Teams SSO comes first in every real flow).
 */
export function createAuthorizeEndpoint(opts: { signer: TokenSigner; clientId: string; users: Map<string, KnownUser> }) {
  return async (req: IncomingMessage, res: ServerResponse, url: URL) => {
    const params = req.method === "POST" ? new URLSearchParams(await readBody(req)) : url.searchParams;
    const get = (k: (typeof PARAMS)[number]) => params.get(k);

    const redirectUri = get("redirect_uri");
    let redirect: URL | undefined;
    try {
      redirect = redirectUri ? new URL(redirectUri) : undefined;
    } catch {
      redirect = undefined;
    }
    // Only loopback redirects: this page must never hand a token to another site.
    if (!redirect || !isLoopbackOrigin(redirect.origin)) {
      return sendHtml(res, 400, page("Sign-in failed", "<p>The redirect address is missing or not a local address.</p>"));
    }
    if (get("client_id") !== opts.clientId) {
      return sendHtml(res, 400, page("Sign-in failed", "<p>This application is not registered here.</p>"));
    }
    let acrs: string[];
    try {
      acrs = requestedAuthContexts(get("claims"));
    } catch {
      return sendHtml(res, 400, page("Sign-in failed", "<p>The claims request is not valid JSON.</p>"));
    }
    const user = opts.users.get((get("login_hint") ?? "").toLowerCase());
    if (!user) {
      return sendHtml(res, 400, page("Sign-in failed", "<p>Unknown account. Open Keepsafe in the local Teams host first.</p>"));
    }

    if (req.method === "GET") {
      const hidden = PARAMS.map((k) => {
        const v = get(k);
        return v === null ? "" : `<input type="hidden" name="${k}" value="${escapeHtml(v)}">`;
      }).join("");
      return sendHtml(
        res,
        200,
        page(
          "Approve sign-in with your authenticator",
          `<p>Keepsafe needs a second sign-in factor for <strong>${escapeHtml(user.preferredUsername)}</strong>.</p>
<form method="post">${hidden}
<button type="submit" name="decision" value="approve">Approve</button>
<button type="submit" name="decision" value="deny">Deny</button></form>`,
        ),
      );
    }

    const fragment = new URLSearchParams();
    if (params.get("decision") === "approve") {
      const token = await opts.signer.signUserToken({
        ...user,
        mfa: true,
        acrs,
        expiresInSeconds: USER_TOKEN_LIFETIME_SECONDS,
      });
      fragment.set("access_token", token);
      fragment.set("token_type", "Bearer");
      fragment.set("expires_in", String(USER_TOKEN_LIFETIME_SECONDS));
      fragment.set("scope", get("scope") ?? "access_as_user");
      log.info({ event: "mfa_approved", acrs }, "step-up approved");
    } else {
      fragment.set("error", "access_denied");
      fragment.set("error_description", "AADSTS500121: Authentication failed during strong authentication request.");
      log.info({ event: "mfa_denied" }, "step-up denied");
    }
    const state = get("state");
    if (state !== null) fragment.set("state", state);
    redirect.hash = fragment.toString();
    res.writeHead(302, { location: redirect.toString(), "cache-control": "no-store" });
    res.end();
  };
}
