// Reads a Bearer challenge from a WWW-Authenticate header, e.g.
//   Bearer realm="", authorization_uri="https://…/authorize", error="insufficient_claims", claims="eyJ…"
// Entra ID sends this when conditional access wants a second factor (MFA).
export interface BearerChallenge {
  error?: string;
  authorizationUri?: string;
  /** base64 of the claims request JSON, as Entra sends it. */
  claims?: string;
}

export function parseBearerChallenge(header: string | null): BearerChallenge | undefined {
  if (!header || !/^\s*Bearer\b/i.test(header)) return undefined;
  const params: Record<string, string> = {};
  // key="quoted value" or key=token; quoted values may contain commas.
  for (const m of header.matchAll(/([A-Za-z_][\w-]*)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]+))/g)) {
    params[m[1].toLowerCase()] = m[2] !== undefined ? m[2].replace(/\\(.)/g, "$1") : m[3];
  }
  return {
    error: params.error,
    authorizationUri: params.authorization_uri,
    claims: params.claims,
  };
}

/** The claims request as JSON text; Entra sends it base64-encoded, some servers send it plain. */
export function decodeClaims(claims: string): string {
  if (claims.trimStart().startsWith("{")) return claims;
  try {
    return atob(claims.replace(/-/g, "+").replace(/_/g, "/"));
  } catch {
    return claims;
  }
}
