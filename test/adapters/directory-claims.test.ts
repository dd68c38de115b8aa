/**
 * The `roles` and `groups` claims of a verified token, read into plain data by the Entra token
 * validator against the local identity provider's real tokens (and a few it would never issue,
 * signed with its own key from its data dir).
 */
import assert from "node:assert/strict";
import { createPrivateKey } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SignJWT, type JWTPayload } from "jose";
import { createEntraTokenValidator, type EntraTokenValidator } from "../../src/adapters/identity/index.js";
import { loadOrCreateIdentityMaterial, startLocalIdentityProvider, type LocalIdentityProvider } from "../../src/local/identity-provider/index.js";

const TENANT = "7a1c2d3e-0000-4000-8000-0000000000cc";
const CLIENT = "c0ffee00-0000-4000-8000-0000000000dd";
const GROUP = "0c7e5a2d-4b1f-4e8a-9d36-5f2a7c1e9b40";
const user = { oid: "oid-dir-1", name: "Jo Lead", preferredUsername: "jo.lead@school.example", mfa: true };

/** The roles, groups and overage, without the issue time every token carries. */
const roleFacts = (d: { issuedAt?: string } | undefined) => {
  const { issuedAt: _issuedAt, ...rest } = d ?? {};
  return rest;
};

describe("directory claims from a verified token", () => {
  let dataDir: string;
  let idp: LocalIdentityProvider;
  let validator: EntraTokenValidator;
  let signWithProviderKey: (changes: JWTPayload) => Promise<string>;

  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), "keepsafe-directory-"));
    idp = await startLocalIdentityProvider({
      dataDir,
      tenantId: TENANT,
      clientId: CLIENT,
      directory: [{ oid: user.oid, roles: ["Keepsafe.DSL"], groups: [GROUP] }],
    });
    validator = createEntraTokenValidator({ authority: idp.authority, audience: CLIENT, tenantId: TENANT, caPem: idp.caPem });
    const material = await loadOrCreateIdentityMaterial(dataDir);
    signWithProviderKey = async (changes) => {
      const now = Math.floor(Date.now() / 1000);
      const base = { aud: CLIENT, iss: idp.issuer, iat: now, exp: now + 600, tid: TENANT, oid: user.oid, scp: "access_as_user", ver: "2.0" };
      return new SignJWT({ ...base, ...changes })
        .setProtectedHeader({ alg: "RS256", typ: "JWT", kid: material.kid })
        .sign(createPrivateKey(material.signingKeyPem));
    };
  });
  after(async () => {
    await idp?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it("dates the directory claims with the token's iat, for the role directory's newest-wins rule", async () => {
    const claims = await validator.validate(await signWithProviderKey({ iat: 1_800_000_000 }));
    assert.equal(claims.directory?.issuedAt, new Date(1_800_000_000_000).toISOString());
  });

  it("reads the app roles and groups the directory assigned", async () => {
    const claims = await validator.validate(await idp.issueAccessToken(user));
    assert.deepEqual(roleFacts(claims.directory), { roles: ["Keepsafe.DSL"], groups: [GROUP], groupsOverage: false });
  });

  it("reads none for a user with no assignments (Entra omits both claims)", async () => {
    const claims = await validator.validate(await idp.issueAccessToken({ ...user, oid: "oid-dir-2" }));
    assert.deepEqual(roleFacts(claims.directory), { roles: [], groups: [], groupsOverage: false });
  });

  it("marks an overage, from the provider past 200 groups and from hasgroups, and keeps no groups with it", async () => {
    idp.assignDirectory({ oid: "oid-dir-3", groups: Array.from({ length: 201 }, (_, i) => `g-${i}`) });
    const overage = await validator.validate(await idp.issueAccessToken({ ...user, oid: "oid-dir-3" }));
    assert.deepEqual(roleFacts(overage.directory), { roles: [], groups: [], groupsOverage: true });
    const implicit = await validator.validate(await signWithProviderKey({ hasgroups: true, groups: [GROUP] }));
    assert.deepEqual(roleFacts(implicit.directory), { roles: [], groups: [], groupsOverage: true });
  });

  it("reads a malformed roles or groups claim as none rather than failing or guessing", async () => {
    for (const bad of [{ roles: "Keepsafe.DSL" }, { roles: [1, "Keepsafe.DSL"] }, { groups: { 0: GROUP } }, { roles: { __proto__: ["x"] } }]) {
      const claims = await validator.validate(await signWithProviderKey(bad as JWTPayload));
      assert.deepEqual(roleFacts(claims.directory), { roles: [], groups: [], groupsOverage: false }, JSON.stringify(bad));
    }
  });
});
