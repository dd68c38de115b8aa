/**
 * A list stops at its cap (500; KEEPSAFE_LIST_MAX lowers it) and then says so: GET /api/my-actions
 * answers `truncated: true` with the cap as `limit` once the reader owns more tasks than that, so
 * the tab can say "Showing the first 500: narrow the filters" rather than pass a part off as the whole.
 */
import assert from "node:assert/strict";
import { loadConfig } from "../../src/config.js";
import { dateIn } from "../../src/domain/school-clock.js";
import { projectRoot, startTestKeepsafe, staffByRole, type TestKeepsafe } from "../support/keepsafe-instance.js";
import { addTask } from "../support/task-alerts.js";

describe("lists cut short at their cap say so (API)", function () {
  this.timeout(90_000);
  const teacher = staffByRole(/^Teacher \(Year 3\)/);
  const dsl = staffByRole(/^DSL/);
  let keepsafe: TestKeepsafe;

  before(async () => {
    keepsafe = await startTestKeepsafe({ KEEPSAFE_LIST_MAX: "2" });
  });
  after(() => keepsafe?.cleanup());

  it("list-cap: My actions says truncated with its limit once there are more tasks than the cap, and not before", async () => {
    const k = keepsafe;
    const teacherActor = await k.service.resolveActor(teacher.oid, { mfa: true });
    const pupil = (await k.service.searchPupils(teacherActor, "a"))[0];
    const { incident } = await k.service.recordIncident(teacherActor, {
      submissionId: "list-cap-incident",
      pupilId: pupil.id,
      occurredAt: new Date(Date.now() - 3600_000).toISOString(),
      source: "tab",
      categoryIds: ["behaviour"],
      account: "Ran out of the gate at home time.",
      alertStaffIds: [dsl.oid],
    });
    const dslToken = await k.tokenFor(dsl);
    const teacherToken = await k.tokenFor(teacher);
    const give = (n: number) =>
      addTask(k, dslToken, incident.id, {
        requestId: `list-cap-task-${n}`,
        owner: teacher,
        dueOn: dateIn(new Date(), "Europe/London"),
        occurredAt: new Date().toISOString(),
      });
    const myActions = async () => {
      const res = await k.api("/api/my-actions", teacherToken);
      assert.equal(res.status, 200);
      return (await res.json()) as { actions: unknown[]; truncated: boolean; limit: number };
    };

    await give(1);
    await give(2);
    const full = await myActions();
    assert.equal(full.actions.length, 2);
    assert.equal(full.truncated, false, "exactly the cap: nothing left out");
    assert.equal(full.limit, 2);

    await give(3);
    const cut = await myActions();
    assert.equal(cut.actions.length, 2, "the list stops at the cap");
    assert.equal(cut.truncated, true, "and says more exist");
    assert.equal(cut.limit, 2);
  });

  it("list-cap: KEEPSAFE_LIST_MAX must be a whole number from 1 to 500", () => {
    for (const bad of ["0", "501", "-1", "2.5", "lots"])
      assert.throws(() => loadConfig({ KEEPSAFE_LIST_MAX: bad }, projectRoot), /KEEPSAFE_LIST_MAX/, `refuses ${bad}`);
    assert.equal(loadConfig({}, projectRoot).listMax, 500);
  });
});
