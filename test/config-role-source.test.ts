import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { ConfigError, loadConfig } from "../src/config.js";

const GROUP = "0c7e5a2d-4b1f-4e8a-9d36-5f2a7c1e9b40";

/** The start-up error's message, or fails when the settings were accepted. */
function refusal(env: Record<string, string>): string {
  try {
    loadConfig(env, "/tmp/project");
  } catch (e) {
    assert.ok(e instanceof ConfigError, String(e));
    return e.message;
  }
  assert.fail(`accepted ${JSON.stringify(env)}`);
}

describe("role source configuration", () => {
  it("reads staff.csv alone by default, with the manifest's app roles mapped ready", () => {
    for (const env of [{}, { KEEPSAFE_ROLE_SOURCE: "" }, { KEEPSAFE_ROLE_SOURCE: "staff-csv" }]) {
      const { roleClaims } = loadConfig(env, "/tmp/project");
      assert.equal(roleClaims.sources.size, 0);
      assert.deepEqual(Object.fromEntries(roleClaims.appRoles), {
        "Keepsafe.DSL": "DSL",
        "Keepsafe.DeputyDSL": "DDSL",
        "Keepsafe.SLT": "SLT",
        "Keepsafe.Staff": "STAFF",
      });
    }
  });

  it("takes app roles and groups, with group ids matched in lower case", () => {
    const { roleClaims } = loadConfig({
      KEEPSAFE_ROLE_SOURCE: " App-Roles , groups ",
      KEEPSAFE_APP_ROLE_MAP: "School.Safeguarding=DSL, School.Staff=STAFF",
      KEEPSAFE_GROUP_ROLE_MAP: `${GROUP.toUpperCase()}=DDSL`,
    });
    assert.deepEqual([...roleClaims.sources], ["app-roles", "groups"]);
    assert.deepEqual(
      [...roleClaims.appRoles],
      [
        ["School.Safeguarding", "DSL"],
        ["School.Staff", "STAFF"],
      ],
    );
    assert.deepEqual([...roleClaims.groups], [[GROUP, "DDSL"]]);
  });

  it("stops start-up with the setting and the mistake named", () => {
    assert.match(refusal({ KEEPSAFE_ROLE_SOURCE: "ldap" }), /KEEPSAFE_ROLE_SOURCE: must be staff-csv, app-roles, groups or app-roles,groups/);
    assert.match(refusal({ KEEPSAFE_ROLE_SOURCE: "staff-csv,app-roles" }), /KEEPSAFE_ROLE_SOURCE: staff-csv cannot be combined/);
    assert.match(refusal({ KEEPSAFE_ROLE_SOURCE: "groups,groups", KEEPSAFE_GROUP_ROLE_MAP: `${GROUP}=DSL` }), /names a source twice/);
    assert.match(
      refusal({ KEEPSAFE_ROLE_SOURCE: "groups" }),
      /KEEPSAFE_GROUP_ROLE_MAP: KEEPSAFE_ROLE_SOURCE names groups, so map at least one group/,
    );
    assert.match(refusal({ KEEPSAFE_GROUP_ROLE_MAP: `${GROUP}=HEAD` }), /KEEPSAFE_GROUP_ROLE_MAP: unknown role "HEAD" \(use DSL, DDSL, SLT, STAFF\)/);
    assert.match(
      refusal({ KEEPSAFE_GROUP_ROLE_MAP: "safeguarding-team=DSL" }),
      /KEEPSAFE_GROUP_ROLE_MAP: "safeguarding-team" is not a group object id \(GUID\)/,
    );
    assert.match(refusal({ KEEPSAFE_APP_ROLE_MAP: "Keepsafe DSL=DSL" }), /KEEPSAFE_APP_ROLE_MAP: "Keepsafe DSL" is not an Entra app role value/);
    assert.match(refusal({ KEEPSAFE_APP_ROLE_MAP: "Keepsafe.DSL" }), /KEEPSAFE_APP_ROLE_MAP: "Keepsafe.DSL" is not key=ROLE/);
    assert.match(refusal({ KEEPSAFE_APP_ROLE_MAP: "A=DSL,A=SLT" }), /KEEPSAFE_APP_ROLE_MAP: "A" is mapped twice/);
  });

  it("refuses __proto__, constructor and prototype as keys, and lists every mistake at once", () => {
    for (const key of ["__proto__", "constructor", "prototype"]) {
      assert.match(refusal({ KEEPSAFE_APP_ROLE_MAP: `${key}=DSL` }), new RegExp(`KEEPSAFE_APP_ROLE_MAP: "${key}" cannot be a key`));
      assert.match(refusal({ KEEPSAFE_GROUP_ROLE_MAP: `${key}=DSL` }), new RegExp(`KEEPSAFE_GROUP_ROLE_MAP: "${key}" cannot be a key`));
    }
    const message = refusal({ KEEPSAFE_APP_ROLE_MAP: "__proto__=DSL,B=Chair", KEEPSAFE_ROLE_SOURCE: "x" });
    assert.equal(message.split("\n").length, 4, message);
    assert.equal(Object.prototype.hasOwnProperty.call(Object.prototype, "DSL"), false, "nothing reached a prototype");
  });

  it("declares in aad.manifest.json, for users, exactly the app roles the default map names", () => {
    const aad = JSON.parse(readFileSync(new URL("../aad.manifest.json", import.meta.url), "utf8"));
    const declared = aad.appRoles as {
      allowedMemberTypes: string[];
      id: string;
      isEnabled: boolean;
      value: string;
      displayName: string;
      description: string;
    }[];
    assert.deepEqual(declared.map((r) => r.value).sort(), [...loadConfig({}).roleClaims.appRoles.keys()].sort());
    for (const r of declared) {
      assert.deepEqual(r.allowedMemberTypes, ["User"], r.value);
      assert.equal(r.isEnabled, true);
      assert.match(r.id, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      assert.ok(r.displayName && r.description, r.value);
    }
    assert.equal(new Set(declared.map((r) => r.id)).size, declared.length, "ids are unique");
    assert.equal(aad.groupMembershipClaims, "ApplicationGroup", "only groups assigned to the app, which keeps tokens under the overage limit");
  });
});
