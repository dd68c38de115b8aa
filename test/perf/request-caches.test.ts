/**
 * The caches that made submits and searches cheaper keep their answers right: the staff list kept
 * per roster version follows an import made by another client of the same store (as the CLI in
 * another process does), and a chat's conversation reference is written again only when it changes.
 * The whole Keepsafe in-process over HTTP, with the embedded Cosmos DB server.
 */
import assert from "node:assert/strict";
import { createCosmosStores, type CosmosStores } from "../../src/adapters/cosmos/index.js";
import { connectOrStartLocalCosmos } from "../../src/local/cosmos/local-cosmos.js";
import { importSchool } from "../../src/app/import-school.js";
import { DEMO_SCHOOL_ID, DEMO_STAFF } from "../../src/local/demo-school.js";
import { startTestKeepsafe, staffByRole, type TestKeepsafe } from "../support/keepsafe-instance.js";
import { BotConversation } from "../support/bot-conversation.js";

const staffCsv = (roleOf: (oid: string, role: string) => string) =>
  [
    "aad_object_id,display_name,email,role,head_teacher,scope",
    ...DEMO_STAFF.map((s) => [s.oid, s.displayName, s.email, roleOf(s.oid, s.role), s.headTeacher ? "yes" : "", s.scope ?? ""].join(",")),
  ].join("\n") + "\n";

describe("request caches: staff per roster version, conversation references on change", function () {
  this.timeout(120_000);
  let keepsafe: TestKeepsafe;
  let other: CosmosStores;
  const teacher = staffByRole(/^Teacher \(Year 3\)/);

  before(async () => {
    keepsafe = await startTestKeepsafe({ LOG_LEVEL: "silent" });
    // A second client of the same store, as the keepsafe CLI in another process is.
    const cosmos = await connectOrStartLocalCosmos(keepsafe.dataDir);
    other = await createCosmosStores({
      endpoint: cosmos.endpoint,
      key: cosmos.key,
      caPem: cosmos.caPem,
      databaseId: keepsafe.config.cosmos.databaseId,
    });
  });
  after(async () => {
    other?.dispose();
    await keepsafe?.cleanup();
  });

  it("request caches: a role changed by a staff import elsewhere counts at the next tab request", async () => {
    const token = await keepsafe.tokenFor(teacher, { mfa: true });
    const me = async () => {
      const res = await keepsafe.api("/api/me", token);
      assert.equal(res.status, 200);
      return ((await res.json()) as { role: string }).role;
    };
    assert.equal(await me(), "STAFF");
    assert.equal(await me(), "STAFF"); // answered from the kept staff list
    await importSchool(
      { schools: other.schoolStore },
      { schoolId: DEMO_SCHOOL_ID, staffCsv: staffCsv((oid, role) => (oid === teacher.oid ? "DSL" : role)) },
    );
    assert.equal(await me(), "DSL");
    await importSchool({ schools: other.schoolStore }, { schoolId: DEMO_SCHOOL_ID, staffCsv: staffCsv((_, role) => role) });
    assert.equal(await me(), "STAFF");
  });

  it("request caches: a conversation reference is written once while it stays the same, and again when it changes", async () => {
    const tenantId = keepsafe.config.identity.tenantId;
    const chat = new BotConversation(keepsafe.url, keepsafe.local.connector!, teacher, tenantId);
    const search = (id: string, queryText: string, conversationId = chat.conversationId) =>
      chat.post({
        id,
        type: "invoke",
        name: "application/search",
        value: { queryText, queryOptions: { skip: 0, top: 15 }, dataset: "pupils" },
        conversation: { id: conversationId, conversationType: "personal", tenantId },
      });
    // The stored reference carries the id of the activity it was written from.
    const stored = async () => (await other.chatAddresses.get(teacher.oid)) as { activityId?: string; conversation?: { id?: string } } | undefined;
    assert.equal((await search("first-activity", "b")).status, 200);
    assert.equal((await stored())?.activityId, "first-activity", "the first activity stores where the person can be reached");
    assert.equal((await search("second-activity", "c")).status, 200);
    assert.equal((await stored())?.activityId, "first-activity", "an unchanged reference is not written again");
    assert.equal((await search("third-activity", "d", `${chat.conversationId}-new`)).status, 200);
    const changed = await stored();
    assert.equal(changed?.activityId, "third-activity", "a changed reference is written");
    assert.equal(changed?.conversation?.id, `${chat.conversationId}-new`);
  });
});
