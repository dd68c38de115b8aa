/**
 * Allowed report views are audited (issue 7: every view, not only refusals): the incident report
 * in the tab and as CSV, and the governors' summary, each leave one event saying who, which report,
 * its filters, from where and "allowed", over HTTP against the whole of Keepsafe. Refusals stay
 * access.refused and leave no view event.
 */
import assert from "node:assert/strict";
import { DEMO_SCHOOL_ID } from "../../src/local/demo-school.js";
import type { AuditEvent } from "../../src/domain/incident.js";
import { startTestKeepsafe, staffByRole, type TestKeepsafe } from "../support/keepsafe-instance.js";

describe("report views are audited", function () {
  this.timeout(60_000);
  let keepsafe: TestKeepsafe;
  const dsl = staffByRole(/^DSL/);
  const slt = staffByRole(/^SLT/);
  const teacher = staffByRole(/^Teacher \(Year 3\)/);
  const today = new Date().toISOString().slice(0, 10);

  /** What this member of staff's trail gained while `act` ran. */
  async function newEvents(staffId: string, act: () => Promise<void>): Promise<AuditEvent[]> {
    const trail = () => keepsafe.service["deps"].records.auditForStaff(DEMO_SCHOOL_ID, staffId, 1000);
    const before = new Set((await trail()).map((e) => e.id));
    await act();
    return (await trail()).filter((e) => !before.has(e.id));
  }
  const get = async (staff: typeof dsl, path: string, status: number) => {
    const res = await keepsafe.api(path, await keepsafe.tokenFor(staff));
    assert.equal(res.status, status, await res.clone().text());
    await res.arrayBuffer();
  };

  before(async () => {
    keepsafe = await startTestKeepsafe();
  });
  after(async () => keepsafe?.cleanup());

  it("audits the incident report in the tab with its filters, from the tab, allowed", async () => {
    const q = `from=2026-09-01&to=${today}&groupBy=yearGroup&categoryIds=behaviour,bullying&pupilGroups=SEND`;
    const events = await newEvents(slt.oid, () => get(slt, `/api/reports/incidents?${q}`, 200));
    const viewed = events.filter((e) => e.type === "report.viewed");
    assert.equal(viewed.length, 1, JSON.stringify(events));
    assert.equal(viewed[0].via, "tab");
    assert.equal(viewed[0].outcome, "allowed");
    assert.deepEqual(viewed[0].detail, {
      report: "incidents",
      format: "json",
      from: "2026-09-01",
      to: today,
      groupBy: "yearGroup",
      categoryIds: ["behaviour", "bullying"],
      pupilGroups: ["SEND"],
    });
  });

  it("audits the report downloaded as CSV as its own view", async () => {
    const events = await newEvents(dsl.oid, () => get(dsl, `/api/reports/incidents.csv?from=${today}&to=${today}&groupBy=category`, 200));
    const viewed = events.filter((e) => e.type === "report.viewed");
    assert.equal(viewed.length, 1);
    assert.equal(viewed[0].detail?.format, "csv");
    assert.equal(viewed[0].outcome, "allowed");
  });

  it("audits the governors' summary once per view, however many sections it counts", async () => {
    const events = await newEvents(dsl.oid, () => get(dsl, `/api/reports/governors-summary?period=term&date=${today}`, 200));
    const viewed = events.filter((e) => e.type === "summary.viewed");
    assert.equal(viewed.length, 1, JSON.stringify(events.map((e) => e.type)));
    assert.equal(viewed[0].detail?.report, "governors-summary");
    assert.equal(viewed[0].detail?.period, "term");
    assert.equal(events.filter((e) => e.type === "report.viewed").length, 0, "its sections are not separate report views");
  });

  it("leaves a refusal as access.refused and no view, and a refused filter no view either", async () => {
    const refused = await newEvents(teacher.oid, () => get(teacher, `/api/reports/incidents?from=${today}&to=${today}&groupBy=category`, 403));
    assert.deepEqual(
      refused.map((e) => e.type),
      ["access.refused"],
    );
    const beyond = await newEvents(slt.oid, () =>
      get(slt, `/api/reports/incidents?from=${today}&to=${today}&groupBy=category&categoryIds=safeguarding`, 403),
    );
    assert.equal(beyond.filter((e) => e.type === "report.viewed").length, 0, "a report refused for its filter was not viewed");
  });
});
