export { createEntraTokenValidator, type EntraTokenValidator, type EntraTokenValidatorOptions } from "./entra-token-validator.js";
export { hasPassedMfa, mfaChallengeHeader, authContextClaimsRequest, ENTRA_AUTHORIZE_URI } from "./mfa.js";
export { createGraphTokenProvider, GRAPH_DEFAULT_SCOPE, type GraphTokenProviderOptions } from "./graph-token-provider.js";
export { createMsalNetworkClient } from "./msal-network-client.js";
