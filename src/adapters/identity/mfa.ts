import type { ValidatedClaims } from "../../ports/token-validator.js";

/** What Entra itself puts in a claims challenge's authorization_uri. */
export const ENTRA_AUTHORIZE_URI = "https://login.microsoftonline.com/common/oauth2/authorize";

/** The claims request for an authentication context: {"access_token":{"acrs":{"essential":true,"value":"c1"}}}. */
export const authContextClaimsRequest = (authContext: string) => ({
  access_token: { acrs: { essential: true, value: authContext } },
});

/**
 * Whether the token shows a second factor. With an authentication context configured, only the
 * context in `acrs` counts: it proves the Conditional Access policy behind it was satisfied, while
 * `amr` alone may come from an MFA done for some other reason earlier in the session.
 */
export function hasPassedMfa(claims: Pick<ValidatedClaims, "amr" | "acrs">, mfaAuthContext?: string): boolean {
  if (mfaAuthContext) return claims.acrs.includes(mfaAuthContext);
  return claims.amr.includes("mfa");
}

/**
 * The WWW-Authenticate value of a 401 that asks the client for a step-up (insufficient_claims),
 * as Entra-protected APIs send it. The tab decodes `claims` and passes it to the sign-in popup.
 */
export function mfaChallengeHeader(
  claimsRequest: string | object = authContextClaimsRequest("c1"),
  authorizationUri: string = ENTRA_AUTHORIZE_URI,
): string {
  const json = typeof claimsRequest === "string" ? claimsRequest : JSON.stringify(claimsRequest);
  const claims = Buffer.from(json, "utf8").toString("base64");
  return `Bearer realm="", authorization_uri="${authorizationUri}", error="insufficient_claims", claims="${claims}"`;
}
