/**
 * The chronology's filters, urgent mark and "unread by you", through GET /api/pupils/{id}/chronology
 * against a running Keepsafe: each filter narrows to what it names (days in the school's own time
 * zone), what the reader may not see stays out whatever the filter, and bad filters are refused
 * with a message that says what to fix.
 */
import assert from "node:assert/strict";
import { startTestKeepsafe, staffByRole, type TestKeepsafe } from "../support/keepsafe-instance.js";
import type { Actor } from "../../src/domain/actor.js";

interface Row {
  kind: string;
  incidentId: string;
  categoryIds: string[];
  occurredAt: string;
  raisedBy: { staffId: string };
  status: string;
  urgent: boolean;
  unreadByYou: boolean;
  unacknowledgedAlerts: number;
}

describe("tab API: chronology filters, urgent mark and unread by you", function () {
  this.timeout(90_000);
  let keepsafe: TestKeepsafe;
  const dsl = staffByRole(/^DSL/);
  const ddsl = staffByRole(/^Deputy DSL/);
  const slt = staffByRole(/^SLT/);
  const teacher = staffByRole(/^Teacher \(Year 3\)/);
  let pupilId: string;
  const ids: Record<"behaviour" | "urgent" | "lateEvening" | "closed", string> = { behaviour: "", urgent: "", lateEvening: "", closed: "" };
  let teacherActor: Actor;
  let dslActor: Actor;

  const rows = async (staff: typeof dsl, query = "") => {
    const res = await keepsafe.api(`/api/pupils/${pupilId}/chronology${query ? `?${query}` : ""}`, await keepsafe.tokenFor(staff));
    assert.equal(res.status, 200, `${query}: ${await res.clone().text()}`);
    return ((await res.json()) as { entries: Row[] }).entries;
  };
  const incidentsOf = (list: Row[]) => [...new Set(list.map((r) => r.incidentId))].sort();

  before(async () => {
    keepsafe = await startTestKeepsafe();
    teacherActor = await keepsafe.service.resolveActor(teacher.oid, { mfa: true });
    dslActor = await keepsafe.service.resolveActor(dsl.oid, { mfa: true });
    pupilId = (await keepsafe.service.searchPupils(teacherActor, "a"))[0].id;
    const record = async (actor: Actor, submissionId: string, categoryIds: string[], occurredAt: string, extra: object = {}) =>
      (
        await keepsafe.service.recordIncident(actor, {
          submissionId,
          pupilId,
          categoryIds,
          occurredAt,
          account: "A made-up account for the filters test.",
          alertStaffIds: [],
          source: "tab",
          ...extra,
        })
      ).incident.id;
    // Behaviour, by the teacher, alerting the DSL and the deputy.
    const recordOrSay = async (...args: Parameters<typeof record>) => {
      try {
        return await record(...args);
      } catch (e) {
        throw new Error(`${args[1]}: ${JSON.stringify((e as { fields?: unknown }).fields)}`);
      }
    };
    ids.behaviour = await recordOrSay(teacherActor, "chron-filter-behaviour", ["behaviour"], "2026-03-10T10:00:00Z", {
      alertStaffIds: [dsl.oid, ddsl.oid],
    });
    // Safeguarding, by the teacher, who has not yet told a DSL in person: urgent.
    ids.urgent = await recordOrSay(teacherActor, "chron-filter-urgent", ["safeguarding"], "2026-03-12T10:00:00Z", { toldDslInPerson: "not-yet" });
    // 23:30 on 1 June in London (BST) is 22:30 UTC: it belongs to 1 June, not 2 June.
    ids.lateEvening = await recordOrSay(dslActor, "chron-filter-late", ["welfare"], "2026-06-01T22:30:00Z", { alertStaffIds: [ddsl.oid] });
    ids.closed = await recordOrSay(dslActor, "chron-filter-closed", ["welfare"], "2026-02-01T09:00:00Z", { alertStaffIds: [ddsl.oid] });
    await keepsafe.service.addAction(dslActor, {
      incidentId: ids.behaviour,
      requestId: "chron-filter-action",
      text: "Spoke to the pupil's parents.",
      occurredAt: "2026-03-11T09:00:00Z",
    });
    const res = await keepsafe.api(`/api/incidents/${ids.closed}/changes`, await keepsafe.tokenFor(dsl), {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ kind: "close", reason: "Resolved with the family.", version: 0 }),
    });
    assert.equal(res.status, 201, await res.clone().text());
  });
  after(async () => keepsafe?.cleanup());

  it("narrows by category, type, author and status, each row judged by its incident's current state", async () => {
    assert.deepEqual(incidentsOf(await rows(dsl, "categoryIds=behaviour")), [ids.behaviour]);
    assert.deepEqual(incidentsOf(await rows(dsl, "categoryIds=behaviour,safeguarding")), [ids.behaviour, ids.urgent].sort());
    const actions = await rows(dsl, "kinds=action");
    assert.deepEqual(
      actions.map((r) => [r.kind, r.incidentId]),
      [["action", ids.behaviour]],
    );
    const byTeacher = await rows(dsl, `authorId=${teacher.oid}&kinds=incident`);
    assert.deepEqual(incidentsOf(byTeacher), [ids.behaviour, ids.urgent].sort());
    assert.ok(byTeacher.every((r) => r.raisedBy.staffId === teacher.oid));
    // Closed by a later change: the status filter follows the record's current status, not the form's.
    assert.deepEqual(incidentsOf(await rows(dsl, "status=closed&kinds=incident")), [ids.closed]);
    assert.ok(!incidentsOf(await rows(dsl, "status=active")).includes(ids.closed));
    // Nothing filtered: everything is there.
    assert.deepEqual(incidentsOf(await rows(dsl)), Object.values(ids).sort());
  });

  it("takes the period as the school's calendar days, both included", async () => {
    assert.deepEqual(incidentsOf(await rows(dsl, "from=2026-06-01&to=2026-06-01")), [ids.lateEvening], "23:30 BST on 1 June is on 1 June");
    assert.deepEqual(incidentsOf(await rows(dsl, "from=2026-06-02&kinds=incident")), [], "and not on 2 June");
    // A change row is dated when it was made (today), not when its incident happened.
    assert.deepEqual(
      (await rows(dsl, "from=2026-06-02")).map((r) => [r.kind, r.incidentId]),
      [["change", ids.closed]],
    );
    assert.deepEqual(incidentsOf(await rows(dsl, "from=2026-03-10&to=2026-03-11")), [ids.behaviour]);
    assert.deepEqual(incidentsOf(await rows(dsl, "to=2026-02-28")), [ids.closed]);
    assert.deepEqual(
      (await rows(dsl, "to=2026-02-28")).map((r) => r.kind),
      ["incident"],
      "its closing is not in February",
    );
  });

  it("never lets a filter reach what the reader may not see", async () => {
    // SLT do not see safeguarding, even when they ask for it by name.
    assert.deepEqual(await rows(slt, "categoryIds=safeguarding"), []);
    assert.ok(!incidentsOf(await rows(slt)).includes(ids.urgent));
    assert.ok(!incidentsOf(await rows(slt, `authorId=${teacher.oid}`)).includes(ids.urgent));
  });

  it("marks the urgent record, and tells the reader's own unread alert from someone else's", async () => {
    const all = await rows(dsl, "kinds=incident");
    const row = (id: string) => all.find((r) => r.incidentId === id)!;
    assert.equal(row(ids.urgent).urgent, true, "told a DSL: not yet");
    assert.equal(row(ids.behaviour).urgent, false);
    assert.equal(row(ids.behaviour).unreadByYou, true, "the DSL was alerted and has not read it");
    assert.equal(row(ids.behaviour).unacknowledgedAlerts, 2);

    await keepsafe.service.acknowledgeAlert(dslActor, ids.behaviour);
    const after = (await rows(dsl, "kinds=incident")).find((r) => r.incidentId === ids.behaviour)!;
    assert.equal(after.unreadByYou, false, "read by the DSL");
    assert.equal(after.unacknowledgedAlerts, 1, "but the deputy has not read theirs");
    const forDeputy = (await rows(ddsl, "kinds=incident")).find((r) => r.incidentId === ids.behaviour)!;
    assert.equal(forDeputy.unreadByYou, true, "the deputy's own alert is still unread");
    const forSlt = (await rows(slt, "kinds=incident")).find((r) => r.incidentId === ids.behaviour)!;
    assert.equal(forSlt.unreadByYou, false, "SLT were not alerted");
    assert.equal(forSlt.unacknowledgedAlerts, 1);
  });

  it("refuses bad filters with a message saying what to fix, and stores nothing", async () => {
    const token = await keepsafe.tokenFor(dsl);
    for (const [query, message] of [
      ["kinds=incident,rumour", /Choose entry types from the list/],
      ["from=2026-13-01", /YYYY-MM-DD/],
      ["from=2026-06-02&to=2026-06-01", /first day must come before the last/],
      ["status=open", /active or closed/],
      ["authorId=%3Cscript%3E", /Not a valid id/],
      ["categoryIds=__proto__", /./],
      ["__proto__=1", /./],
    ] as const) {
      const res = await keepsafe.api(`/api/pupils/${pupilId}/chronology?${query}`, token);
      assert.equal(res.status, 400, query);
      const body = (await res.json()) as { error: { message: string } };
      assert.match(JSON.stringify(body.error), message, query);
    }
    assert.equal((await rows(dsl)).filter((r) => r.kind === "incident").length, 4, "nothing lost or added");
  });
});
