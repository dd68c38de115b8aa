import { createLocalJWKSet, errors, jwtVerify, type JWTPayload, type JWTVerifyGetKey, type JSONWebKeySet } from "jose";
import { z } from "zod";
import { UnauthenticatedError } from "../../domain/errors.js";
import { childLogger } from "../../logger.js";
import type { TokenValidator, ValidatedClaims } from "../../ports/token-validator.js";
import { getJson } from "./https-client.js";
import { authContextClaimsRequest, hasPassedMfa, mfaChallengeHeader } from "./mfa.js";
import { directoryClaimsOf } from "./directory-claims.js";

const log = childLogger("entra-token-validator");

/** An unknown kid makes us refetch the keys (Entra rotates them), but at most this often. */
const JWKS_REFETCH_INTERVAL_MS = 60_000;

const optionsSchema = z.object({
  /** https://login.microsoftonline.com/{tenantId} in production; the local provider's authority locally. */
  authority: z.url().refine((u) => u.startsWith("https://"), "authority must be https"),
  audience: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]),
  tenantId: z.string().min(1),
  requiredScope: z.string().min(1).default("access_as_user"),
  /** Extra CA to trust for the discovery and JWKS requests only (the local identity provider's). */
  caPem: z.string().optional(),
  /** Entra authentication context (e.g. "c1") whose presence in `acrs` means MFA was satisfied. */
  mfaAuthContext: z
    .string()
    .regex(/^c\d{1,2}$/)
    .optional(),
  clockToleranceSeconds: z.number().int().min(0).max(600).default(300),
});

export type EntraTokenValidatorOptions = z.input<typeof optionsSchema>;

export interface EntraTokenValidator extends TokenValidator {
  /** hasPassedMfa with this validator's authentication context. */
  hasPassedMfa(claims: ValidatedClaims): boolean;
  /** The WWW-Authenticate value asking for this validator's authentication context at its authority. */
  mfaChallengeHeader(): string;
}

const discoverySchema = z.object({ issuer: z.string().min(1), jwks_uri: z.url() });
const jwksSchema = z.object({ keys: z.array(z.looseObject({ kty: z.string() })) });

const stringArray = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : []);

class Rejected extends Error {
  constructor(readonly reason: string) {
    super(reason);
  }
}

/** A short, stable reason for the log. Never the token or its claims' values. */
function reasonOf(e: unknown): string {
  if (e instanceof Rejected) return e.reason;
  if (e instanceof errors.JWTExpired) return "expired";
  if (e instanceof errors.JWTClaimValidationFailed) return `claim_${e.claim}_${e.reason}`;
  if (e instanceof errors.JOSEAlgNotAllowed) return "alg_not_allowed";
  if (e instanceof errors.JWSSignatureVerificationFailed) return "bad_signature";
  if (e instanceof errors.JWKSNoMatchingKey) return "unknown_key";
  if (e instanceof errors.JOSEError) return e.code;
  return "unexpected_error";
}

/**
 * Validates Entra ID v2 access tokens for Keepsafe's API (Teams SSO tokens and step-up tokens):
 * RS256 signature against the authority's JWKS, issuer, audience, tenant, lifetime and scope.
 * The same code runs against the local identity provider, which serves the same documents.
 */
export function createEntraTokenValidator(options: EntraTokenValidatorOptions): EntraTokenValidator {
  const opts = optionsSchema.parse(options);
  const authority = opts.authority.replace(/\/+$/, "");
  const ca = opts.caPem;

  let metadata: Promise<{ issuer: string; jwksUri: string }> | undefined;
  let keys: { get: JWTVerifyGetKey; fetchedAt: number } | undefined;
  let keysInFlight: Promise<{ get: JWTVerifyGetKey; fetchedAt: number }> | undefined;

  function loadMetadata() {
    metadata ??= (async () => {
      const doc = discoverySchema.parse(await getJson(`${authority}/v2.0/.well-known/openid-configuration`, { ca }));
      // Entra's multi-tenant documents say {tenantid}; the token's iss carries the real tenant.
      return { issuer: doc.issuer.replace("{tenantid}", opts.tenantId), jwksUri: doc.jwks_uri };
    })().catch((e: unknown) => {
      metadata = undefined; // try again on the next request rather than caching the failure
      throw new Rejected(`discovery_unavailable:${(e as Error)?.name ?? "error"}`);
    });
    return metadata;
  }

  function refreshKeys() {
    keysInFlight ??= (async () => {
      const { jwksUri } = await loadMetadata();
      const jwks = jwksSchema.parse(await getJson(jwksUri, { ca }));
      keys = { get: createLocalJWKSet(jwks as JSONWebKeySet), fetchedAt: Date.now() };
      log.info({ event: "jwks_loaded", keyCount: jwks.keys.length }, "signing keys loaded");
      return keys;
    })()
      .catch((e: unknown) => {
        throw e instanceof Rejected ? e : new Rejected(`jwks_unavailable:${(e as Error)?.name ?? "error"}`);
      })
      .finally(() => {
        keysInFlight = undefined;
      });
    return keysInFlight;
  }

  const getKey: JWTVerifyGetKey = async (header, token) => {
    const current = keys ?? (await refreshKeys());
    try {
      return await current.get(header, token);
    } catch (e) {
      if (e instanceof errors.JWKSNoMatchingKey && Date.now() - current.fetchedAt >= JWKS_REFETCH_INTERVAL_MS) {
        const fresh = await refreshKeys();
        return fresh.get(header, token);
      }
      throw e;
    }
  };

  function toClaims(p: JWTPayload): ValidatedClaims {
    if (p.tid !== opts.tenantId) throw new Rejected("wrong_tenant");
    if (typeof p.oid !== "string" || p.oid.length === 0) throw new Rejected("missing_oid");
    const scopes = typeof p.scp === "string" ? p.scp.split(" ").filter(Boolean) : [];
    if (!scopes.includes(opts.requiredScope)) throw new Rejected("missing_scope");
    return {
      oid: p.oid,
      tid: p.tid,
      name: typeof p.name === "string" ? p.name : "",
      preferredUsername: typeof p.preferred_username === "string" ? p.preferred_username : "",
      scopes,
      amr: stringArray(p.amr),
      acrs: stringArray(p.acrs),
      directory: directoryClaimsOf(p),
    };
  }

  return {
    async validate(bearerToken) {
      try {
        if (typeof bearerToken !== "string" || bearerToken.length === 0) throw new Rejected("missing_token");
        const { issuer } = await loadMetadata();
        const { payload } = await jwtVerify(bearerToken, getKey, {
          algorithms: ["RS256"],
          issuer,
          audience: opts.audience,
          clockTolerance: opts.clockToleranceSeconds,
          requiredClaims: ["exp", "iat", "tid", "oid"],
        });
        return toClaims(payload);
      } catch (e) {
        const reason = reasonOf(e);
        log[reason === "expired" ? "info" : "warn"]({ event: "token_rejected", reason }, "access token rejected");
        throw UnauthenticatedError();
      }
    },

    hasPassedMfa: (claims) => hasPassedMfa(claims, opts.mfaAuthContext),

    mfaChallengeHeader: () => mfaChallengeHeader(authContextClaimsRequest(opts.mfaAuthContext ?? "c1"), `${authority}/oauth2/v2.0/authorize`),
  };
}
