/**
 * The safeguarding team's home counts in the store: the policy lets a DSL or deputy see every
 * record but one in which they are the subject of an allegation, so each count is a COUNT in the
 * store, not the matching records read to the client. Counted at the Cosmos DB protocol through
 * the fault proxy (no faults), which counts requests and the documents each answer carries.
 */
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { DEMO_SCHOOL_ID, DEMO_STAFF } from "../../src/local/demo-school.js";
import type { Actor } from "../../src/domain/actor.js";
import type { Pupil } from "../../src/domain/school.js";
import type { HomeListId } from "../../src/contract/requests.js";
import { startKeepsafeFixture, type KeepsafeFixture } from "../support/keepsafe-fixture.js";

const NOW = "2025-06-30T10:00:00.000Z";
const dsl = DEMO_STAFF.find((s) => s.role === "DSL")!;
const deputy = DEMO_STAFF.find((s) => s.role === "DDSL")!;
const URGENT = 300;

describe("the safeguarding team's home counts in the store", function () {
  this.timeout(600_000);
  let fx: KeepsafeFixture;
  let pupils: Pupil[];

  before(async () => {
    fx = await startKeepsafeFixture("home-counts", NOW, { proxy: true });
    pupils = await fx.stores.schoolStore.listPupils(DEMO_SCHOOL_ID);
  });
  after(async () => {
    await fx?.close();
  });

  /** An urgent safeguarding concern (a DSL "not yet" told in person) by a member of staff, alerting the DSL. */
  const urgentConcern = (i: number, allegationAbout?: string) =>
    fx.service.recordIncident(fx.actorFor("STAFF"), {
      submissionId: randomUUID(),
      pupilId: pupils[i % pupils.length].id,
      categoryIds: ["safeguarding"],
      occurredAt: new Date(fx.clock.now().getTime() - 60_000).toISOString(),
      account: `Seeded urgent concern ${i}.`,
      alertStaffIds: [dsl.oid],
      source: "tab",
      toldDslInPerson: "not-yet",
      ...(allegationAbout ? { allegationAgainstStaff: { staffIds: [allegationAbout] } } : {}),
    });

  /** One home load: its counts by list, and what it cost at the store. */
  const load = async (actor: Actor) => {
    const before = fx.proxy!.counts();
    const home = await fx.service.home(actor);
    const after = fx.proxy!.counts();
    return {
      counts: new Map(home.counts.map((c) => [c.list, c.count] as const)),
      requests: after.forwarded - before.forwarded,
      documents: after.documents - before.documents,
    };
  };

  it("home counts in store: a DSL's home with 300 urgent records reads far fewer documents, and each count is its list's length", async () => {
    for (let i = 0; i < URGENT; i += 5) await Promise.all(Array.from({ length: 5 }, (_, j) => urgentConcern(i + j)));
    // One about the deputy: the DSL counts it, the deputy (its subject) must not.
    await urgentConcern(URGENT, deputy.oid);

    for (const [who, urgent] of [
      ["DSL", URGENT + 1],
      ["DDSL", URGENT],
    ] as const) {
      const actor = fx.actorFor(who);
      // The unread list starts from the reader's unread alerts (their ids, read from the alerts
      // themselves); what that read costs is measured alone and taken off: the counts are the rest.
      const before = fx.proxy!.counts();
      await fx.stores.recordStore.unreadAlertIncidents(DEMO_SCHOOL_ID, actor.staffId);
      const alertDocuments = fx.proxy!.counts().documents - before.documents;
      const home = await load(actor);
      assert.equal(home.counts.get("urgent"), urgent, `${who}: urgent`);
      assert.equal(home.counts.get("new-today"), urgent, `${who}: new today`);
      const counted = home.documents - alertDocuments;
      assert.ok(counted < 30, `${who}: the counts read ${counted} documents (${home.requests} requests, ${alertDocuments} alerts)`);
      for (const [list, count] of home.counts) {
        const shown = await fx.service.homeList(actor, list as HomeListId);
        const length = list === "tasks-due" ? (shown.actions ?? []).length : shown.records.length;
        assert.equal(count, length, `${who}: ${list} counts ${count}, its list holds ${length}`);
      }
    }
  });
});
