/**
 * Subject access requests stored before the deadline job existed (the request document alone, no
 * `sar-watch`) get their watch on the job's first run, once, even with two instances starting at
 * once; their deadline alert then fires once (injected clock, the Graph sandbox). A request whose
 * pack was released gets none, and a second backfill writes nothing.
 */
import assert from "node:assert/strict";
import type { Container } from "@azure/cosmos";
import { SubjectAccessDeadlineJob } from "../../src/app/subject-access-deadline-job.js";
import { backfillSubjectAccessWatches } from "../../src/app/subject-access-watch-backfill.js";
import { DEMO_SCHOOL_ID, DEMO_STAFF } from "../../src/local/demo-school.js";
import { connectOrStartLocalCosmos } from "../../src/local/cosmos/local-cosmos.js";
import type { Clock } from "../../src/ports/clock.js";
import { clientFor } from "../local/support/school-records.js";
import { startTestKeepsafe, staffByRole, waitFor, type TestKeepsafe } from "../support/keepsafe-instance.js";

describe("subject access watch backfill", function () {
  this.timeout(120_000);
  const dsl = staffByRole(/^DSL/);
  const team = DEMO_STAFF.filter((s) => s.role === "DSL" || s.role === "DDSL");
  let keepsafe: TestKeepsafe;
  let records: Container;
  // January and February: Europe/London is on UTC.
  let now = new Date("2027-01-20T10:00:00Z");
  const clock: Clock = { now: () => now };

  before(async () => {
    keepsafe = await startTestKeepsafe({}, undefined, { clock });
    // The instance's own timer stays out of the way: this test says when the job runs.
    await keepsafe.subjectAccessJob.stop();
    const cosmos = await connectOrStartLocalCosmos(keepsafe.dataDir);
    records = clientFor(cosmos).database(keepsafe.config.cosmos.databaseId).container("records");
  });
  after(async () => keepsafe?.cleanup());

  const newJob = () => new SubjectAccessDeadlineJob({ subjectAccess: keepsafe.subjectAccess, schools: keepsafe.service["deps"].schools, clock });
  const dueAlerts = () =>
    keepsafe.local.graph!.requests().filter((r) => r.kind === "activity-notification" && (r.body as any).activityType === "subjectAccessDue");
  const watchesOf = async (requestId: string) =>
    (
      await records.items
        .query({ query: "SELECT * FROM c WHERE c.type = 'sar-watch' AND c.requestId = @id", parameters: [{ name: "@id", value: requestId }] })
        .fetchAll()
    ).resources as { nextAlertAt: string; _etag: string }[];
  /** As Keepsafe stored a request before the deadline job: the request document, no watch. */
  const storeOldRequest = async (id: string, pupilId: string, receivedOn: string, openedBy: string) => {
    const request = {
      id,
      schoolId: DEMO_SCHOOL_ID,
      pupilId,
      requester: "Mr Backfill Parent",
      relationship: "parent",
      receivedOn,
      openedBy,
      openedAt: `${receivedOn}T12:00:00.000Z`,
    };
    await records.items.create({ ...request, id: `sar-request:${id}`, entityId: id, requestId: id, type: "sar-request" });
  };

  it("gives an old open request its watch once, even from two instances, and its deadline alert fires once; a released one gets none", async () => {
    const actor = await keepsafe.service.resolveActor(dsl.oid, { mfa: true });
    const pupils = await keepsafe.service.searchPupils(actor, "a");
    const [open, released] = [pupils[0]!, pupils[1]!];
    await storeOldRequest("sar-old-open", open.id, "2027-01-18", actor.staffId);
    await storeOldRequest("sar-old-released", released.id, "2027-01-04", actor.staffId);
    await records.items.create({
      id: "sar-pack:sar-old-released:pack",
      pupilId: released.id,
      schoolId: DEMO_SCHOOL_ID,
      content: { approvedBy: actor.staffId, approvedAt: "2027-01-15T12:00:00.000Z", blocks: [], redactions: [] },
      entityId: "sar-old-released:pack",
      requestId: "sar-old-released",
      type: "sar-pack",
    });
    assert.deepEqual(await watchesOf("sar-old-open"), [], "stored as the old code did: no watch");

    // Two instances start at once: their first runs backfill, and one watch results.
    const [a, b] = await Promise.all([newJob().runOnce(), newJob().runOnce()]);
    assert.equal(a.alerted + b.alerted, 0, "not an alert day");
    const [watch, ...more] = await watchesOf("sar-old-open");
    assert.equal(more.length, 0, "one watch");
    // Due 18 Feb (spring half term): five school days before its last school day (Fri 12 Feb) is Fri 5 Feb.
    assert.equal(watch?.nextAlertAt.slice(0, 10), "2027-02-05");
    assert.deepEqual(await watchesOf("sar-old-released"), [], "a released pack needs no chasing");

    // Running it again writes nothing: nothing found, and the watch is as it was.
    assert.deepEqual(
      await backfillSubjectAccessWatches({ subjectAccess: keepsafe.subjectAccess, schools: keepsafe.service["deps"].schools, clock }),
      {
        created: 0,
      },
    );
    assert.equal((await newJob().runOnce()).alerted, 0);
    assert.deepEqual(
      (await watchesOf("sar-old-open")).map((w) => w._etag),
      [watch!._etag],
      "the watch is untouched by a second backfill",
    );

    const job = newJob();
    now = new Date("2027-02-05T08:30:00Z");
    assert.equal((await job.runOnce()).alerted, 1, "the deadline alert fires on its day");
    await keepsafe.dispatcher.runOnce();
    await waitFor(() => (dueAlerts().length === team.length ? true : undefined), "the team alerted");
    now = new Date("2027-02-05T14:00:00Z");
    assert.equal((await job.runOnce()).alerted, 0, "not twice that day");
    assert.equal((await newJob().runOnce()).alerted, 0, "nor by a restarted job");
    await keepsafe.dispatcher.runOnce();
    assert.equal(dueAlerts().length, team.length, "each of the team alerted once");
    assert.deepEqual(
      (await keepsafe.records.auditForPupil(open.id)).filter((e) => e.type === "subject-access.deadline-alerted").map((e) => e.detail?.day),
      ["2027-02-05"],
    );
  });
});
