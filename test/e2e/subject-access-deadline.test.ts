/**
 * Subject access deadlines are chased (issue 9), with an injected clock against the running stack
 * and the Graph sandbox, on the demo school's England term dates. A request received on Monday
 * 18 January 2027 is due on Thursday 18 February, which falls in the spring half term (15-19 Feb):
 * the team (the DSL who opened it and every DSL and deputy) is alerted five school days before the
 * last school day by then (Friday 5 Feb), on that last school day (Friday 12 Feb, "on the day"), not
 * in the half term or at the weekend, then on Monday 22 Feb, the first school day past it; never
 * twice a day even with two runners or a fresh one (a restart); and no more once a pack is released.
 * An extension moves the alerts to the new deadline, and the school sets how many days ahead.
 */
import assert from "node:assert/strict";
import { SubjectAccessDeadlineJob } from "../../src/app/subject-access-deadline-job.js";
import { applySchoolSetup } from "../../src/app/school-setup.js";
import { DEMO_SCHOOL_ID, DEMO_STAFF } from "../../src/local/demo-school.js";
import type { Clock } from "../../src/ports/clock.js";
import type { SarRequestView } from "../../src/contract/subject-access-views.js";
import { startTestKeepsafe, staffByRole, waitFor, type TestKeepsafe } from "../support/keepsafe-instance.js";

describe("subject access deadline alerts", function () {
  this.timeout(120_000);
  const dsl = staffByRole(/^DSL/);
  let keepsafe: TestKeepsafe;
  // January and February: Europe/London is on UTC, so these are the school's wall-clock times too.
  let now = new Date("2027-01-20T10:00:00Z");
  const clock: Clock = { now: () => now };
  const team = DEMO_STAFF.filter((s) => s.role === "DSL" || s.role === "DDSL");
  const json = (body: unknown) => ({ method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });

  before(async () => {
    keepsafe = await startTestKeepsafe({}, undefined, { clock });
  });
  after(async () => keepsafe?.cleanup());

  const dueAlerts = () =>
    keepsafe.local.graph!.requests().filter((r) => r.kind === "activity-notification" && (r.body as any).activityType === "subjectAccessDue");
  const runAt = async (iso: string) => {
    now = new Date(iso);
    return (await keepsafe.subjectAccessJob.runOnce()).alerted;
  };
  const drained = async (count: number) => {
    await keepsafe.dispatcher.runOnce();
    return waitFor(() => (dueAlerts().length === count ? true : undefined), `${count} subject access notifications`);
  };
  const asDsl = async (path: string, init?: RequestInit) => keepsafe.api(path, await keepsafe.tokenFor(dsl), init);
  const open = async (pupilId: string, receivedOn: string) => {
    const res = await asDsl("/api/subject-access-requests", json({ pupilId, requester: "Mrs Deadline Parent", relationship: "parent", receivedOn }));
    assert.equal(res.status, 201, await res.clone().text());
    return ((await res.json()) as { request: SarRequestView }).request;
  };
  const pupils = async () => keepsafe.service.searchPupils(await keepsafe.service.resolveActor(dsl.oid, { mfa: true }), "a");
  const days = async (requestId: string, pupilId: string) =>
    (await keepsafe.records.auditForPupil(pupilId))
      .filter((e) => e.type === "subject-access.deadline-alerted" && e.detail?.requestId === requestId)
      .map((e) => `${e.detail?.day} ${e.detail?.kind}`);

  it("alerts 5 school days before, on the last school day by the deadline and each school day after, skipping half term, once a day, until the pack is released", async () => {
    const pupil = (await pupils())[0]!;
    const request = await open(pupil.id, "2027-01-18");
    assert.equal(request.deadline, "2027-02-18");
    assert.equal(request.dueSoon, false);

    assert.equal(await runAt("2027-02-04T09:00:00Z"), 0, "not six school days before");
    assert.equal(await runAt("2027-02-05T07:00:00Z"), 0, "not before school starts");

    // Friday 5 Feb: two runners at once (a second instance) alert once between them.
    now = new Date("2027-02-05T08:30:00Z");
    const second = new SubjectAccessDeadlineJob({ subjectAccess: keepsafe.subjectAccess, schools: keepsafe.service["deps"].schools, clock });
    const [a, b] = await Promise.all([keepsafe.subjectAccessJob.runOnce(), second.runOnce()]);
    assert.equal(a.alerted + b.alerted, 1, "one alert for the day between two runners");
    await drained(team.length);
    assert.deepEqual(
      dueAlerts()
        .map((r) => r.userId)
        .sort(),
      team.map((s) => s.oid).sort(),
      "the DSL who opened it and every DSL and deputy, once each",
    );
    const sent = JSON.stringify(dueAlerts());
    assert.ok(!sent.includes(pupil.displayName) && !sent.includes("Deadline Parent"), "content-free");
    const list = (await (await asDsl("/api/subject-access-requests")).json()) as { requests: SarRequestView[] };
    assert.equal(list.requests.find((r) => r.id === request.id)?.dueSoon, true, "the list flags it from the first alert day");

    assert.equal(await runAt("2027-02-05T14:00:00Z"), 0, "not twice on Friday");
    assert.equal(await runAt("2027-02-08T09:00:00Z"), 0, "not between the alert days");
    assert.equal(await runAt("2027-02-12T09:00:00Z"), 1, "on the last school day before a deadline in half term");
    for (const day of ["2027-02-15", "2027-02-16", "2027-02-18", "2027-02-19", "2027-02-20", "2027-02-21"])
      assert.equal(await runAt(`${day}T09:00:00Z`), 0, `nothing on ${day} (half term, then the weekend)`);
    assert.equal(await runAt("2027-02-22T09:00:00Z"), 1, "overdue on the first school day past it");
    const restarted = new SubjectAccessDeadlineJob({ subjectAccess: keepsafe.subjectAccess, schools: keepsafe.service["deps"].schools, clock });
    assert.equal((await restarted.runOnce()).alerted, 0, "a restarted job does not alert again that day");
    await drained(team.length * 3);

    now = new Date("2027-02-22T11:00:00Z");
    const approved = await asDsl(`/api/subject-access-requests/${request.id}/packs`, json({ passages: [] }));
    assert.equal(approved.status, 201, await approved.clone().text());
    assert.equal(await runAt("2027-02-23T09:00:00Z"), 0, "stops once the pack is released");
    assert.equal(await runAt("2027-02-24T09:00:00Z"), 0);
    await keepsafe.dispatcher.runOnce();
    assert.equal(dueAlerts().length, team.length * 3);
    assert.deepEqual(await days(request.id, pupil.id), ["2027-02-05 due-soon", "2027-02-12 due-today", "2027-02-22 overdue"]);
  });

  it("follows an extension to the new deadline and the school's own number of days ahead", async () => {
    await applySchoolSetup({ schools: keepsafe.service["deps"].schools }, DEMO_SCHOOL_ID, { subjectAccessAlertDays: 2 });
    now = new Date("2027-03-01T10:00:00Z");
    const pupil = (await pupils())[1]!;
    const request = await open(pupil.id, "2027-03-01"); // due Thursday 1 April, in the Easter holiday
    const extended = await asDsl(`/api/subject-access-requests/${request.id}/extension`, json({ reason: "Records across several years." }));
    assert.equal(((await extended.json()) as { request: SarRequestView }).request.deadline, "2027-06-01");
    // Two school days before the last school day by 1 April (Thursday 25 March, Good Friday being a bank holiday):
    // the first deadline's day passes quietly now it is extended.
    assert.equal(await runAt("2027-03-23T09:00:00Z"), 0, "the old deadline no longer alerts");
    assert.equal(await runAt("2027-03-25T09:00:00Z"), 0);
    // 1 June 2027 is in the summer half term (31 May-4 Jun): its last school day is Friday 28 May; two before, Wednesday 26 May.
    assert.equal(await runAt("2027-05-25T09:00:00Z"), 0);
    assert.equal(await runAt("2027-05-26T09:00:00Z"), 1, "two school days before, as the school set");
    assert.equal(await runAt("2027-05-28T09:00:00Z"), 1, "on the last school day by the deadline");
    assert.equal(await runAt("2027-06-02T09:00:00Z"), 0, "half term");
    assert.equal(await runAt("2027-06-07T09:00:00Z"), 1, "the first school day past it");
    assert.deepEqual(await days(request.id, pupil.id), ["2027-05-26 due-soon", "2027-05-28 due-today", "2027-06-07 overdue"]);
  });
});
