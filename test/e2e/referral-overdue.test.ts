/**
 * Overdue referrals are chased (issue 8), with an injected clock against the running stack and the
 * Graph sandbox: a referral to the police (one school day) made on a Wednesday is due on Thursday;
 * the DSLs are alerted on Friday, the first school day past it, and not twice that day even with
 * two job runners; nothing at the weekend; again on Monday; and never after the outcome is recorded.
 */
import assert from "node:assert/strict";
import { ReferralOverdueJob } from "../../src/app/referral-overdue-job.js";
import { DEMO_STAFF } from "../../src/local/demo-school.js";
import type { Clock } from "../../src/ports/clock.js";
import { startTestKeepsafe, staffByRole, waitFor, type TestKeepsafe } from "../support/keepsafe-instance.js";

describe("referral overdue alerts", function () {
  this.timeout(120_000);
  const dsl = staffByRole(/^DSL/);
  let keepsafe: TestKeepsafe;
  // January: Europe/London is on UTC, so these are the school's wall-clock times too.
  let now = new Date("2027-01-06T10:00:00Z"); // a Wednesday
  const clock: Clock = { now: () => now };
  const leads = DEMO_STAFF.filter((s) => s.role === "DSL" || s.role === "DDSL");

  before(async () => {
    keepsafe = await startTestKeepsafe({}, undefined, { clock });
  });
  after(async () => keepsafe?.cleanup());

  const overdueAlerts = () =>
    keepsafe.local.graph!.requests().filter((r) => r.kind === "activity-notification" && (r.body as any).activityType === "referralOverdue");
  const runAt = async (iso: string) => {
    now = new Date(iso);
    return (await keepsafe.referralJob.runOnce()).alerted;
  };
  const drained = async (count: number) => {
    await keepsafe.dispatcher.runOnce();
    return waitFor(() => (overdueAlerts().length === count ? true : undefined), `${count} overdue notifications`);
  };

  it("alerts the DSLs on the first school day past due and each school day after, not at weekends, not twice, and stops at the outcome", async () => {
    const actor = await keepsafe.service.resolveActor(dsl.oid, { mfa: true });
    const pupil = (await keepsafe.service.searchPupils(actor, "a"))[0];
    const res = await keepsafe.api(`/api/pupils/${pupil.id}/case-entries`, await keepsafe.tokenFor(dsl), {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        kind: "referral",
        requestId: "overdue-referral-1",
        occurredAt: "2027-01-06T09:30:00Z",
        agencyId: "police",
        contact: "PC Walker, 101",
      }),
    });
    assert.equal(res.status, 201, await res.clone().text());
    const referralId = ((await res.json()) as any).entry.id;
    const row = async () =>
      (((await (await keepsafe.api(`/api/pupils/${pupil.id}/chronology`, await keepsafe.tokenFor(dsl))).json()) as any).entries as any[]).find(
        (r) => r.caseEntryId === referralId,
      );
    assert.equal((await row()).referral.dueDate, "2027-01-07", "one school day after Wednesday");

    assert.equal(await runAt("2027-01-07T15:00:00Z"), 0, "not on the due date itself");
    assert.equal((await row()).referral.overdue, false);
    assert.equal(await runAt("2027-01-08T07:00:00Z"), 0, "not before school starts on Friday");

    // Friday: two runners at once (a second instance) alert once between them.
    now = new Date("2027-01-08T08:30:00Z");
    const second = new ReferralOverdueJob({ caseEntries: keepsafe.caseEntries, schools: (keepsafe.service as any).deps.schools, clock });
    const [a, b] = await Promise.all([keepsafe.referralJob.runOnce(), second.runOnce()]);
    assert.equal(a.alerted + b.alerted, 1, "one alert for Friday between two runners");
    assert.equal((await row()).referral.overdue, true);
    await drained(leads.length);
    assert.deepEqual(
      overdueAlerts()
        .map((r) => r.userId)
        .sort(),
      leads.map((s) => s.oid).sort(),
      "every DSL and deputy",
    );
    const sent = JSON.stringify(overdueAlerts());
    assert.ok(!sent.includes(pupil.displayName) && !sent.includes("Police") && !sent.includes("Walker"), "content-free");

    assert.equal(await runAt("2027-01-08T14:00:00Z"), 0, "not twice on Friday");
    assert.equal(await runAt("2027-01-09T10:00:00Z"), 0, "nothing on Saturday");
    assert.equal(await runAt("2027-01-10T10:00:00Z"), 0, "nothing on Sunday");
    assert.equal(await runAt("2027-01-11T09:00:00Z"), 1, "again on Monday");
    await drained(leads.length * 2);

    now = new Date("2027-01-11T11:30:00Z");
    const outcome = await keepsafe.api(`/api/pupils/${pupil.id}/referrals/${referralId}/outcome`, await keepsafe.tokenFor(dsl), {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ outcome: "Police visited; no further police action", occurredAt: "2027-01-11T11:00:00Z" }),
    });
    assert.equal(outcome.status, 201, await outcome.clone().text());
    assert.equal(await runAt("2027-01-12T09:00:00Z"), 0, "stops once the outcome is recorded");
    await keepsafe.dispatcher.runOnce();
    assert.equal(overdueAlerts().length, leads.length * 2, "two school days' alerts in all");
    assert.equal((await row()).referral.overdue, false);

    const audit = (await keepsafe.records.auditForPupil(pupil.id)).filter((e) => e.type === "referral.overdue-alerted");
    assert.deepEqual(
      audit.map((e) => e.detail?.day),
      ["2027-01-08", "2027-01-11"],
    );
  });
});
