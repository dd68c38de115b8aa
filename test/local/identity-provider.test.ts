import assert from "node:assert/strict";
import { createHash, X509Certificate } from "node:crypto";
import { mkdtemp, rm, stat } from "node:fs/promises";
import { request } from "node:https";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { decodeJwt, decodeProtectedHeader } from "jose";
import { httpsRequest } from "../../src/adapters/identity/https-client.js";
import { startLocalIdentityProvider, TEAMS_CLIENT_ID, type LocalIdentityProvider } from "../../src/local/identity-provider/index.js";

const TENANT = "7a1c2d3e-0000-4000-8000-000000000001";
const CLIENT = "c0ffee00-0000-4000-8000-000000000002";

describe("local identity provider", () => {
  let dataDir: string;
  let idp: LocalIdentityProvider;

  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), "keepsafe-idp-"));
    idp = await startLocalIdentityProvider({ dataDir, tenantId: TENANT, clientId: CLIENT });
  });
  after(async () => {
    await idp?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  const get = (path: string, headers: Record<string, string> = {}) => httpsRequest(`${idp.authority}${path}`, { ca: idp.caPem, headers });
  const post = (path: string, body: string, headers: Record<string, string>) =>
    httpsRequest(`${idp.authority}${path}`, { method: "POST", ca: idp.caPem, body, headers });
  const postForm = (path: string, form: Record<string, string>) =>
    post(path, new URLSearchParams(form).toString(), { "content-type": "application/x-www-form-urlencoded" });
  const postJson = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    post(path, JSON.stringify(body), { "content-type": "application/json", ...headers });

  it("serves HTTPS on 127.0.0.1 under its own CA, which an ordinary client does not trust", async () => {
    assert.match(idp.authority, new RegExp(`^https://127\\.0\\.0\\.1:\\d+/${TENANT}$`));
    assert.equal(idp.issuer, `${idp.authority}/v2.0`);
    const untrusted = new Promise((resolve, reject) => {
      const req = request(`${idp.authority}/v2.0/.well-known/openid-configuration`, resolve);
      req.on("error", reject);
      req.end();
    });
    await assert.rejects(untrusted, (e: NodeJS.ErrnoException) => /CERT|certificate/i.test(`${e.code} ${e.message}`));
    assert.equal((await get("/v2.0/.well-known/openid-configuration")).status, 200);
  });

  it("publishes an Entra v2 shaped discovery document", async () => {
    const doc = JSON.parse((await get("/v2.0/.well-known/openid-configuration")).text);
    assert.equal(doc.issuer, idp.issuer);
    assert.equal(doc.jwks_uri, `${idp.authority}/discovery/v2.0/keys`);
    assert.equal(doc.token_endpoint, `${idp.authority}/oauth2/v2.0/token`);
    assert.equal(doc.authorization_endpoint, `${idp.authority}/oauth2/v2.0/authorize`);
    assert.deepEqual(doc.id_token_signing_alg_values_supported, ["RS256"]);
    for (const field of [
      "response_types_supported",
      "response_modes_supported",
      "scopes_supported",
      "subject_types_supported",
      "token_endpoint_auth_methods_supported",
      "end_session_endpoint",
      "claims_supported",
      "cloud_instance_name",
      "msgraph_host",
    ]) {
      assert.ok(doc[field] !== undefined, field);
    }
    assert.ok(doc.response_types_supported.includes("code"));
  });

  it("publishes a JWKS with kid, kty, use, n, e, x5t and an x5c whose thumbprint is x5t", async () => {
    const { keys } = JSON.parse((await get("/discovery/v2.0/keys")).text);
    assert.equal(keys.length, 1);
    const [k] = keys;
    assert.equal(k.kty, "RSA");
    assert.equal(k.use, "sig");
    assert.equal(k.e, "AQAB");
    assert.ok(k.n.length > 300, "a 2048-bit modulus");
    assert.equal(k.kid, k.x5t);
    const der = Buffer.from(k.x5c[0], "base64");
    assert.equal(createHash("sha1").update(der).digest("base64url"), k.x5t);
    const cert = new X509Certificate(der);
    assert.equal(cert.publicKey.export({ format: "jwk" }).n, k.n);
  });

  it("issues a Teams SSO stand-in token with the v2 claims, and allows loopback origins only", async () => {
    const res = await postJson(
      "/local/sso-token",
      { oid: "oid-1", name: "Alex Teacher", preferredUsername: "alex@school.example", mfa: false },
      { origin: "http://127.0.0.1:5173" },
    );
    assert.equal(res.status, 200);
    assert.equal(res.headers["access-control-allow-origin"], "http://127.0.0.1:5173");
    const token = JSON.parse(res.text).access_token as string;
    const claims = decodeJwt(token);
    assert.equal(claims.iss, idp.issuer);
    assert.equal(claims.aud, CLIENT);
    assert.equal(claims.tid, TENANT);
    assert.equal(claims.oid, "oid-1");
    assert.equal(claims.scp, "access_as_user");
    assert.deepEqual(claims.amr, ["pwd"]);
    assert.equal(claims.azp, TEAMS_CLIENT_ID);
    assert.equal(claims.ver, "2.0");
    assert.equal(claims.preferred_username, "alex@school.example");
    for (const c of ["iat", "nbf", "exp", "uti", "name", "sub"]) assert.ok(claims[c] !== undefined, c);
    assert.equal(decodeProtectedHeader(token).alg, "RS256");

    const mfa = decodeJwt(
      JSON.parse((await postJson("/local/sso-token", { oid: "o", name: "n", preferredUsername: "p@x", mfa: true })).text).access_token,
    );
    assert.deepEqual(mfa.amr, ["pwd", "mfa"]);

    const fromOtherSite = await httpsRequest(`${idp.authority}/local/sso-token`, {
      ca: idp.caPem,
      method: "POST",
      headers: { origin: "https://evil.example" },
      body: "{}",
    });
    assert.equal(fromOtherSite.headers["access-control-allow-origin"], undefined);
    assert.equal(fromOtherSite.status, 400, "an empty body is refused");
  });

  it("issues an app-only Graph token by client credentials and refuses a wrong secret like Entra", async () => {
    const ok = await postForm("/oauth2/v2.0/token", {
      grant_type: "client_credentials",
      client_id: CLIENT,
      client_secret: idp.clientSecret,
      scope: "https://graph.microsoft.com/.default",
    });
    assert.equal(ok.status, 200);
    const body = JSON.parse(ok.text);
    assert.equal(body.token_type, "Bearer");
    const claims = decodeJwt(body.access_token);
    assert.equal(claims.aud, "https://graph.microsoft.com");
    assert.equal(claims.idtyp, "app");
    assert.ok((claims.roles as string[]).includes("TeamsActivity.Send"));
    assert.equal(claims.scp, undefined);

    const wrong = await postForm("/oauth2/v2.0/token", {
      grant_type: "client_credentials",
      client_id: CLIENT,
      client_secret: "not-the-secret",
      scope: "https://graph.microsoft.com/.default",
    });
    assert.equal(wrong.status, 401);
    const err = JSON.parse(wrong.text);
    assert.equal(err.error, "invalid_client");
    assert.deepEqual(err.error_codes, [7000215]);
    assert.match(err.error_description, /^AADSTS7000215:/);
    assert.ok(!wrong.text.includes(idp.clientSecret));

    const badScope = await postForm("/oauth2/v2.0/token", {
      grant_type: "client_credentials",
      client_id: CLIENT,
      client_secret: idp.clientSecret,
      scope: "User.Read",
    });
    assert.equal(JSON.parse(badScope.text).error, "invalid_scope");
  });

  it("shows the MFA approval page and returns an mfa token with the asked-for auth context to the redirect", async () => {
    await idp.issueAccessToken({ oid: "oid-2", name: "Sam DSL", preferredUsername: "sam@school.example", mfa: false });
    const params = {
      client_id: CLIENT,
      response_type: "token",
      redirect_uri: "http://127.0.0.1:5173/auth-end.html",
      scope: `api://localhost/${CLIENT}/access_as_user`,
      state: "s-123",
      login_hint: "sam@school.example",
      claims: JSON.stringify({ access_token: { acrs: { essential: true, value: "c1" } } }),
    };
    const page = await get(`/oauth2/v2.0/authorize?${new URLSearchParams(params)}`);
    assert.equal(page.status, 200);
    assert.match(page.text, /Approve sign-in with your authenticator/);
    assert.match(page.text, /<button[^>]*value="approve"/);

    const approved = await postForm("/oauth2/v2.0/authorize", { ...params, decision: "approve" });
    assert.equal(approved.status, 302);
    const location = new URL(approved.headers.location);
    assert.equal(`${location.origin}${location.pathname}`, params.redirect_uri);
    const fragment = new URLSearchParams(location.hash.slice(1));
    assert.equal(fragment.get("state"), "s-123");
    const claims = decodeJwt(fragment.get("access_token")!);
    assert.deepEqual(claims.amr, ["pwd", "mfa"]);
    assert.deepEqual(claims.acrs, ["c1"]);
    assert.equal(claims.oid, "oid-2");
    assert.equal(claims.aud, CLIENT);

    const denied = await postForm("/oauth2/v2.0/authorize", { ...params, decision: "deny" });
    assert.equal(new URLSearchParams(new URL(denied.headers.location).hash.slice(1)).get("error"), "access_denied");

    const offsite = await get(`/oauth2/v2.0/authorize?${new URLSearchParams({ ...params, redirect_uri: "https://evil.example/" })}`);
    assert.equal(offsite.status, 400);
    const unknown = await get(`/oauth2/v2.0/authorize?${new URLSearchParams({ ...params, login_hint: "nobody@x" })}`);
    assert.equal(unknown.status, 400);
  });

  it("keeps its CA, signing key and client secret across restarts, with private keys readable by the owner only", async () => {
    const before = { caPem: idp.caPem, secret: idp.clientSecret, port: idp.port };
    const { keys: keysBefore } = JSON.parse((await get("/discovery/v2.0/keys")).text);
    const token = await idp.issueAccessToken({ oid: "o-3", name: "n", preferredUsername: "p3@x", mfa: false });
    await idp.stop();

    idp = await startLocalIdentityProvider({ dataDir, tenantId: TENANT, clientId: CLIENT, port: before.port });
    assert.equal(idp.caPem, before.caPem);
    assert.equal(idp.clientSecret, before.secret);
    const { keys: keysAfter } = JSON.parse((await get("/discovery/v2.0/keys")).text);
    assert.deepEqual(keysAfter, keysBefore);
    assert.equal(decodeProtectedHeader(token).kid, keysAfter[0].kid);
    assert.equal((await stat(join(dataDir, "identity", "signing-key.pem"))).mode & 0o077, 0);
  });
});
