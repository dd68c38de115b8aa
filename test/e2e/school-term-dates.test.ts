/**
 * School days come from the school's own calendar (the demo school's England 2026/27 term dates),
 * against the running stack with an injected clock: a referral made on the Friday before half term
 * is due after it and nobody is chased during it; a bank holiday is not a school day for an overdue
 * alert; and reports and the governors' summary count by the school's own terms, each holiday with
 * the term before it, not by fixed months.
 */
import assert from "node:assert/strict";
import type { Clock } from "../../src/ports/clock.js";
import { startTestKeepsafe, staffByRole, type TestKeepsafe } from "../support/keepsafe-instance.js";

describe("school term dates", function () {
  this.timeout(120_000);
  const dsl = staffByRole(/^DSL/);
  const teacher = staffByRole(/^Teacher \(Year 3\)/);
  let keepsafe: TestKeepsafe;
  // Winter and early spring dates: Europe/London is on UTC, so these are wall-clock times too (May is BST: 09:00Z is 10:00).
  let now = new Date("2027-02-12T10:00:00Z");
  const clock: Clock = { now: () => now };
  const json = (body: unknown) => ({ method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  let pupilId: string;

  before(async () => {
    keepsafe = await startTestKeepsafe({}, undefined, { clock });
    const actor = await keepsafe.service.resolveActor(dsl.oid, { mfa: true });
    pupilId = (await keepsafe.service.searchPupils(actor, "a"))[0]!.id;
  });
  after(async () => keepsafe?.cleanup());

  const asDsl = async (path: string, init?: RequestInit) => keepsafe.api(path, await keepsafe.tokenFor(dsl), init);
  const runAt = async (iso: string) => {
    now = new Date(iso);
    return (await keepsafe.referralJob.runOnce()).alerted;
  };
  const refer = async (requestId: string, occurredAt: string) => {
    now = new Date(occurredAt);
    const res = await asDsl(
      `/api/pupils/${pupilId}/case-entries`,
      json({ kind: "referral", requestId, occurredAt, agencyId: "police", contact: "PC Walker, 101" }),
    );
    assert.equal(res.status, 201, await res.clone().text());
    return ((await res.json()) as { entry: { id: string } }).entry.id;
  };
  const dueDateOf = async (referralId: string) =>
    (((await (await asDsl(`/api/pupils/${pupilId}/chronology`)).json()) as any).entries as any[]).find((r) => r.caseEntryId === referralId).referral
      .dueDate as string;
  const outcome = async (referralId: string, occurredAt: string) => {
    now = new Date(occurredAt);
    const res = await asDsl(`/api/pupils/${pupilId}/referrals/${referralId}/outcome`, json({ outcome: "Police visited", occurredAt }));
    assert.equal(res.status, 201, await res.clone().text());
  };
  const alertDays = async (referralId: string) =>
    (await keepsafe.records.auditForPupil(pupilId))
      .filter((e) => e.type === "referral.overdue-alerted" && e.detail?.referralId === referralId)
      .map((e) => e.detail?.day);

  it("moves a referral's due date past half term and chases no one during it", async () => {
    // Friday 12 February 2027; the spring half term is 15-19 February.
    const id = await refer("term-dates-half-term", "2027-02-12T10:00:00Z");
    assert.equal(await dueDateOf(id), "2027-02-22", "one school day after Friday is the Monday after half term");
    for (const day of ["2027-02-15", "2027-02-16", "2027-02-17", "2027-02-18", "2027-02-19", "2027-02-22"])
      assert.equal(await runAt(`${day}T09:00:00Z`), 0, `no overdue alert on ${day}`);
    assert.equal(await runAt("2027-02-23T09:00:00Z"), 1, "overdue on the first school day past it");
    await outcome(id, "2027-02-23T11:00:00Z");
    assert.deepEqual(await alertDays(id), ["2027-02-23"]);
  });

  it("does not count a bank holiday as a school day", async () => {
    // Thursday 29 April 2027: due Friday 30 April; Monday 3 May is the early May bank holiday.
    const id = await refer("term-dates-bank-holiday", "2027-04-29T09:00:00Z");
    assert.equal(await dueDateOf(id), "2027-04-30");
    const friday = await refer("term-dates-before-bank-holiday", "2027-04-30T09:00:00Z");
    assert.equal(await dueDateOf(friday), "2027-05-04", "a day's response from Friday is due on Tuesday");
    assert.equal(await runAt("2027-05-03T09:00:00Z"), 0, "nothing on the bank holiday");
    assert.equal(await runAt("2027-05-04T09:00:00Z"), 1, "overdue on Tuesday, the first school day past it (Friday's is due that day)");
    await outcome(id, "2027-05-04T11:00:00Z");
    await outcome(friday, "2027-05-04T11:30:00Z");
    assert.deepEqual(await alertDays(id), ["2027-05-04"]);
  });

  it("counts reports and the governors' summary by the school's own terms, each holiday with the term before it", async () => {
    now = new Date("2027-04-20T12:00:00Z");
    const days = ["2027-01-04", "2027-01-05", "2027-04-05", "2027-04-12"];
    for (const [i, day] of days.entries()) {
      const res = await keepsafe.api(
        "/api/incidents",
        await keepsafe.tokenFor(teacher),
        json({
          source: "tab",
          submissionId: `term-dates-report-${i}`,
          pupilId,
          occurredAt: `${day}T10:00:00Z`,
          categoryIds: ["welfare"],
          account: "Came in without a coat again and was cold.",
          alertStaffIds: [dsl.oid],
          toldDslInPerson: "yes",
        }),
      );
      assert.equal(res.status, 201, await res.clone().text());
    }
    const report = (await (await asDsl("/api/reports/incidents?from=2027-01-01&to=2027-04-19&groupBy=term")).json()) as any;
    assert.deepEqual(
      report.rows.map((r: any) => [r.label, r.count]),
      [
        // 4 January is the Christmas holiday (spring starts on the 5th); 5 April the Easter holiday (summer starts on the 12th).
        ["Autumn term 2026/27", 1],
        ["Spring term 2026/27", 2],
        ["Summer term 2026/27", 1],
      ],
    );
    const summary = (await (await asDsl("/api/reports/governors-summary?period=term&date=2027-02-01")).json()) as any;
    assert.deepEqual([summary.period, summary.from, summary.to], ["Spring term 2026/27", "2027-01-05", "2027-04-11"]);
    assert.equal(summary.previous.period, "Autumn term 2026/27");
  });
});
