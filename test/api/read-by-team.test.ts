/**
 * "Tell the raiser when a DSL has read it" (school setup tellRaiserWhenRead): the first time the
 * safeguarding team marks a concern as read, the member of staff who raised it gets a Teams
 * notification and an email through the Graph sandbox, saying who read it and the reference,
 * nothing of the record; once, however many DSLs read it; never where the school has not turned it on.
 */
import assert from "node:assert/strict";
import { startTestKeepsafe, staffByRole, waitFor, type TestKeepsafe } from "../support/keepsafe-instance.js";
import { applySchoolSetup } from "../../src/app/school-setup.js";
import { DEMO_SCHOOL_ID } from "../../src/local/demo-school.js";
import type { SchoolStore } from "../../src/ports/school-store.js";

const ACCOUNT = "Came in without a coat again and said the heating at home has been off all week.";

describe("tab API: the raiser is told when the safeguarding team reads their concern", function () {
  this.timeout(90_000);
  let keepsafe: TestKeepsafe;
  const dsl = staffByRole(/^DSL/);
  const ddsl = staffByRole(/^Deputy DSL/);
  const teacher = staffByRole(/^Teacher \(Year 3\)/);
  let pupil: { id: string; displayName: string };

  const raise = async (submissionId: string) => {
    const actor = await keepsafe.service.resolveActor(teacher.oid, { mfa: false });
    return (
      await keepsafe.service.recordIncident(actor, {
        submissionId,
        pupilId: pupil.id,
        categoryIds: ["welfare"],
        occurredAt: new Date(Date.now() - 3600_000).toISOString(),
        account: ACCOUNT,
        alertStaffIds: [dsl.oid, ddsl.oid],
        source: "tab",
      })
    ).incident;
  };
  const markAsRead = async (staff: typeof dsl, incidentId: string) => {
    const res = await keepsafe.api(`/api/incidents/${incidentId}/acknowledge`, await keepsafe.tokenFor(staff), { method: "POST" });
    assert.equal(res.status, 200, await res.clone().text());
  };
  /** Everything the outbox holds is sent, so what the sandbox lacks was never queued. */
  const drain = async () => {
    while ((await keepsafe.dispatcher.runOnce()).sent > 0);
  };
  const toTeacher = () =>
    keepsafe.local
      .graph!.requests()
      .filter(
        (r) =>
          (r.kind === "activity-notification" && r.userId === teacher.oid) || (r.kind === "mail" && JSON.stringify(r.body).includes(teacher.email)),
      );

  before(async () => {
    keepsafe = await startTestKeepsafe({ OUTBOX_INTERVAL_MS: "3600000" });
    const actor = await keepsafe.service.resolveActor(teacher.oid, { mfa: false });
    pupil = (await keepsafe.service.searchPupils(actor, "a"))[0];
  });
  after(async () => keepsafe?.cleanup());

  it("tells nobody where the school has not turned it on", async () => {
    const incident = await raise("read-by-team-off");
    await markAsRead(dsl, incident.id);
    await drain();
    assert.deepEqual(toTeacher(), []);
  });

  it("tells the raiser once, content-free, when the first DSL reads it", async () => {
    const schools = (keepsafe.service as unknown as { deps: { schools: SchoolStore } }).deps.schools;
    await applySchoolSetup({ schools }, DEMO_SCHOOL_ID, { tellRaiserWhenRead: true });
    const incident = await raise("read-by-team-on");
    await markAsRead(dsl, incident.id);
    await drain();
    const told = await waitFor(() => (toTeacher().length >= 2 ? toTeacher() : undefined), "the raiser's notification and email");
    const feed = told.find((r) => r.kind === "activity-notification")!;
    assert.equal((feed.body as { activityType: string }).activityType, "concernRead");
    const everything = JSON.stringify(told.map((r) => r.body));
    assert.match(everything, new RegExp(dsl.displayName), "says who read it");
    assert.match(everything, new RegExp(incident.reference), "and the reference");
    for (const word of [...pupil.displayName.split(/\s+/), "heating", "coat", "Welfare"]) {
      assert.ok(!everything.includes(word), `nothing of the record or the pupil (${word})`);
    }

    // The deputy reads it too: the raiser has already been told.
    await markAsRead(ddsl, incident.id);
    await drain();
    assert.equal(toTeacher().length, 2, "one notification and one email, not two of each");
  });

  it("refuses a setup value that is not yes or no, and changes nothing", async () => {
    const schools = (keepsafe.service as unknown as { deps: { schools: SchoolStore } }).deps.schools;
    await assert.rejects(applySchoolSetup({ schools }, DEMO_SCHOOL_ID, { tellRaiserWhenRead: "sometimes" }), /Nothing was changed|attention/);
    assert.equal((await schools.getSchool(DEMO_SCHOOL_ID))?.tellRaiserWhenRead, true);
  });
});
