export {
  startLocalIdentityProvider,
  type LocalIdentityProvider,
  type LocalIdentityProviderOptions,
  type IssueAccessTokenClaims,
} from "./local-identity-provider.js";
export { loadOrCreateIdentityMaterial, identityDir, type IdentityMaterial } from "./key-material.js";
export { TEAMS_CLIENT_ID } from "./token-signer.js";
