import type { DirectoryClaims } from "../domain/policy/index.js";

/** The claims Keepsafe reads from an Entra ID v2 access token, after its signature and claims are checked. */
export interface ValidatedClaims {
  oid: string;
  tid: string;
  name: string;
  preferredUsername: string;
  scopes: string[];
  amr: string[];
  acrs: string[];
  /** App roles and groups from the token (policy/role-claims.ts); absent where no token was read. */
  directory?: DirectoryClaims;
}

export interface TokenValidator {
  /** Throws an UnauthenticatedError (never says which check failed to the caller) when invalid. */
  validate(bearerToken: string): Promise<ValidatedClaims>;
}
