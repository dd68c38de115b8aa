import { createHash, createPrivateKey, randomBytes, type KeyObject } from "node:crypto";
import { SignJWT, type JWTPayload } from "jose";
import type { IdentityMaterial } from "./key-material.js";
import type { LocalDirectory } from "./directory.js";

/** The Teams desktop/web client id that Entra puts in `azp` of tokens from authentication.getAuthToken. */
export const TEAMS_CLIENT_ID = "5e3ce6c0-2b1f-4285-8d4b-75ee78787346";

export interface UserTokenRequest {
  oid: string;
  name: string;
  preferredUsername: string;
  mfa: boolean;
  /** Defaults to the app's client id, as in a Teams SSO token. */
  audience?: string;
  /** Defaults to "access_as_user". */
  scp?: string;
  expiresInSeconds?: number;
  /** Authentication contexts satisfied (the `acrs` claim). Defaults to the provider's contexts when mfa is true. */
  acrs?: string[];
  /** Defaults to the Teams client id. */
  azp?: string;
}

export interface AppTokenRequest {
  audience: string;
  roles: string[];
  expiresInSeconds?: number;
}

export interface TokenSigner {
  signUserToken(request: UserTokenRequest): Promise<string>;
  signAppToken(request: AppTokenRequest): Promise<string>;
  /** Signs any claims with the provider's key: for tests that need a token the endpoints would never issue. */
  signRaw(payload: JWTPayload): Promise<string>;
}

const DEFAULT_LIFETIME_SECONDS = 3600;

/** Entra's `uti` is an opaque per-token id: 22 base64url characters. */
const newUti = () => randomBytes(16).toString("base64url").slice(0, 22);

/** v2 `sub` is pairwise: stable per user and app, different across apps. */
const pairwiseSub = (oid: string, clientId: string) => createHash("sha256").update(`${oid}:${clientId}`).digest("base64url").slice(0, 43);

/** A stable, GUID-shaped object id for the app's service principal, derived from the client id. */
export function servicePrincipalOid(clientId: string): string {
  const h = createHash("sha256").update(`sp:${clientId}`).digest("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

export function createTokenSigner(opts: {
  material: IdentityMaterial;
  issuer: () => string;
  tenantId: string;
  clientId: string;
  mfaAuthContexts: string[];
  /** App roles and groups put in each user's tokens; none without it. */
  directory?: LocalDirectory;
}): TokenSigner {
  const key: KeyObject = createPrivateKey(opts.material.signingKeyPem);
  const header = { alg: "RS256", typ: "JWT", kid: opts.material.kid, x5t: opts.material.x5t };

  const sign = (payload: JWTPayload) => new SignJWT(payload).setProtectedHeader(header).sign(key);

  const times = (expiresInSeconds = DEFAULT_LIFETIME_SECONDS) => {
    const now = Math.floor(Date.now() / 1000);
    return { iat: now, nbf: now, exp: now + expiresInSeconds };
  };

  return {
    signRaw: sign,

    signUserToken(r) {
      const amr = r.mfa ? ["pwd", "mfa"] : ["pwd"];
      const acrs = r.acrs ?? (r.mfa ? opts.mfaAuthContexts : []);
      return sign({
        aud: r.audience ?? opts.clientId,
        iss: opts.issuer(),
        ...times(r.expiresInSeconds),
        ...(acrs.length > 0 ? { acrs } : {}),
        amr,
        azp: r.azp ?? TEAMS_CLIENT_ID,
        azpacr: "0",
        name: r.name,
        oid: r.oid,
        preferred_username: r.preferredUsername,
        ...opts.directory?.claimsFor(r.oid),
        scp: r.scp ?? "access_as_user",
        sub: pairwiseSub(r.oid, opts.clientId),
        tid: opts.tenantId,
        uti: newUti(),
        ver: "2.0",
      });
    },

    signAppToken(r) {
      const spOid = servicePrincipalOid(opts.clientId);
      return sign({
        aud: r.audience,
        iss: opts.issuer(),
        ...times(r.expiresInSeconds),
        // Graph tokens carry both the v1 `appid` and the v2 `azp`; readers may look at either.
        appid: opts.clientId,
        appidacr: "1",
        azp: opts.clientId,
        azpacr: "1",
        idtyp: "app",
        oid: spOid,
        roles: r.roles,
        sub: spOid,
        tid: opts.tenantId,
        uti: newUti(),
        ver: "2.0",
      });
    },
  };
}
