/**
 * The role directory sync (issue 7; README "Roles from Entra"): with KEEPSAFE_ROLE_SOURCE=app-roles,
 * the doors with no token (alert routing, the bot) act on the roles the tenant gives, read from
 * Microsoft Graph. Whole Keepsafe in-process; the Graph sandbox answers the directory reads from
 * the local identity provider's directory, which the test changes as an Entra admin would, through
 * the sandbox's admin endpoint. Records are raised over HTTP (POST /api/incidents), the bot through
 * /api/messages.
 */
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { startTestKeepsafe, staffByRole, type TestKeepsafe } from "../support/keepsafe-instance.js";
import type { DemoStaffMember } from "../../src/local/demo-school.js";
import { BotConversation } from "../support/bot-conversation.js";
import { input } from "../bot/support/card-helpers.js";
import { NEVER_SYNCED, roleDirectoryLog } from "../../src/app/role-directories.js";
import { SYNC_FAILED } from "../../src/app/role-directory-sync.js";

const dsl = staffByRole(/^DSL/);
const ddsl = staffByRole(/Deputy DSL/);
const teacher = staffByRole(/Year 3/);
const hourAgo = () => new Date(Date.now() - 3600_000).toISOString();

/** The DSL records a Child Protection concern over the tab API; answers who its outbox alerts. */
async function childProtectionRecipients(keepsafe: TestKeepsafe): Promise<Set<string>> {
  const actor = await keepsafe.service.resolveActor(teacher.oid, { mfa: true });
  const pupilId = (await keepsafe.service.searchPupils(actor, "a"))[0].id;
  const res = await keepsafe.api("/api/incidents", await keepsafe.tokenFor(dsl), {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      submissionId: randomUUID(),
      source: "tab",
      pupilId,
      occurredAt: hourAgo(),
      account: "A strategy discussion was held today.",
      categoryIds: ["child-protection"],
      alertStaffIds: [],
    }),
  });
  const body = (await res.json()) as { incident: { id: string } };
  assert.equal(res.status, 201, JSON.stringify(body));
  return new Set((await keepsafe.records.outboxForIncident(body.incident.id, pupilId)).map((m) => m.recipientStaffId));
}

/** As an Entra admin would: through the sandbox's local-only admin endpoint. */
async function assignInEntra(keepsafe: TestKeepsafe, oid: string, roles: string[]) {
  const res = await fetch(new URL("/_sandbox/directory/assignments", keepsafe.local.graph!.pageUrl), {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ oid, roles }),
  });
  assert.equal(res.status, 200, await res.text());
}

/** Read from the store itself, past the in-process cache. */
const directoryOf = async (keepsafe: TestKeepsafe) => (await keepsafe.service["deps"].roleDirectories!["store"].get("demo-school"))?.directory;
const roleIn = async (keepsafe: TestKeepsafe, staff: DemoStaffMember) =>
  (await directoryOf(keepsafe))?.entries.find((e) => e.staffId === staff.oid)?.role;

async function capturingWarnings<T>(run: () => Promise<T>): Promise<{ result: T; warnings: Record<string, unknown>[] }> {
  const warnings: Record<string, unknown>[] = [];
  const original = roleDirectoryLog.warn;
  roleDirectoryLog.warn = ((obj: Record<string, unknown>) => void warnings.push(obj)) as typeof original;
  try {
    return { result: await run(), warnings };
  } finally {
    roleDirectoryLog.warn = original;
  }
}

describe("role directory sync from Entra app roles", function () {
  this.timeout(90_000);
  let keepsafe: TestKeepsafe;

  beforeEach(async () => {
    keepsafe = await startTestKeepsafe({ KEEPSAFE_ROLE_SOURCE: "app-roles" });
    // The start-up sync; runOnce waits for it and syncs once more.
    assert.equal((await keepsafe.roleSync!.runOnce()).outcome, "synced");
  });
  afterEach(async () => keepsafe?.cleanup());

  it("role sync: a deputy DSL whose app role is removed in Entra is not alerted to a new Child Protection record after one sync, and a teacher given DSL is", async () => {
    const before = await childProtectionRecipients(keepsafe);
    assert.ok(before.has(ddsl.oid) && !before.has(teacher.oid), "as synced at start-up: the tenant's deputy DSL, not the teacher");

    await assignInEntra(keepsafe, ddsl.oid, ["Keepsafe.Staff"]);
    await assignInEntra(keepsafe, teacher.oid, ["Keepsafe.DSL"]);
    const outcome = await keepsafe.roleSync!.runOnce();
    assert.equal(outcome.outcome, "synced");

    const after = await childProtectionRecipients(keepsafe);
    assert.ok(!after.has(ddsl.oid), "staff.csv still says DDSL, the tenant no longer does");
    assert.ok(after.has(teacher.oid), "the tenant's new DSL is alerted");
    assert.ok(after.has(dsl.oid));
  });

  it("role sync: the bot, which has no token, acts with the synced role", async () => {
    await assignInEntra(keepsafe, teacher.oid, ["Keepsafe.DSL"]);
    await assignInEntra(keepsafe, ddsl.oid, []);
    await keepsafe.roleSync!.runOnce();
    const asks = async (staff: DemoStaffMember) => {
      const chat = new BotConversation(keepsafe.url, keepsafe.local.connector!, staff, keepsafe.config.identity.tenantId);
      const form = await chat.sendAndWaitForCard("hello");
      const refreshed = await chat.execute("refreshConcernForm", {
        ...form.actions[0].data,
        categoryIds: "safeguarding",
        verb: "refreshConcernForm",
      });
      assert.equal(refreshed.status, 200);
      return Boolean(input(refreshed.body.value, "toldDslInPerson"));
    };
    assert.equal(await asks(teacher), false, "a DSL in the tenant (a teacher on staff.csv) is not asked whether a DSL was told");
    assert.equal(await asks(ddsl), true, "a deputy on staff.csv with no app role left is staff in the bot");
  });

  it("role sync: a Graph outage during a sync keeps the last directory and logs a structured warning", async () => {
    const kept = await directoryOf(keepsafe);
    await assignInEntra(keepsafe, ddsl.oid, []);
    keepsafe.local.graph!.injectFaults({ status: 503, count: 1 });
    const { result, warnings } = await capturingWarnings(() => keepsafe.roleSync!.runOnce());
    assert.equal(result.outcome, "failed");
    assert.deepEqual(await directoryOf(keepsafe), kept, "the last good directory, unchanged");
    assert.equal(await roleIn(keepsafe, ddsl), "DDSL");
    const warning = warnings.find((w) => w.event === SYNC_FAILED);
    assert.ok(warning, JSON.stringify(warnings));
    assert.deepEqual(warning.kept, [{ schoolId: "demo-school", version: kept!.version }]);
    assert.deepEqual(warning.neverSynced, []);
    assert.doesNotMatch(JSON.stringify(warnings), new RegExp(`${ddsl.displayName}|${dsl.displayName}`), "ids and codes, never names");
    assert.ok((await childProtectionRecipients(keepsafe)).has(ddsl.oid), "alerts follow the last good directory");
  });

  it("role sync: follows Graph's @odata.nextLink through every page", async () => {
    keepsafe.local.graph!.setDirectoryPageSize(2);
    await assignInEntra(keepsafe, teacher.oid, ["Keepsafe.SLT", "Keepsafe.DSL"]);
    assert.equal((await keepsafe.roleSync!.runOnce()).outcome, "synced");
    // Seven demo staff hold eight assignments: four pages of two; the teacher's DSL is among the last.
    assert.equal(await roleIn(keepsafe, teacher), "DSL", "most senior of the two");
    assert.equal(await roleIn(keepsafe, dsl), "DSL");
    assert.equal(await roleIn(keepsafe, ddsl), "DDSL");
    assert.equal((await directoryOf(keepsafe))!.entries.length, 7);
  });

  it("role sync: refuses __proto__ as a staff id or as an app role value in Graph's answer, by name, and keeps the last directory", async () => {
    const kept = await directoryOf(keepsafe);
    await assignInEntra(keepsafe, "__proto__", ["Keepsafe.DSL"]);
    const asId = await capturingWarnings(() => keepsafe.roleSync!.runOnce());
    assert.equal(asId.result.outcome, "failed");
    assert.match((asId.result as { reason: string }).reason, /"__proto__" cannot be a staff id/);
    await assignInEntra(keepsafe, "__proto__", []);

    await assignInEntra(keepsafe, teacher.oid, ["__proto__"]);
    const asValue = await capturingWarnings(() => keepsafe.roleSync!.runOnce());
    assert.match((asValue.result as { reason: string }).reason, /"__proto__" cannot be an app role value/);
    assert.ok(asValue.warnings.some((w) => w.event === SYNC_FAILED && /__proto__/.test(String(w.reason))));
    assert.deepEqual(await directoryOf(keepsafe), kept);
  });

  it("role sync: a fresh token's role at sign-in updates that person's entry at once (newest wins), and an older token does not", async () => {
    const olderToken = await keepsafe.tokenFor(ddsl);
    await assignInEntra(keepsafe, ddsl.oid, []);
    await keepsafe.roleSync!.runOnce();
    assert.equal(await roleIn(keepsafe, ddsl), "STAFF");
    // Tokens carry iat to the second; make the sync's read clearly newer than the older token.
    await new Promise((r) => setTimeout(r, 1100));
    assert.equal((await keepsafe.api("/api/me", olderToken)).status, 200);
    assert.equal(await roleIn(keepsafe, ddsl), "STAFF", "a token issued before the sync read is older news");

    await assignInEntra(keepsafe, ddsl.oid, ["Keepsafe.DeputyDSL"]);
    assert.equal((await keepsafe.api("/api/me", await keepsafe.tokenFor(ddsl))).status, 200);
    assert.equal(await roleIn(keepsafe, ddsl), "DDSL");
    assert.ok((await childProtectionRecipients(keepsafe)).has(ddsl.oid), "alerted before the next sync");
  });
});

describe("role directory never synced", function () {
  this.timeout(90_000);
  let keepsafe: TestKeepsafe;
  after(async () => keepsafe?.cleanup());

  it("role sync: when Graph was never reachable, alerts to DSLs fall back to staff.csv's DSLs, and both the sync and the fallback say so", async () => {
    // Graph at an address nothing listens on: the start-up sync cannot read it.
    keepsafe = await startTestKeepsafe({
      KEEPSAFE_ROLE_SOURCE: "app-roles",
      GRAPH_BASE_URL: "http://127.0.0.1:9/v1.0",
      GRAPH_ALERTS_MAILBOX: "keepsafe-alerts@school.example",
    });
    const { result, warnings } = await capturingWarnings(async () => {
      const synced = await keepsafe.roleSync!.runOnce();
      return { synced, recipients: await childProtectionRecipients(keepsafe) };
    });
    assert.equal(result.synced.outcome, "failed");
    assert.equal(await directoryOf(keepsafe), undefined);
    assert.ok(result.recipients.has(ddsl.oid), "staff.csv's deputy DSL is alerted: a safeguarding alert never goes nowhere");
    const failed = warnings.find((w) => w.event === SYNC_FAILED);
    assert.deepEqual(failed?.neverSynced, ["demo-school"]);
    assert.ok(
      warnings.some((w) => w.event === NEVER_SYNCED && w.schoolId === "demo-school"),
      JSON.stringify(warnings),
    );
  });
});
