/**
 * Recording the whole incident through the real KeepsafeService, stored in the embedded local
 * Cosmos DB server through the real adapters: every field as stored, linked pupils' own parts in
 * their chronologies, the told-DSL question and URGENT alerts, allegations routed around the adult
 * they name, and every kind of bad input refused with nothing stored.
 */
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import type { RecordIncidentInput } from "../../src/app/record-incident.js";
import type { Actor } from "../../src/domain/actor.js";
import { isKeepsafeError, type KeepsafeError } from "../../src/domain/errors.js";
import { LIMITS } from "../../src/domain/limits.js";
import type { Pupil } from "../../src/domain/school.js";
import { DEMO_SCHOOL_ID, DEMO_STAFF } from "../../src/local/demo-school.js";
import { startKeepsafeFixture, type KeepsafeFixture } from "../support/keepsafe-fixture.js";

// Tuesday 1 July 2025, 11:00 in London (BST).
const NOW = "2025-07-01T10:00:00.000Z";
const head = DEMO_STAFF.find((s) => s.headTeacher)!; // also the DSL
const ddsl = DEMO_STAFF.find((s) => s.role === "DDSL")!;
const slt = DEMO_STAFF.find((s) => s.role === "SLT")!;
const teacher = DEMO_STAFF.find((s) => s.role === "STAFF")!;
const CHAIR = "0c4a1f2e-7b3d-4e5f-9a6b-8c7d6e5f4a01";

describe("record an incident: the whole form", function () {
  this.timeout(20_000);
  let fx: KeepsafeFixture;
  let pupils: Pupil[];
  let archived: Pupil;
  let staff: Actor;

  before(async function () {
    this.timeout(60_000);
    fx = await startKeepsafeFixture("record-incident", NOW);
    const all = await fx.stores.schoolStore.listPupils(DEMO_SCHOOL_ID);
    pupils = all.slice(0, 6);
    archived = { ...all[10], archived: true };
    await fx.stores.schoolStore.upsertPupils(DEMO_SCHOOL_ID, [archived]);
    // A chair of governors, for allegations about the head.
    await fx.stores.schoolStore.upsertStaff(DEMO_SCHOOL_ID, [
      { id: CHAIR, schoolId: DEMO_SCHOOL_ID, displayName: "Chair of Governors", email: "chair@oakfield-demo.example", role: "STAFF", active: true },
    ]);
    const school = (await fx.stores.schoolStore.getSchool(DEMO_SCHOOL_ID))!;
    assert.equal(school.headTeacherStaffId, head.oid, "the demo head is the DSL");
    await fx.stores.schoolStore.saveSchool({ ...school, chairOfGovernorsStaffId: CHAIR });
    staff = fx.actorFor("STAFF");
  });
  after(async () => {
    await fx?.close();
  });

  const base = (extra: Partial<RecordIncidentInput> = {}): RecordIncidentInput => ({
    submissionId: randomUUID(),
    pupilId: pupils[0].id,
    categoryIds: ["welfare"],
    occurredAt: "2025-07-01T08:30:00.000Z",
    account: 'Arrived without breakfast and said "there was nothing in". Gave toast from the breakfast club.',
    alertStaffIds: [ddsl.oid],
    source: "bot",
    ...extra,
  });

  async function refused(actor: Actor, input: RecordIncidentInput): Promise<KeepsafeError> {
    let error: unknown;
    try {
      await fx.service.recordIncident(actor, input);
    } catch (e) {
      error = e;
    }
    assert.ok(isKeepsafeError(error), `expected a KeepsafeError, got ${String(error)}`);
    assert.equal(error.code, "validation_failed");
    assert.equal(await fx.stores.recordStore.findBySubmission(input.submissionId), undefined, "nothing stored");
    return error;
  }
  const fieldsOf = (e: KeepsafeError) => e.fields.map((f) => f.field);
  const messageFor = (e: KeepsafeError, field: string) => e.fields.find((f) => f.field === field)?.message ?? "";

  it("stores every field of a full incident", async () => {
    const input = base({
      categoryIds: ["behaviour", "bullying"],
      subCategoryIds: ["damage", "online-bullying"],
      categoryFields: {
        behaviour: { deescalation: ["Calm talking", "Time out offered"], outcomes: ["Near miss"] },
        bullying: { investigation: ["Victim spoken to"], "further-measures": "  Seating plan changed  " },
      },
      // 00:30 on Monday 30 June in London is still Sunday in UTC.
      occurredAt: "2025-06-29T23:30:00.000Z",
      session: "before-school",
      location: "Playground",
      linkedPupils: [
        { pupilId: pupils[1].id, part: "alleged-victim" },
        { pupilId: pupils[2].id, part: "witness" },
      ],
      status: "active",
      assignedToStaffId: slt.oid,
      agencyInvolved: "Early help",
      plannerReminder: { date: "2025-07-08", time: "09:15", note: "Check with class teacher" },
    });
    const { incident, created } = await fx.service.recordIncident(staff, input);
    assert.equal(created, true);
    const stored = (await fx.stores.recordStore.getIncident(incident.id))!;
    assert.equal(stored.pupilId, pupils[0].id);
    assert.deepEqual(stored.categoryIds, ["behaviour", "bullying"]);
    assert.deepEqual(stored.subCategoryIds, ["damage", "online-bullying"]);
    assert.deepEqual(stored.categoryFields, {
      behaviour: { deescalation: ["Calm talking", "Time out offered"], outcomes: ["Near miss"] },
      bullying: { investigation: ["Victim spoken to"], "further-measures": "Seating plan changed" },
    });
    assert.equal(stored.occurredAt, "2025-06-29T23:30:00.000Z");
    assert.equal(stored.dayOfWeek, "Monday", "the day in the school's zone, not UTC");
    assert.equal(stored.session, "before-school");
    assert.equal(stored.location, "Playground");
    assert.deepEqual(stored.linkedPupils, input.linkedPupils);
    assert.equal(stored.status, "active");
    assert.equal(stored.assignedToStaffId, slt.oid);
    assert.ok(stored.alertedStaffIds.includes(slt.oid), "the assignee is alerted so they can read it");
    assert.ok(stored.alertedStaffIds.includes(ddsl.oid));
    assert.equal(stored.agencyInvolved, "Early help");
    assert.deepEqual(stored.plannerReminder, { date: "2025-07-08", time: "09:15", note: "Check with class teacher" });
    assert.equal(stored.urgent, false);
    assert.equal(stored.toldDslInPerson, undefined, "not asked: no disclosure or protected category");
    assert.equal(stored.allegationSubjectStaffIds, undefined);
    assert.equal(stored.raisedBy.staffId, teacher.oid);
    assert.match(stored.reference, /^KS-[2-9A-HJ-NP-Z]{7}$/);
  });

  it("shows a linked incident in each linked pupil's chronology with that pupil's own part", async () => {
    const [victim, perpetrator, witness] = [pupils[3], pupils[4], pupils[5]];
    const onVictim = await fx.service.recordIncident(
      staff,
      base({
        pupilId: victim.id,
        categoryIds: ["bullying"],
        linkedPupils: [
          { pupilId: perpetrator.id, part: "alleged-perpetrator" },
          { pupilId: witness.id, part: "witness" },
        ],
      }),
    );
    // And the other way round: an incident held on the perpetrator's record, linking the victim.
    const onPerpetrator = await fx.service.recordIncident(
      staff,
      base({ pupilId: perpetrator.id, categoryIds: ["behaviour"], linkedPupils: [{ pupilId: victim.id, part: "alleged-victim" }] }),
    );
    const dsl = fx.actorFor("DSL");
    const partIn = async (pupilId: string, incidentId: string) =>
      (await fx.service.getChronology(dsl, pupilId)).entries.find((e) => e.incidentId === incidentId)?.part;
    assert.equal(await partIn(victim.id, onVictim.incident.id), "subject");
    assert.equal(await partIn(perpetrator.id, onVictim.incident.id), "alleged-perpetrator");
    assert.equal(await partIn(witness.id, onVictim.incident.id), "witness");
    assert.equal(await partIn(perpetrator.id, onPerpetrator.incident.id), "subject");
    assert.equal(await partIn(victim.id, onPerpetrator.incident.id), "alleged-victim");
    assert.equal(await partIn(witness.id, onPerpetrator.incident.id), undefined, "not linked, not shown");
  });

  describe("told a DSL in person", () => {
    it("is required when a member of staff raises a protected category", async () => {
      const e = await refused(staff, base({ categoryIds: ["safeguarding"] }));
      assert.deepEqual(fieldsOf(e), ["toldDslInPerson"]);
      assert.match(messageFor(e, "toldDslInPerson"), /told a DSL in person/);
    });

    it("is required for a disclosure in any category", async () => {
      const e = await refused(staff, base({ categoryIds: ["welfare"], disclosure: true }));
      assert.deepEqual(fieldsOf(e), ["toldDslInPerson"]);
    });

    it("'not yet' makes the record urgent, and every alert's subject says URGENT", async () => {
      const { incident } = await fx.service.recordIncident(staff, base({ categoryIds: ["safeguarding"], toldDslInPerson: "not-yet" }));
      const stored = (await fx.stores.recordStore.getIncident(incident.id))!;
      assert.equal(stored.urgent, true);
      assert.equal(stored.toldDslInPerson, false);
      const outbox = await fx.stores.recordStore.outboxForIncident(incident.id, incident.pupilId);
      assert.ok(outbox.length > 0);
      for (const m of outbox) {
        assert.match(m.content.subject, /^URGENT: /);
        assert.equal(m.content.urgent, true);
      }
      const alerts = await fx.stores.recordStore.alertsForIncident(incident.id, incident.pupilId);
      assert.ok(alerts.every((a) => a.urgent));
    });

    it("'yes' is recorded and not urgent; a DSL is never asked", async () => {
      const told = await fx.service.recordIncident(staff, base({ categoryIds: ["safeguarding"], toldDslInPerson: "yes" }));
      assert.equal(told.incident.urgent, false);
      assert.equal(told.incident.toldDslInPerson, true);
      const byDsl = await fx.service.recordIncident(fx.actorFor("DSL"), base({ categoryIds: ["safeguarding"], disclosure: true }));
      assert.equal(byDsl.incident.urgent, false);
      assert.equal(byDsl.incident.toldDslInPerson, undefined);
      const outbox = await fx.stores.recordStore.outboxForIncident(told.incident.id, told.incident.pupilId);
      assert.ok(outbox.every((m) => !m.content.subject.includes("URGENT")));
    });
  });

  describe("allegation against an adult who works here", () => {
    it("goes to the head teacher and never to the adult named, even if chosen", async () => {
      const { incident } = await fx.service.recordIncident(
        fx.actorFor("STAFF2"),
        base({ categoryIds: ["welfare"], alertStaffIds: [teacher.oid], allegationAgainstStaff: { staffIds: [teacher.oid] } }),
      );
      assert.deepEqual(incident.alertedStaffIds, [head.oid]);
      assert.deepEqual(incident.allegationSubjectStaffIds, [teacher.oid]);
      const outbox = await fx.stores.recordStore.outboxForIncident(incident.id, incident.pupilId);
      assert.ok(!outbox.some((m) => m.recipientStaffId === teacher.oid));
    });

    it("goes to the chair of governors when the head is named", async () => {
      const { incident } = await fx.service.recordIncident(
        staff,
        base({ categoryIds: ["welfare"], alertStaffIds: [head.oid], allegationAgainstStaff: { staffIds: [head.oid] } }),
      );
      assert.deepEqual(incident.alertedStaffIds, [CHAIR]);
    });

    it("never reaches a named DSL, even through the safeguarding team's automatic alert, and the DSL sees nothing", async () => {
      const raisedBy = fx.actorFor("STAFF2");
      const { incident } = await fx.service.recordIncident(
        raisedBy,
        base({
          categoryIds: ["safeguarding"],
          toldDslInPerson: "yes",
          alertGroupIds: ["safeguarding-team"],
          allegationAgainstStaff: { staffIds: [head.oid] },
        }),
      );
      assert.ok(!incident.alertedStaffIds.includes(head.oid), "the named DSL is not alerted");
      assert.ok(incident.alertedStaffIds.includes(CHAIR), "the chair is, as the head is named");
      assert.ok(incident.alertedStaffIds.includes(ddsl.oid), "the other safeguarding lead still is");
      const alerts = await fx.stores.recordStore.alertsForIncident(incident.id, incident.pupilId);
      assert.ok(!alerts.some((a) => a.staffId === head.oid));
      const outbox = await fx.stores.recordStore.outboxForIncident(incident.id, incident.pupilId);
      assert.ok(!outbox.some((m) => m.recipientStaffId === head.oid));

      const namedDsl = fx.actorFor("DSL");
      const chronology = await fx.service.getChronology(namedDsl, incident.pupilId);
      assert.ok(!chronology.entries.some((e) => e.incidentId === incident.id), "not in the chronology");
      await assert.rejects(fx.service.getIncidentView(namedDsl, incident.id), (e: unknown) => isKeepsafeError(e) && e.code === "not_found");
      await assert.rejects(fx.service.acknowledgeAlert(namedDsl, incident.id), (e: unknown) => isKeepsafeError(e) && e.code === "not_found");
      // The other lead still reads it.
      const other = await fx.service.getIncidentView(fx.actorFor("DDSL"), incident.id);
      assert.equal(other.incident.id, incident.id);
    });

    it("refuses someone not on the staff list, and an assignee who is named", async () => {
      const unknown = await refused(staff, base({ allegationAgainstStaff: { staffIds: [randomUUID()] } }));
      assert.deepEqual(fieldsOf(unknown), ["allegationStaffIds"]);
      const assigned = await refused(staff, base({ assignedToStaffId: ddsl.oid, allegationAgainstStaff: { staffIds: [ddsl.oid] } }));
      assert.deepEqual(fieldsOf(assigned), ["assignedToStaffId"]);
    });
  });

  describe("bad input: a clear message on the card input, and nothing stored", () => {
    const cases: [string, () => Partial<RecordIncidentInput>, string, RegExp][] = [
      ["missing pupil", () => ({ pupilId: "" }), "pupilId", /Choose the pupil/],
      ["unknown pupil id", () => ({ pupilId: "pupil-does-not-exist" }), "pupilId", /school's list/],
      ["forged category id", () => ({ categoryIds: ["made-up"] }), "categoryIds", /not in this school's list/],
      ["Child Protection by staff", () => ({ categoryIds: ["child-protection"] }), "categoryIds", /Only a DSL can allocate Child Protection/],
      ["Child in Need by staff", () => ({ categoryIds: ["child-in-need"] }), "categoryIds", /Only a DSL can allocate Child in Need/],
      ["date in the future", () => ({ occurredAt: "2025-07-02T10:00:00.000Z" }), "occurredAt", /cannot be in the future/],
      ["account over the limit", () => ({ account: "x".repeat(LIMITS.accountMaxLength + 1) }), "account", /at most 10,000 characters/],
      [
        "multi-select value not among the options",
        () => ({ categoryIds: ["behaviour"], categoryFields: { behaviour: { outcomes: ["Near miss", "Made-up outcome"] } } }),
        "categoryFields.behaviour.outcomes",
        /from the list given/,
      ],
      [
        "text field over its limit",
        () => ({ categoryIds: ["bullying"], categoryFields: { bullying: { "further-measures": "y".repeat(LIMITS.categoryTextMaxLength + 1) } } }),
        "categoryFields.bullying.further-measures",
        /at most 1000 characters/,
      ],
      [
        "field of a category not chosen",
        () => ({ categoryIds: ["welfare"], categoryFields: { behaviour: { outcomes: ["Near miss"] } } }),
        "categoryFields.behaviour.outcomes",
        /not chosen/,
      ],
      ["sub-category of another category", () => ({ subCategoryIds: ["online-bullying"] }), "subCategoryIds", /does not belong/],
      [
        "linked pupil is the subject",
        () => ({ linkedPupils: [{ pupilId: pupils[0].id, part: "witness" }] }),
        "linkedPupil1",
        /the pupil the concern is about/,
      ],
      [
        "linked pupil twice",
        () => ({
          linkedPupils: [
            { pupilId: pupils[1].id, part: "witness" },
            { pupilId: pupils[1].id, part: "alleged-victim" },
          ],
        }),
        "linkedPupil2",
        /already linked/,
      ],
      ["linked pupil unknown", () => ({ linkedPupils: [{ pupilId: "pupil-nobody", part: "witness" }] }), "linkedPupil1", /school's list/],
      ["linked pupil archived", () => ({ linkedPupils: [{ pupilId: archived.id, part: "witness" }] }), "linkedPupil1", /school's list/],
      ["assigned to a teacher", () => ({ assignedToStaffId: teacher.oid }), "assignedToStaffId", /DSL, deputy DSL or member of SLT/],
      [
        "planner date in the past",
        () => ({ plannerReminder: { date: "2025-06-30", time: "09:00", note: "" } }),
        "plannerDate",
        /cannot be in the past/,
      ],
      ["agency too long", () => ({ agencyInvolved: "z".repeat(LIMITS.agencyMaxLength + 1) }), "agencyInvolved", /at most 200/],
      [
        "staff closing a safeguarding concern",
        () => ({ categoryIds: ["safeguarding"], toldDslInPerson: "yes", status: "closed" }),
        "status",
        /Only a DSL can close/,
      ],
    ];
    for (const [name, extra, field, message] of cases) {
      it(name, async () => {
        const e = await refused(staff, base(extra()));
        assert.ok(fieldsOf(e).includes(field), `${fieldsOf(e).join(", ")} should include ${field}`);
        assert.match(messageFor(e, field), message);
      });
    }

    it("a replayed submit stores one incident and one chronology row per pupil", async () => {
      const input = base({ linkedPupils: [{ pupilId: pupils[1].id, part: "involved" }] });
      const first = await fx.service.recordIncident(staff, input);
      const second = await fx.service.recordIncident(staff, { ...input, account: "A different account on the replay, which is ignored." });
      assert.equal(first.created, true);
      assert.equal(second.created, false);
      assert.equal(second.incident.id, first.incident.id);
      assert.equal(second.incident.account, input.account);
      for (const pupilId of [pupils[0].id, pupils[1].id]) {
        const rows = (await fx.stores.recordStore.chronology(pupilId)).filter((e) => e.incidentId === first.incident.id);
        assert.equal(rows.length, 1, pupilId);
      }
      const outbox = await fx.stores.recordStore.outboxForIncident(first.incident.id, first.incident.pupilId);
      assert.equal(outbox.length, first.incident.alertedStaffIds.length * 2, "one notification and one email each, once");
    });
  });
});
