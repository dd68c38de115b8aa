import assert from "node:assert/strict";
import { createPrivateKey, generateKeyPairSync } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { decodeJwt, SignJWT, type JWTPayload } from "jose";
import {
  createEntraTokenValidator,
  createGraphTokenProvider,
  hasPassedMfa,
  mfaChallengeHeader,
  type EntraTokenValidator,
} from "../../src/adapters/identity/index.js";
import { isKeepsafeError } from "../../src/domain/errors.js";
import {
  loadOrCreateIdentityMaterial,
  startLocalIdentityProvider,
  type IdentityMaterial,
  type LocalIdentityProvider,
} from "../../src/local/identity-provider/index.js";

const TENANT = "7a1c2d3e-0000-4000-8000-0000000000aa";
const CLIENT = "c0ffee00-0000-4000-8000-0000000000bb";
const user = { oid: "oid-42", name: "Jo Head", preferredUsername: "jo@school.example" };

const b64url = (o: unknown) => Buffer.from(JSON.stringify(o)).toString("base64url");

const isUnauthenticated = (e: unknown) => isKeepsafeError(e) && e.code === "unauthenticated";

describe("Entra token validation against the local identity provider", () => {
  let dataDir: string;
  let idp: LocalIdentityProvider;
  let material: IdentityMaterial;
  let validator: EntraTokenValidator;

  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), "keepsafe-tokens-"));
    idp = await startLocalIdentityProvider({ dataDir, tenantId: TENANT, clientId: CLIENT });
    // The provider's own key, read from its data dir: lets us sign tokens its endpoints would never issue.
    material = await loadOrCreateIdentityMaterial(dataDir);
    validator = createEntraTokenValidator({ authority: idp.authority, audience: CLIENT, tenantId: TENANT, caPem: idp.caPem });
  });
  after(async () => {
    await idp?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  /** A token exactly like the provider's, with some claims changed, signed with its key unless told otherwise. */
  async function craft(changes: JWTPayload = {}, opts: { key?: Parameters<SignJWT["sign"]>[0]; kid?: string; alg?: string } = {}): Promise<string> {
    const now = Math.floor(Date.now() / 1000);
    const payload: JWTPayload = {
      aud: CLIENT,
      iss: idp.issuer,
      iat: now,
      nbf: now,
      exp: now + 3600,
      tid: TENANT,
      oid: user.oid,
      name: user.name,
      preferred_username: user.preferredUsername,
      scp: "access_as_user",
      amr: ["pwd"],
      ver: "2.0",
      ...changes,
    };
    return new SignJWT(payload)
      .setProtectedHeader({ alg: opts.alg ?? "RS256", typ: "JWT", kid: opts.kid ?? material.kid })
      .sign(opts.key ?? createPrivateKey(material.signingKeyPem));
  }

  const rejects = (token: string) => assert.rejects(validator.validate(token), isUnauthenticated);

  it("accepts a valid SSO token and returns its claims", async () => {
    const token = await idp.issueAccessToken({ ...user, mfa: false });
    const claims = await validator.validate(token);
    assert.deepEqual(claims, {
      oid: user.oid,
      tid: TENANT,
      name: user.name,
      preferredUsername: user.preferredUsername,
      scopes: ["access_as_user"],
      amr: ["pwd"],
      acrs: [],
      directory: { roles: [], groups: [], groupsOverage: false, issuedAt: new Date((decodeJwt(token).iat ?? 0) * 1000).toISOString() },
    });
    // The crafting helper makes tokens the validator accepts, so each rejection below is down to its one change.
    assert.equal((await validator.validate(await craft())).oid, user.oid);
  });

  it("rejects an expired token", async () => {
    await rejects(await idp.issueAccessToken({ ...user, mfa: false, expiresInSeconds: -600 }));
  });

  it("accepts a token just past expiry within the clock tolerance, and not beyond it", async () => {
    const now = Math.floor(Date.now() / 1000);
    const strict = createEntraTokenValidator({
      authority: idp.authority,
      audience: CLIENT,
      tenantId: TENANT,
      caPem: idp.caPem,
      clockToleranceSeconds: 60,
    });
    assert.equal((await strict.validate(await craft({ iat: now - 600, nbf: now - 600, exp: now - 30 }))).oid, user.oid);
    await assert.rejects(strict.validate(await craft({ iat: now - 600, nbf: now - 600, exp: now - 90 })), isUnauthenticated);
  });

  it("rejects a token that is not yet valid", async () => {
    const now = Math.floor(Date.now() / 1000);
    await rejects(await craft({ nbf: now + 3600, exp: now + 7200 }));
  });

  it("rejects a token for another audience", async () => {
    await rejects(await idp.issueAccessToken({ ...user, mfa: false, audience: "https://graph.microsoft.com" }));
  });

  it("rejects a token signed with the right key but naming another issuer", async () => {
    await rejects(await craft({ iss: `https://login.microsoftonline.com/${TENANT}/v2.0` }));
  });

  it("rejects a token from another tenant", async () => {
    await rejects(await craft({ tid: "00000000-0000-4000-8000-000000000999" }));
  });

  it("rejects an unsigned token (alg none)", async () => {
    const valid = decodeJwt(await craft());
    await rejects(`${b64url({ alg: "none", typ: "JWT" })}.${b64url(valid)}.`);
  });

  it("rejects an HS256 token keyed with the public key (algorithm confusion)", async () => {
    const secret = new TextEncoder().encode(material.signingPublicKeyPem);
    await rejects(await craft({}, { alg: "HS256", key: secret }));
  });

  it("rejects a tampered payload that keeps the original signature", async () => {
    const [header, , signature] = (await craft({ amr: ["pwd"] })).split(".");
    const forged = b64url({ ...decodeJwt(await craft()), amr: ["pwd", "mfa"], acrs: ["c1"] });
    await rejects(`${header}.${forged}.${signature}`);
  });

  it("rejects a token signed by a different key, under our kid or its own", async () => {
    const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    await rejects(await craft({}, { key: privateKey }));
    await rejects(await craft({}, { key: privateKey, kid: "attacker-key" }));
  });

  it("rejects a token without the access_as_user scope, and an app-only token", async () => {
    await rejects(await idp.issueAccessToken({ ...user, mfa: false, scp: "User.Read" }));
    await rejects(await craft({ scp: undefined, roles: ["TeamsActivity.Send"] }));
  });

  it("rejects garbage and an empty token", async () => {
    await rejects("not.a.jwt");
    await rejects("");
  });

  it("trusts the local CA only when given it: without caPem every token is refused", async () => {
    const untrusting = createEntraTokenValidator({ authority: idp.authority, audience: CLIENT, tenantId: TENANT });
    await assert.rejects(untrusting.validate(await idp.issueAccessToken({ ...user, mfa: false })), isUnauthenticated);
  });

  it("sees MFA in amr, and an authentication context in acrs", async () => {
    const withMfa = await validator.validate(await idp.issueAccessToken({ ...user, mfa: true }));
    const without = await validator.validate(await idp.issueAccessToken({ ...user, mfa: false }));
    assert.deepEqual(withMfa.amr, ["pwd", "mfa"]);
    assert.equal(hasPassedMfa(withMfa), true);
    assert.equal(hasPassedMfa(without), false);
    assert.equal(hasPassedMfa(withMfa, "c1"), true);
    assert.equal(hasPassedMfa({ amr: ["pwd", "mfa"], acrs: [] }, "c1"), false, "amr alone does not satisfy a context");

    const withContext = createEntraTokenValidator({
      authority: idp.authority,
      audience: CLIENT,
      tenantId: TENANT,
      caPem: idp.caPem,
      mfaAuthContext: "c1",
    });
    assert.equal(withContext.hasPassedMfa(withMfa), true);
    assert.equal(withContext.hasPassedMfa(without), false);
  });

  it("builds the insufficient_claims challenge header", () => {
    const header = mfaChallengeHeader();
    const m = /^Bearer realm="", authorization_uri="([^"]+)", error="insufficient_claims", claims="([^"]+)"$/.exec(header);
    assert.ok(m, header);
    assert.equal(m[1], "https://login.microsoftonline.com/common/oauth2/authorize");
    assert.deepEqual(JSON.parse(Buffer.from(m[2], "base64").toString()), {
      access_token: { acrs: { essential: true, value: "c1" } },
    });

    const local = createEntraTokenValidator({
      authority: idp.authority,
      audience: CLIENT,
      tenantId: TENANT,
      caPem: idp.caPem,
      mfaAuthContext: "c2",
    }).mfaChallengeHeader();
    assert.ok(local.includes(`authorization_uri="${idp.authority}/oauth2/v2.0/authorize"`));
    const claims = /claims="([^"]+)"/.exec(local)![1];
    assert.equal(JSON.parse(Buffer.from(claims, "base64").toString()).access_token.acrs.value, "c2");
  });
});

describe("Graph token provider (msal-node) against the local identity provider", () => {
  let dataDir: string;
  let idp: LocalIdentityProvider;

  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), "keepsafe-msal-"));
    idp = await startLocalIdentityProvider({ dataDir, tenantId: TENANT, clientId: CLIENT, clientSecret: "configured-secret-123" });
  });
  after(async () => {
    await idp?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it("gets an app-only Graph token by client credentials, and reuses it from msal's cache", async () => {
    assert.equal(idp.clientSecret, "configured-secret-123");
    const getToken = createGraphTokenProvider({
      authority: idp.authority,
      clientId: CLIENT,
      clientSecret: "configured-secret-123",
      caPem: idp.caPem,
    });
    const token = await getToken();
    const claims = decodeJwt(token);
    assert.equal(claims.aud, "https://graph.microsoft.com");
    assert.equal(claims.iss, idp.issuer);
    assert.equal(claims.tid, TENANT);
    assert.equal(claims.azp, CLIENT);
    assert.ok((claims.roles as string[]).includes("TeamsActivity.Send"));
    assert.equal(await getToken(), token);
  });

  it("fails clearly with a wrong secret", async () => {
    const getToken = createGraphTokenProvider({
      authority: idp.authority,
      clientId: CLIENT,
      clientSecret: "wrong-secret",
      caPem: idp.caPem,
    });
    await assert.rejects(getToken(), (e: Error) => {
      assert.match(e.message, /invalid_client/);
      assert.match(String((e.cause as Error)?.message), /AADSTS7000215/);
      assert.ok(!e.message.includes("wrong-secret"));
      return true;
    });
  });
});
