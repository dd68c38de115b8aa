import { createPublicKey, X509Certificate } from "node:crypto";
import type { IdentityMaterial } from "./key-material.js";

/**
 * The OpenID discovery document, shaped like Entra ID's tenant-specific v2 document
 * (https://login.microsoftonline.com/{tenant}/v2.0/.well-known/openid-configuration),
 * so the production validator and msal-node read it without a local special case.
 */
export function discoveryDocument(authority: string, issuer: string) {
  return {
    token_endpoint: `${authority}/oauth2/v2.0/token`,
    token_endpoint_auth_methods_supported: ["client_secret_post", "private_key_jwt", "client_secret_basic"],
    jwks_uri: `${authority}/discovery/v2.0/keys`,
    response_modes_supported: ["query", "fragment", "form_post"],
    subject_types_supported: ["pairwise"],
    id_token_signing_alg_values_supported: ["RS256"],
    response_types_supported: ["code", "id_token", "code id_token", "id_token token"],
    scopes_supported: ["openid", "profile", "email", "offline_access"],
    issuer,
    request_uri_parameter_supported: false,
    userinfo_endpoint: `${authority}/oidc/userinfo`,
    authorization_endpoint: `${authority}/oauth2/v2.0/authorize`,
    device_authorization_endpoint: `${authority}/oauth2/v2.0/devicecode`,
    http_logout_supported: true,
    frontchannel_logout_supported: true,
    end_session_endpoint: `${authority}/oauth2/v2.0/logout`,
    claims_supported: [
      "sub",
      "iss",
      "cloud_instance_name",
      "cloud_instance_host_name",
      "cloud_graph_host_name",
      "msgraph_host",
      "aud",
      "exp",
      "iat",
      "auth_time",
      "acr",
      "nonce",
      "preferred_username",
      "name",
      "tid",
      "ver",
      "at_hash",
      "c_hash",
      "email",
    ],
    kerberos_endpoint: `${authority}/kerberos`,
    tenant_region_scope: "EU",
    cloud_instance_name: "microsoftonline.com",
    cloud_graph_host_name: "graph.windows.net",
    msgraph_host: "graph.microsoft.com",
    rbac_url: "https://pas.windows.net",
  };
}

/** The JWKS, shaped like Entra's discovery/v2.0/keys: RSA keys with kid, x5t, n, e, x5c and issuer. */
export function jwksDocument(material: IdentityMaterial, issuer: string) {
  const jwk = createPublicKey(material.signingPublicKeyPem).export({ format: "jwk" });
  const der = new X509Certificate(material.signingCertPem).raw;
  return {
    keys: [
      {
        kty: "RSA",
        use: "sig",
        kid: material.kid,
        x5t: material.x5t,
        n: jwk.n,
        e: jwk.e,
        x5c: [der.toString("base64")],
        issuer,
      },
    ],
  };
}
