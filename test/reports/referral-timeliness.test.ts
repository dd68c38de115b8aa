/**
 * Referral timeliness in the reports, over HTTP against a running Keepsafe with an injected clock:
 * per agency, the period's referrals with an outcome on the due date (on time) or the day after
 * (late), with none and past due (outstanding), with none and due today (awaiting); referrals
 * outside the period and pupils the report's filters leave out are not counted; SLT's report has
 * no such section at all.
 */
import assert from "node:assert/strict";
import type { Clock } from "../../src/ports/clock.js";
import type { PupilSummary } from "../../src/app/pupil-index.js";
import { startTestKeepsafe, staffByRole, type TestKeepsafe } from "../support/keepsafe-instance.js";

describe("referral timeliness in reports", function () {
  this.timeout(120_000);
  let keepsafe: TestKeepsafe;
  const dsl = staffByRole(/^DSL/);
  const deputy = staffByRole(/^Deputy DSL/);
  const slt = staffByRole(/^SLT/);
  // Wednesday 10 March 2027, 10:00 in London (GMT).
  let now = new Date("2027-03-10T10:00:00Z");
  const clock: Clock = { now: () => now };
  let pupil: PupilSummary;
  let otherYear: PupilSummary;

  const post = async (path: string, body: unknown) => {
    const res = await keepsafe.api(path, await keepsafe.tokenFor(dsl), {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    const json = (await res.json()) as any;
    assert.ok(res.status === 201, `${path}: ${res.status} ${JSON.stringify(json)}`);
    return json;
  };
  let n = 0;
  // The route answers the entry's id; its due date is read back from the store.
  const refer = async (who: PupilSummary, agencyId: string, occurredAt: string) => {
    const { entry } = await post(`/api/pupils/${who.id}/case-entries`, {
      kind: "referral",
      requestId: `timeliness-${++n}`,
      occurredAt,
      agencyId,
      contact: "Duty desk",
    });
    const stored = (await keepsafe.service["deps"].caseEntries!.getCaseEntry(who.id, entry.id)) as { id: string; dueDate: string };
    return stored;
  };
  const answer = (who: PupilSummary, referral: { id: string }, occurredAt: string) =>
    post(`/api/pupils/${who.id}/referrals/${referral.id}/outcome`, { outcome: "Accepted for assessment", occurredAt });
  const report = async (staff: typeof dsl, query: Record<string, string> = {}) => {
    const res = await keepsafe.api(
      `/api/reports/incidents?${new URLSearchParams({ from: "2027-03-01", to: "2027-03-10", groupBy: "month", ...query })}`,
      await keepsafe.tokenFor(staff),
    );
    assert.equal(res.status, 200);
    return (await res.json()) as any;
  };

  before(async () => {
    keepsafe = await startTestKeepsafe({}, undefined, { clock });
    const d = await keepsafe.service.resolveActor(dsl.oid, { mfa: true });
    const all = await keepsafe.service.searchPupils(d, "a", 50);
    pupil = all[0];
    otherYear = all.find((p) => p.yearGroup !== pupil.yearGroup)!;
    assert.ok(otherYear, "a pupil in another year group");

    // Social care answers within one school day: a referral on Monday 1 March is due Tuesday 2 March.
    const onTime = await refer(pupil, "social-care", "2027-03-01T09:00:00Z");
    assert.equal(onTime.dueDate, "2027-03-02");
    await answer(pupil, onTime, "2027-03-02T16:00:00Z");
    const late = await refer(pupil, "social-care", "2027-03-01T11:00:00Z");
    await answer(pupil, late, "2027-03-03T09:00:00Z");
    const outstanding = await refer(pupil, "social-care", "2027-03-08T09:00:00Z");
    assert.equal(outstanding.dueDate, "2027-03-09", "due yesterday");
    const awaiting = await refer(pupil, "social-care", "2027-03-09T09:00:00Z");
    assert.equal(awaiting.dueDate, "2027-03-10", "due today");
    await refer(pupil, "early-help", "2027-03-05T09:00:00Z");
    // Before the period (answered late, so a leak would show as a count).
    const before = await refer(pupil, "social-care", "2027-02-26T09:00:00Z");
    await answer(pupil, before, "2027-03-08T09:00:00Z");
    await refer(otherYear, "police", "2027-03-02T09:00:00Z");
  });
  after(async () => keepsafe?.cleanup());

  it("counts each agency's referrals on time, late, outstanding and awaiting, at the boundaries", async () => {
    const { referralTimeliness } = await report(dsl);
    const row = (id: string) => referralTimeliness.rows.find((r: any) => r.agencyId === id);
    assert.deepEqual(row("social-care"), {
      agencyId: "social-care",
      agency: "Children's social care / MASH",
      onTime: 1,
      late: 1,
      outstanding: 1,
      awaiting: 1,
    });
    assert.deepEqual(row("early-help"), { agencyId: "early-help", agency: "Early help", onTime: 0, late: 0, outstanding: 0, awaiting: 1 });
    assert.equal(row("police").outstanding, 1, "the other year's referral is past due");
    assert.equal(row("camhs"), undefined, "an agency with no referrals is no row");
    assert.deepEqual(referralTimeliness.total, { onTime: 1, late: 1, outstanding: 2, awaiting: 2 });

    // The next day the awaiting social-care referral is outstanding.
    now = new Date("2027-03-11T08:00:00Z");
    assert.equal((await report(deputy)).referralTimeliness.rows.find((r: any) => r.agencyId === "social-care").outstanding, 2);
    now = new Date("2027-03-10T10:00:00Z");
  });

  it("follows the report's pupil filters", async () => {
    const { referralTimeliness } = await report(dsl, { yearGroups: pupil.yearGroup });
    assert.equal(
      referralTimeliness.rows.find((r: any) => r.agencyId === "police"),
      undefined,
      "another year group's referral is left out",
    );
    assert.equal(referralTimeliness.total.outstanding, 1);
  });

  it("puts the DSL's referral timeliness in the report CSV as a section of its own, and none in SLT's", async () => {
    const csv = async (staff: typeof dsl) => {
      const res = await keepsafe.api(
        `/api/reports/incidents.csv?${new URLSearchParams({ from: "2027-03-01", to: "2027-03-10", groupBy: "month" })}`,
        await keepsafe.tokenFor(staff),
      );
      assert.equal(res.status, 200);
      return res.text();
    };
    const { referralTimeliness, total } = await report(dsl);
    const [incidents, referrals, ...more] = (await csv(dsl)).split("\r\n\r\n");
    assert.deepEqual(more, [], "two sections");
    assert.equal(incidents.split("\r\n").at(-1), `Total,${total}`, "the incidents' total ends their section");
    assert.deepEqual(referrals.trimEnd().split("\r\n"), [
      "referral agency,on time,late,outstanding,awaiting",
      ...referralTimeliness.rows.map((r: any) => `${r.agency},${r.onTime},${r.late},${r.outstanding},${r.awaiting}`),
      "Total,1,1,2,2",
    ]);
    assert.match(referrals, /^Children's social care \/ MASH,1,1,1,1$/m);

    const sltCsv = await csv(slt);
    assert.doesNotMatch(sltCsv, /referral|\r\n\r\n/i);
    assert.match(sltCsv, /\r\nTotal,\d+\r\n$/, "SLT's download ends at the incidents' total");
  });

  it("does not exist in SLT's report", async () => {
    const body = await report(slt);
    assert.ok(!("referralTimeliness" in body), JSON.stringify(Object.keys(body)));
  });
});
