/**
 * The bot's doors into a record, in the matrix's spirit: the alert card's "Mark as read" and "Add
 * action" posted to /api/messages as Teams does, on a standard and a protected record. Only the
 * person alerted gets through; anyone else (whatever their role) is answered as for a missing
 * record, and the attempt is audited as access.refused.
 */
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { startTestKeepsafe, staffByRole, type TestKeepsafe } from "../support/keepsafe-instance.js";
import { BotConversation } from "../support/bot-conversation.js";

describe("access matrix: the alert card's doors in Teams chat, standard and protected", function () {
  this.timeout(120_000);
  let keepsafe: TestKeepsafe;
  const dsl = staffByRole(/^DSL/);
  const slt = staffByRole(/^SLT/);
  const teacher = staffByRole(/^Teacher \(Year 3\)/);
  const admin = staffByRole(/^Admin staff/);
  const made: Record<string, { incidentId: string; pupilId: string }> = Object.create(null);
  const chat = (who: typeof dsl) => new BotConversation(keepsafe.url, keepsafe.local.connector!, who, keepsafe.config.identity.tenantId);

  before(async () => {
    keepsafe = await startTestKeepsafe();
    const pupilId = (await keepsafe.service["deps"].schools.listPupils("demo-school"))[0].id;
    for (const [kind, categoryIds] of [
      ["standard", ["behaviour"]],
      ["protected", ["safeguarding"]],
    ] as const) {
      const res = await keepsafe.api("/api/incidents", await keepsafe.tokenFor(dsl), {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          submissionId: randomUUID(),
          source: "tab",
          pupilId,
          categoryIds,
          alertStaffIds: [admin.oid],
          occurredAt: new Date(Date.now() - 3600_000).toISOString(),
          account: "Upset after lunch.",
        }),
      });
      assert.equal(res.status, 201, await res.clone().text());
      made[kind] = { incidentId: ((await res.json()) as any).incident.id, pupilId };
    }
  });
  after(async () => keepsafe?.cleanup());

  for (const kind of ["standard", "protected"]) {
    for (const who of [teacher, slt]) {
      it(`${kind}: ${who.label} (not alerted) is answered as for a missing record on both doors, audited`, async () => {
        const { incidentId, pupilId } = made[kind];
        const conversation = chat(who);
        for (const verb of ["acknowledgeAlert", "openAddAction"]) {
          const refused = await conversation.execute(verb, { incidentId });
          const missing = await conversation.execute(verb, { incidentId: "incident-that-does-not-exist" });
          assert.equal(refused.body.value.code, "not_found", verb);
          assert.deepEqual(refused.body, missing.body, verb);
        }
        const audit = await keepsafe.service["deps"].records.auditForPupil(pupilId);
        assert.ok(audit.some((e) => e.type === "access.refused" && e.actorStaffId === who.oid && e.incidentId === incidentId && e.via === "bot"));
      });
    }
    it(`${kind}: the admin who was alerted marks it read from the card, audited from the bot`, async () => {
      const { incidentId, pupilId } = made[kind];
      const read = await chat(admin).execute("acknowledgeAlert", { incidentId });
      assert.equal(read.body.statusCode, 200, JSON.stringify(read.body));
      const audit = await keepsafe.service["deps"].records.auditForPupil(pupilId);
      assert.ok(audit.some((e) => e.type === "alert.acknowledged" && e.actorStaffId === admin.oid && e.incidentId === incidentId && e.via === "bot"));
    });
  }
});
