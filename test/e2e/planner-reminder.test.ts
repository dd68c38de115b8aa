/**
 * Planner reminders fire (issue 8): a reminder set on the form two minutes ahead, in the school's
 * time zone, reaches the Graph sandbox once (an activity-feed notification and an email to the
 * person who set it, saying who and the reference only) when the injected clock passes it, and not
 * again after a restart of Keepsafe on the same data dir.
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { wallClockNow } from "../../src/domain/wall-clock.js";
import type { Clock } from "../../src/ports/clock.js";
import { startTestKeepsafe, staffByRole, waitFor, type TestKeepsafe } from "../support/keepsafe-instance.js";

describe("planner reminders", function () {
  this.timeout(120_000);
  const teacher = staffByRole(/^Teacher \(Year 3\)/);
  const dsl = staffByRole(/^DSL/);
  let dataDir: string;
  let keepsafe: TestKeepsafe | undefined;
  // Real time plus however far the test has moved it on.
  let ahead = 0;
  const clock: Clock = { now: () => new Date(Date.now() + ahead) };

  before(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "keepsafe-reminder-"));
  });
  after(async () => {
    await keepsafe?.cleanup();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const remindersTo = (k: TestKeepsafe) =>
    k.local
      .graph!.requests()
      .filter(
        (r) =>
          (r.kind === "activity-notification" && r.userId === teacher.oid && (r.body as any).activityType === "plannerReminder") ||
          (r.kind === "mail" && JSON.stringify(r.body).includes(teacher.email) && JSON.stringify(r.body).includes("reminder")),
      );

  it("sends the reminder once at the chosen time, and not again after a restart", async () => {
    keepsafe = await startTestKeepsafe({}, dataDir, { clock });
    const actor = await keepsafe.service.resolveActor(teacher.oid, { mfa: false });
    const pupil = (await keepsafe.service.searchPupils(actor, "a"))[0];
    const at = wallClockNow(new Date(clock.now().getTime() + 2 * 60_000), "Europe/London");
    const { incident } = await keepsafe.service.recordIncident(actor, {
      submissionId: "reminder-test-two-minutes",
      pupilId: pupil.id,
      occurredAt: new Date(clock.now().getTime() - 3600_000).toISOString(),
      source: "tab",
      categoryIds: ["behaviour"],
      account: "Refused to come in from the playground and kicked the door.",
      alertStaffIds: [dsl.oid],
      plannerReminder: { date: at.date, time: at.time, note: "Check in with the family" },
    });

    // The DSL's alert goes at once; the reminder waits for its time.
    await waitFor(() => (keepsafe!.local.graph!.requests().some((r) => r.userId === dsl.oid) ? true : undefined), "the DSL's alert");
    await keepsafe.dispatcher.runOnce();
    assert.deepEqual(remindersTo(keepsafe), [], "nothing before the reminder's time");
    const pending = (await keepsafe.records.outboxForIncident(incident.id, pupil.id)).filter((m) => m.reminder);
    assert.equal(pending.length, 2);
    assert.ok(pending.every((m) => m.status === "pending" && m.recipientStaffId === teacher.oid));

    ahead = 3 * 60_000;
    keepsafe.dispatcher.kick();
    const sent = await waitFor(() => (remindersTo(keepsafe!).length >= 2 ? remindersTo(keepsafe!) : undefined), "the reminder");
    assert.equal(sent.length, 2, "one notification and one email");
    const everything = JSON.stringify(sent.map((r) => r.body));
    assert.ok(everything.includes(incident.reference), "says the reference");
    assert.ok(everything.includes(teacher.displayName), "says whose reminder it is");
    for (const word of ["family", "playground", "kicked", ...pupil.displayName.split(/\s+/)])
      assert.ok(!everything.includes(word), `nothing of the record (${word})`);
    await waitFor(
      async () =>
        (await keepsafe!.records.outboxForIncident(incident.id, pupil.id)).filter((m) => m.reminder).every((m) => m.status === "sent")
          ? true
          : undefined,
      "the reminder marked sent",
    );

    // Restart on the same data dir, later still: the reminder was sent and is not sent again.
    await keepsafe.stop();
    ahead = 10 * 60_000;
    keepsafe = await startTestKeepsafe({}, dataDir, { clock });
    const ran = await keepsafe.dispatcher.runOnce();
    assert.equal(ran.sent, 0, "nothing was due after the restart");
    // The sandbox keeps what it received in the data dir, so the count is still the first two.
    assert.deepEqual(
      remindersTo(keepsafe).map((r) => r.seq),
      sent.map((r) => r.seq),
      "not sent again after the restart",
    );
    const stored = (await keepsafe.records.outboxForIncident(incident.id, pupil.id)).filter((m) => m.reminder);
    assert.deepEqual(
      stored.map((m) => m.status),
      ["sent", "sent"],
    );
  });
});
