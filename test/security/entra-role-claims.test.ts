/**
 * Roles from Entra (issue 7; README "Who sees what", "Roles from Entra"): with KEEPSAFE_ROLE_SOURCE
 * set, the verified token's app roles or groups decide the role, both up and down. Whole Keepsafe
 * over HTTP with tokens from the real local identity provider, whose directory is changed the way an
 * Entra admin would change an app role assignment or a group membership.
 */
import assert from "node:assert/strict";
import { generateKeyPairSync } from "node:crypto";
import { decodeJwt, SignJWT } from "jose";
import { startTestKeepsafe, staffByRole, type TestKeepsafe } from "../support/keepsafe-instance.js";
import type { DemoStaffMember } from "../../src/local/demo-school.js";
import { DEMO_GROUPS } from "../../src/local/demo-directory.js";
import { roleClaimLog, GROUPS_OVERAGE } from "../../src/app/role-claim-warnings.js";
import { BotConversation } from "../support/bot-conversation.js";
import { input } from "../bot/support/card-helpers.js";

const raiser = staffByRole(/admin/i);
const named = staffByRole(/Reception/);
const teacher = staffByRole(/Year 3/);
const ddsl = staffByRole(/Deputy DSL/);
const hourAgo = () => new Date(Date.now() - 3600_000).toISOString();

/**
 * An allegation about the Reception teacher, raised by the office: only the DSLs who are not named,
 * the head and its raiser may open it. (A protected category would do as well, but it alerts
 * staff.csv's safeguarding team, and being alerted opens a record whatever one's role: README.)
 */
async function protectedRecord(keepsafe: TestKeepsafe, submissionId: string): Promise<{ id: string; pupilId: string }> {
  const actor = await keepsafe.service.resolveActor(raiser.oid, { mfa: true });
  const pupil = (await keepsafe.service.searchPupils(actor, "a"))[0];
  const recorded = await keepsafe.service.recordIncident(actor, {
    submissionId,
    pupilId: pupil.id,
    occurredAt: hourAgo(),
    source: "tab",
    categoryIds: ["behaviour"],
    account: "Said something at lunch that worried me.",
    allegationAgainstStaff: { staffIds: [named.oid] },
  });
  return { id: recorded.incident.id, pupilId: pupil.id };
}

const open = async (keepsafe: TestKeepsafe, token: string, id: string) => (await keepsafe.api(`/api/incidents/${id}`, token)).status;
const tokenWith = (keepsafe: TestKeepsafe, staff: DemoStaffMember, roles: string[], groups: string[] = []) => {
  keepsafe.local.identity!.assignDirectory({ oid: staff.oid, roles, groups });
  return keepsafe.tokenFor(staff, { mfa: true });
};
const refusalsOf = async (keepsafe: TestKeepsafe, staff: DemoStaffMember, record: { id: string; pupilId: string }) =>
  (await keepsafe.service["deps"].records.auditForPupil(record.pupilId)).filter(
    (e) => e.type === "access.refused" && e.actorStaffId === staff.oid && e.incidentId === record.id,
  );

describe("roles from Entra app roles", function () {
  this.timeout(60_000);
  let keepsafe: TestKeepsafe;
  let record: { id: string; pupilId: string };
  let incidentId: string;

  before(async () => {
    keepsafe = await startTestKeepsafe({ KEEPSAFE_ROLE_SOURCE: "app-roles" });
    record = await protectedRecord(keepsafe, "entra-app-roles-0001");
    incidentId = record.id;
  });
  after(async () => keepsafe?.cleanup());

  it("opens a protected record to a deputy DSL whose token carries the DeputyDSL app role, and not once the tenant removes it", async () => {
    const withRole = await tokenWith(keepsafe, ddsl, ["Keepsafe.DeputyDSL"]);
    assert.deepEqual(decodeJwt(withRole).roles, ["Keepsafe.DeputyDSL"], "the provider puts the assignment in the token, as Entra does");
    assert.equal(await open(keepsafe, withRole, incidentId), 200);

    // staff.csv still says DDSL; the tenant no longer does, so they are staff and the record is not found.
    const removed = await tokenWith(keepsafe, ddsl, ["Keepsafe.Staff"]);
    const before = (await refusalsOf(keepsafe, ddsl, record)).length;
    assert.equal(await open(keepsafe, removed, incidentId), 404);
    const refusals = await refusalsOf(keepsafe, ddsl, record);
    assert.equal(refusals.length, before + 1, "the refusal is audited");
    assert.equal((refusals.at(-1)?.detail as { role?: string } | undefined)?.role, "STAFF");
    assert.equal(await open(keepsafe, await tokenWith(keepsafe, ddsl, []), incidentId), 404, "no app role at all: staff");
  });

  it("lets the app role raise a teacher on staff.csv to DSL, taking the most senior of several", async () => {
    assert.equal(await open(keepsafe, await tokenWith(keepsafe, teacher, ["Keepsafe.Staff"]), incidentId), 404);
    const token = await tokenWith(keepsafe, teacher, ["Keepsafe.Staff", "Keepsafe.DSL", "Some.OtherApp.Role"]);
    assert.equal(await open(keepsafe, token, incidentId), 200);
    const me = (await (await keepsafe.api("/api/me", token)).json()) as { role: string };
    assert.equal(me.role, "DSL");
  });

  it("reads no groups when the source is app-roles only", async () => {
    assert.equal(await open(keepsafe, await tokenWith(keepsafe, ddsl, [], [DEMO_GROUPS.safeguardingTeam]), incidentId), 404);
  });

  it("gives the bot's door, which carries no token, the synced role, never staff.csv's: a deputy DSL whose app role is gone is asked whether a DSL was told", async () => {
    keepsafe.local.identity!.assignDirectory({ oid: ddsl.oid, roles: ["Keepsafe.Staff"] });
    await keepsafe.roleSync!.runOnce();
    const chat = new BotConversation(keepsafe.url, keepsafe.local.connector!, ddsl, keepsafe.config.identity.tenantId);
    const form = await chat.sendAndWaitForCard("hello");
    const refreshed = await chat.execute("refreshConcernForm", { ...form.actions[0].data, categoryIds: "safeguarding", verb: "refreshConcernForm" });
    assert.equal(refreshed.status, 200);
    assert.ok(input(refreshed.body.value, "toldDslInPerson"), "staff.csv's DDSL is not trusted once the tenant's directory says staff");
  });

  it("refuses 401 a token carrying the DSL app role that Entra did not sign (another key, or alg none)", async () => {
    const genuine = decodeJwt(await tokenWith(keepsafe, teacher, ["Keepsafe.Staff"]));
    const forgedClaims = { ...genuine, roles: ["Keepsafe.DSL"] };
    const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const otherKey = await new SignJWT(forgedClaims).setProtectedHeader({ alg: "RS256", typ: "JWT", kid: "forged" }).sign(privateKey);
    const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString("base64url");
    const unsigned = `${b64({ alg: "none", typ: "JWT" })}.${b64(forgedClaims)}.`;
    for (const forged of [otherKey, unsigned]) {
      const res = await keepsafe.api(`/api/incidents/${incidentId}`, forged);
      assert.equal(res.status, 401);
      assert.doesNotMatch(await res.text(), /Keepsafe\.DSL|safeguarding/i);
    }
  });
});

describe("roles from Entra security groups", function () {
  this.timeout(60_000);
  let keepsafe: TestKeepsafe;
  let incidentId: string;

  before(async () => {
    keepsafe = await startTestKeepsafe({
      KEEPSAFE_ROLE_SOURCE: "groups",
      KEEPSAFE_GROUP_ROLE_MAP: `${DEMO_GROUPS.safeguardingTeam}=DSL,${DEMO_GROUPS.seniorLeadership.toUpperCase()}=SLT`,
    });
    incidentId = (await protectedRecord(keepsafe, "entra-groups-0001")).id;
  });
  after(async () => keepsafe?.cleanup());

  it("opens a protected record to a member of the mapped safeguarding group, and not once they leave it", async () => {
    const inGroup = await tokenWith(keepsafe, teacher, [], [DEMO_GROUPS.allStaff, DEMO_GROUPS.safeguardingTeam]);
    assert.equal(await open(keepsafe, inGroup, incidentId), 200);
    const left = await tokenWith(keepsafe, teacher, [], [DEMO_GROUPS.allStaff]);
    assert.equal(await open(keepsafe, left, incidentId), 404);
    const slt = await tokenWith(keepsafe, teacher, [], [DEMO_GROUPS.seniorLeadership]);
    assert.equal(await open(keepsafe, slt, incidentId), 404, "SLT never see an allegation (the map's GUID is matched without regard to case)");
    assert.equal(await open(keepsafe, await tokenWith(keepsafe, teacher, ["Keepsafe.DSL"]), incidentId), 404, "app roles are not read");
  });

  it("treats a group overage as no group claim, and logs a warning code without names", async () => {
    const many = Array.from({ length: 200 }, (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`);
    const token = await tokenWith(keepsafe, ddsl, [], [DEMO_GROUPS.safeguardingTeam, ...many]);
    const claims = decodeJwt(token);
    assert.equal(claims.groups, undefined, "past 200 groups Entra sends none");
    assert.deepEqual(claims._claim_names, { groups: "src1" });

    const warnings: unknown[] = [];
    const original = roleClaimLog.warn;
    roleClaimLog.warn = ((obj: unknown) => void warnings.push(obj)) as typeof original;
    try {
      assert.equal(await open(keepsafe, token, incidentId), 404, "the safeguarding group in the overage counts for nothing");
      assert.equal(await open(keepsafe, token, incidentId), 404);
    } finally {
      roleClaimLog.warn = original;
    }
    assert.deepEqual(warnings, [{ event: GROUPS_OVERAGE, staffId: ddsl.oid, schoolId: "demo-school" }], "once per person, ids only");
  });
});
