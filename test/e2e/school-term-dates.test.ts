/**
 * School days come from the school's own calendar (the demo school's England 2026/27 term dates),
 * against the running stack with an injected clock: a referral made on the Friday before half term
 * is due after it and nobody is chased during it; a bank holiday is not a school day for an overdue
 * alert; a task due on that Friday is not chased until the first day back; an open record's review
 * age does not grow over a bank holiday; and reports and the governors' summary count by the school's own terms, each holiday with
 * the term before it, not by fixed months.
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { main as cli } from "../../src/cli/keepsafe.js";
import { DEMO_SCHOOL_ID } from "../../src/local/demo-school.js";
import { ENGLAND_TERM_DATES } from "../../src/domain/england-term-dates.js";
import { moveTaskOverdueTimes } from "../../src/app/task-overdue-times.js";
import type { Clock } from "../../src/ports/clock.js";
import { startTestKeepsafe, staffByRole, type TestKeepsafe } from "../support/keepsafe-instance.js";
import { addTask, overdueAlertsTo } from "../support/task-alerts.js";

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
  const concern = async (submissionId: string, occurredAt: string) => {
    now = new Date(occurredAt);
    const res = await keepsafe.api(
      "/api/incidents",
      await keepsafe.tokenFor(teacher),
      json({
        source: "tab",
        submissionId,
        pupilId,
        occurredAt,
        categoryIds: ["welfare"],
        account: "Came in without a coat again and was cold.",
        alertStaffIds: [dsl.oid],
        toldDslInPerson: "yes",
      }),
    );
    assert.equal(res.status, 201, await res.clone().text());
    return ((await res.json()) as { incident: { id: string } }).incident.id;
  };
  /** One run of the alert dispatcher at that time. */
  const dispatchAt = async (iso: string) => {
    now = new Date(iso);
    await keepsafe.dispatcher.runOnce();
  };
  /** When the tasks' overdue alerts (each task's notification and email) are due to go, as the outbox holds them. */
  const overdueTimes = async (incidentId: string, actionIds: string[]) => [
    ...new Set(
      (await keepsafe.records.outboxForIncident(incidentId, pupilId))
        .filter((m) => m.task === "overdue" && actionIds.includes(m.actionId!))
        .map((m) => m.nextAttemptAt),
    ),
  ];
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

  it("does not chase a task due on the Friday before half term until the first school day back", async () => {
    const incidentId = await concern("term-dates-task-incident", "2026-10-23T09:30:00Z");
    // Friday 23 October 2026 (BST); the autumn half term is 26-30 October, outside the reports' test period.
    now = new Date("2026-10-23T10:00:00Z");
    await addTask(keepsafe, await keepsafe.tokenFor(dsl), incidentId, {
      requestId: "term-dates-task-friday",
      owner: teacher,
      dueOn: "2026-10-23",
      occurredAt: now.toISOString(),
    });
    const alerts = () => overdueAlertsTo(keepsafe, teacher).filter((r) => JSON.stringify(r.body).includes(incidentId));
    for (const at of ["2026-10-24T09:00:00Z", "2026-10-26T09:00:00Z", "2026-10-28T12:00:00Z", "2026-10-30T16:00:00Z", "2026-11-02T07:30:00Z"]) {
      now = new Date(at);
      await keepsafe.dispatcher.runOnce();
      assert.deepEqual(alerts(), [], `not chased at ${at} (a weekend, half term, or before school starts)`);
    }
    now = new Date("2026-11-02T08:30:00Z");
    await keepsafe.dispatcher.runOnce();
    assert.equal(alerts().length, 2, "one notification and one email on the first school day back");
    now = new Date("2026-11-03T09:00:00Z");
    await keepsafe.dispatcher.runOnce();
    assert.equal(alerts().length, 2, "once per task, not every day");
  });

  it("counts an open record's review age in school days, not over a bank holiday", async () => {
    // The CLI joins the running Keepsafe's store (local mode), as a school's admin would use it.
    const setup = path.join(keepsafe.dataDir, "review-age-setup.json");
    fs.writeFileSync(setup, JSON.stringify({ reviewAfterDays: 2 }));
    const err: string[] = [];
    const io = { out: () => {}, err: (l: string) => err.push(l), env: { KEEPSAFE_DATA_DIR: keepsafe.dataDir }, cwd: keepsafe.dataDir };
    assert.equal(await cli(["setup", "--file", setup, "--school", DEMO_SCHOOL_ID], io), 0, err.join("\n"));
    // Thursday 29 and Friday 30 April 2027; Monday 3 May is the early May bank holiday.
    const thursday = await concern("term-dates-review-thursday", "2027-04-29T09:00:00Z");
    const friday = await concern("term-dates-review-friday", "2027-04-30T09:00:00Z");
    const pastReview = async (at: string) => {
      now = new Date(at);
      const list = (await (await asDsl("/api/home/past-review")).json()) as { records: { incidentId: string }[] };
      return [thursday, friday].filter((id) => list.records.some((r) => r.incidentId === id));
    };
    assert.deepEqual(await pastReview("2027-05-03T12:00:00Z"), [], "four calendar days but one school day on the bank holiday");
    assert.deepEqual(await pastReview("2027-05-04T09:00:00Z"), [thursday], "two school days on Tuesday: Friday and Tuesday");
    assert.deepEqual(await pastReview("2027-05-05T09:00:00Z"), [thursday, friday]);
  });

  it("moves a task's overdue alert when the school adds a closed day: chased on the next open day, not the closed one", async () => {
    // Thursday 8 July 2027 (BST; after the reports' test period): due that day, so overdue at 08:00 (07:00Z) on Friday the 9th by the calendar it was set with.
    const incidentId = await concern("term-dates-task-closure-incident", "2027-07-08T09:30:00Z");
    now = new Date("2027-07-08T10:00:00Z");
    const actionId = await addTask(keepsafe, await keepsafe.tokenFor(dsl), incidentId, {
      requestId: "term-dates-task-closure",
      owner: teacher,
      dueOn: "2027-07-08",
      occurredAt: now.toISOString(),
    });
    const overdueAt = () => overdueTimes(incidentId, [actionId]);
    assert.deepEqual(await overdueAt(), ["2027-07-09T07:00:00.000Z"]);

    // The school then closes on Friday 9 July (an INSET day), set through the CLI as its admin would.
    const setup = path.join(keepsafe.dataDir, "closure-day-setup.json");
    const inset = { name: "INSET day", kind: "inset", firstDay: "2027-07-09" };
    fs.writeFileSync(setup, JSON.stringify({ calendar: { ...ENGLAND_TERM_DATES, nonSchoolDays: [...ENGLAND_TERM_DATES.nonSchoolDays, inset] } }));
    const err: string[] = [];
    const io = { out: () => {}, err: (l: string) => err.push(l), env: { KEEPSAFE_DATA_DIR: keepsafe.dataDir }, cwd: keepsafe.dataDir };
    assert.equal(await cli(["setup", "--file", setup, "--school", DEMO_SCHOOL_ID], io), 0, err.join("\n"));
    assert.deepEqual(await overdueAt(), ["2027-07-12T07:00:00.000Z"], "08:00 on Monday, the next open day");
    // Applying the same setup again moves nothing more.
    assert.equal(await cli(["setup", "--file", setup, "--school", DEMO_SCHOOL_ID], io), 0, err.join("\n"));
    assert.deepEqual(await overdueAt(), ["2027-07-12T07:00:00.000Z"]);

    const alerts = () => overdueAlertsTo(keepsafe, teacher).filter((r) => JSON.stringify(r.body).includes(incidentId));
    // My actions says "overdue" by the same calendar as the alert, not the time kept when the task was set.
    const shownOverdue = async () => {
      const res = await keepsafe.api("/api/my-actions", await keepsafe.tokenFor(teacher));
      const body = (await res.json()) as { actions: { actionId: string; overdue: boolean }[] };
      return body.actions.find((a) => a.actionId === actionId)?.overdue;
    };
    for (const at of ["2027-07-09T07:30:00Z", "2027-07-09T15:00:00Z", "2027-07-10T09:00:00Z", "2027-07-12T06:30:00Z"]) {
      await dispatchAt(at);
      assert.deepEqual(alerts(), [], `not chased at ${at} (the closed day, the weekend, before school starts)`);
      assert.equal(await shownOverdue(), false, `not shown overdue at ${at}`);
    }
    await dispatchAt("2027-07-12T07:30:00Z");
    assert.equal(alerts().length, 2, "one notification and one email on the next open day");
    assert.equal(await shownOverdue(), true, "shown overdue from the next open day");
  });

  it("moves tasks' overdue alerts in batches, back earlier when a closed day is taken out again, and each still goes once", async () => {
    // Thursday 10 June 2027 (BST): due that day, overdue at 08:00 (07:00Z) on Friday the 11th.
    const incidentId = await concern("term-dates-task-batches-incident", "2027-06-10T09:30:00Z");
    now = new Date("2027-06-10T10:00:00Z");
    const token = await keepsafe.tokenFor(dsl);
    const ids: string[] = [];
    for (const n of [1, 2, 3])
      ids.push(
        await addTask(keepsafe, token, incidentId, {
          requestId: `term-dates-task-batch-${n}`,
          owner: teacher,
          dueOn: "2027-06-10",
          occurredAt: now.toISOString(),
        }),
      );
    const overdueAt = () => overdueTimes(incidentId, ids);
    const school = (nonSchoolDays: typeof ENGLAND_TERM_DATES.nonSchoolDays) => ({
      id: DEMO_SCHOOL_ID,
      timeZone: "Europe/London",
      calendar: { ...ENGLAND_TERM_DATES, nonSchoolDays },
    });
    const closed = school([
      ...ENGLAND_TERM_DATES.nonSchoolDays,
      { name: "Closed (polling station)", kind: "closure", firstDay: "2027-06-11", lastDay: "2027-06-11" },
    ]);
    // Two messages a batch: six (a notification and an email for each task) take several batches.
    const first = await moveTaskOverdueTimes(keepsafe, closed, 2);
    assert.ok(first.moved >= 6 && first.checked >= 6, JSON.stringify(first));
    assert.deepEqual(await overdueAt(), ["2027-06-14T07:00:00.000Z"]);
    assert.equal((await moveTaskOverdueTimes(keepsafe, closed, 2)).moved, 0, "a second run moves nothing");

    // Taken out again: back to Friday, the due index entries moved earlier with them.
    assert.ok((await moveTaskOverdueTimes(keepsafe, school(ENGLAND_TERM_DATES.nonSchoolDays), 2)).moved >= 6);
    assert.deepEqual(await overdueAt(), ["2027-06-11T07:00:00.000Z"]);
    const alerts = () => overdueAlertsTo(keepsafe, teacher).filter((r) => JSON.stringify(r.body).includes(incidentId));
    await dispatchAt("2027-06-11T06:30:00Z");
    assert.deepEqual(alerts(), [], "not before school starts");
    await dispatchAt("2027-06-11T07:30:00Z");
    assert.equal(alerts().length, 6, "each task's notification and email on Friday");
    await dispatchAt("2027-06-14T07:30:00Z");
    assert.equal(alerts().length, 6, "and not again on Monday");
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
