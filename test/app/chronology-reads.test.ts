/**
 * The chronology and the incident view cost a fixed number of store requests whatever the pupil's
 * record holds, and long chronologies come in pages joined by opaque continuations. The real
 * service over the real Cosmos adapters and the embedded Cosmos DB server; a counting proxy of the
 * ports counts the requests.
 */
import assert from "node:assert/strict";
import { isKeepsafeError } from "../../src/domain/errors.js";
import { DEMO_SCHOOL_ID } from "../../src/local/demo-school.js";
import type { Pupil } from "../../src/domain/school.js";
import { startKeepsafeFixture, type KeepsafeFixture } from "../support/keepsafe-fixture.js";
import { countedService, seedChronology } from "./support/counted-reads.js";

describe("chronology reads: store requests and paging", function () {
  this.timeout(240_000);
  let fx: KeepsafeFixture;
  let pupils: Pupil[];
  let small: string[];
  let large: string[];

  before(async function () {
    fx = await startKeepsafeFixture("chronology-reads", "2025-07-01T10:00:00.000Z");
    pupils = await fx.stores.schoolStore.listPupils(DEMO_SCHOOL_ID);
    const dsl = fx.actorFor("DSL");
    small = await seedChronology(fx.service, dsl, pupils[0].id, 10, pupils[2].id);
    large = await seedChronology(fx.service, dsl, pupils[1].id, 100, pupils[3].id);
  });
  after(async () => {
    await fx?.close();
  });

  it("makes as many store requests for a chronology of 100 incidents as for one of 10", async () => {
    const { service, counter } = countedService(fx);
    const dsl = fx.actorFor("DSL");
    const a = await service.getChronology(dsl, pupils[0].id);
    const forTen = counter.total();
    counter.reset();
    const b = await service.getChronology(dsl, pupils[1].id);
    assert.equal(a.entries.length, 15, "10 incidents and 5 actions");
    assert.equal(b.entries.length, 150, "100 incidents and 50 actions");
    assert.equal(counter.total(), forTen, `store requests grew with entries: ${[...counter.byMethod()].join(" ")}`);
    assert.ok(forTen <= 5, `a chronology costs at most 5 store requests, made ${forTen}`);
  });

  it("makes as many store requests for an incident view however many actions and links it has", async () => {
    const { service, counter } = countedService(fx);
    const dsl = fx.actorFor("DSL");
    // The first seeded incident has a linked pupil and an action; add more actions to the large one.
    for (let i = 0; i < 12; i++) {
      await fx.service.addAction(dsl, {
        incidentId: large[0],
        requestId: `more-${i}-xxxxxxxx`,
        text: `More ${i}.`,
        occurredAt: "2025-06-30T09:00:00.000Z",
      });
    }
    const few = await service.getIncidentView(dsl, small[0]);
    const forFew = counter.total();
    counter.reset();
    const many = await service.getIncidentView(dsl, large[0]);
    assert.equal(few.actions.length, 1);
    assert.equal(many.actions.length, 13);
    assert.equal(many.incident.linkedPupils.length, 1);
    assert.notEqual(many.incident.linkedPupils[0].displayName, "Unknown pupil");
    assert.equal(counter.total(), forFew, `store requests grew with actions: ${[...counter.byMethod()].join(" ")}`);
  });

  it("shows the link on a linked pupil's chronology, with the linked incident's actions and alerts", async () => {
    const view = await fx.service.getChronology(fx.actorFor("DSL"), pupils[2].id);
    const incident = view.entries.find((e) => e.incidentId === small[0] && e.kind === "incident");
    assert.ok(incident, "the linked incident shows");
    assert.equal(incident.part, "involved");
    assert.equal(incident.unacknowledgedAlerts, 1, "the alert stored with the incident under the subject pupil is counted");
    assert.ok(
      view.entries.some((e) => e.incidentId === small[0] && e.kind === "action"),
      "the linked incident's action shows to the DSL",
    );
  });

  it("pages a long chronology with continuations and loses or repeats nothing", async () => {
    const dsl = fx.actorFor("DSL");
    const seen: string[] = [];
    let continuation: string | undefined;
    let pages = 0;
    do {
      const page = await fx.service.getChronology(dsl, pupils[1].id, { pageSize: 30, ...(continuation ? { continuation } : {}) });
      seen.push(...page.entries.map((e) => `${e.incidentId}/${e.actionId ?? ""}`));
      continuation = page.continuation;
      pages++;
      assert.ok(pages < 20, "paging ends");
    } while (continuation);
    assert.equal(pages, 4, "100 incidents in pages of 30");
    assert.equal(new Set(seen).size, seen.length, "no row repeated");
    assert.equal(seen.length, 150 + 12, "every incident and action, once");
  });

  it("refuses a continuation made for another pupil, or not made by Keepsafe, as an expired page", async () => {
    const dsl = fx.actorFor("DSL");
    const first = await fx.service.getChronology(dsl, pupils[1].id, { pageSize: 5 });
    assert.ok(first.continuation);
    const forged = [
      first.continuation,
      "bm90LWpzb24",
      Buffer.from('{"__proto__":{"p":1}}').toString("base64url"),
      Buffer.from(JSON.stringify({ p: pupils[1].id, t: 5 })).toString("base64url"),
    ];
    const targets = [pupils[0].id, pupils[1].id, pupils[1].id, pupils[1].id];
    for (const [i, continuation] of forged.entries()) {
      await assert.rejects(fx.service.getChronology(dsl, targets[i], { pageSize: 5, continuation }), (e: unknown) => {
        assert.ok(isKeepsafeError(e) && e.code === "validation_failed", `token ${i}: ${String(e)}`);
        assert.equal(e.fields[0]?.field, "continuation");
        return true;
      });
    }
    // A well-formed wrapper around a token Cosmos DB did not make: the query is still this pupil's
    // partition, so at worst it starts again; it never reaches another pupil's rows.
    const tampered = Buffer.from(JSON.stringify({ p: pupils[0].id, t: "{not a token" })).toString("base64url");
    try {
      const page = await fx.service.getChronology(dsl, pupils[0].id, { pageSize: 5, continuation: tampered });
      assert.ok(
        page.entries.every((e) => small.includes(e.incidentId)),
        "only this pupil's rows",
      );
    } catch (e) {
      assert.ok(isKeepsafeError(e) && e.code === "validation_failed", String(e));
    }
  });
});
