/**
 * Reports over HTTP against a running Keepsafe, on a school where safeguarding records exist:
 * SLT's totals equal the totals of the records SLT can open (asked of the real incident route), for
 * every filter and grouping; the DSL counts everything; staff are refused; and a pupil group gives
 * the same total whether filtered to or read as a row.
 */
import assert from "node:assert/strict";
import { startTestKeepsafe, staffByRole, type TestKeepsafe } from "../support/keepsafe-instance.js";
import type { Actor } from "../../src/domain/actor.js";
import type { PupilSummary } from "../../src/app/pupil-index.js";
import { REPORT_GROUPINGS } from "../../src/domain/report-periods.js";
import { PUPIL_FLAGS } from "../../src/domain/school.js";

interface Report {
  total: number;
  open: number;
  rows: { key: string; label: string; count: number }[];
  repeatedConcerns: { pupilId: string; count: number }[];
}
interface Recorded {
  id: string;
  pupil: PupilSummary;
  categoryIds: string[];
}

describe("incident reports", function () {
  this.timeout(120_000);
  let keepsafe: TestKeepsafe;
  const dsl = staffByRole(/^DSL/);
  const slt = staffByRole(/^SLT/);
  const teacher = staffByRole(/^Teacher \(Year 3\)/);
  const recorded: Recorded[] = [];
  let pupils: PupilSummary[];
  const today = new Date().toISOString().slice(0, 10);
  const from = new Date(Date.now() - 90 * 86_400_000).toISOString().slice(0, 10);

  const actorFor = (staff: typeof dsl): Promise<Actor> => keepsafe.service.resolveActor(staff.oid, { mfa: true });
  const report = async (staff: typeof dsl, query: Record<string, string>) => {
    const res = await keepsafe.api(`/api/reports/incidents?${new URLSearchParams({ from, to: today, ...query })}`, await keepsafe.tokenFor(staff));
    assert.equal(res.status, 200, `${staff.label} ${JSON.stringify(query)}: ${res.status}`);
    return (await res.json()) as Report;
  };

  before(async () => {
    keepsafe = await startTestKeepsafe();
    const [t, d] = await Promise.all([actorFor(teacher), actorFor(dsl)]);
    // The DSL's search shows every flag, so the pupils cover the groups SLT may and may not know.
    const all = await keepsafe.service.searchPupils(d, "a", 50);
    const withFlag = (f: string) => all.find((p) => p.flags.includes(f as never));
    pupils = [...new Set([withFlag("CP"), withFlag("SEND"), withFlag("PPG"), withFlag("LAC"), ...all.slice(0, 3)].filter((p) => p !== undefined))];
    assert.ok(
      pupils.some((p) => p.flags.includes("CP")),
      "the demo school has a pupil on a child protection plan",
    );
    const locations = (await keepsafe.service.formOptions(t)).locations;
    const sessions = ["morning", "lunch", "afternoon"] as const;
    let n = 0;
    const record = async (actor: Actor, pupil: PupilSummary, categoryIds: string[], extra: Record<string, unknown> = {}) => {
      n++;
      const { incident } = await keepsafe.service
        .recordIncident(actor, {
          submissionId: `report-test-${n}`,
          pupilId: pupil.id,
          occurredAt: new Date(Date.now() - n * 5 * 86_400_000).toISOString(),
          session: sessions[n % 3],
          location: locations[n % locations.length],
          categoryIds,
          account: "Pushed another child at the coat pegs; spoke with them after.",
          alertStaffIds: [dsl.oid],
          toldDslInPerson: "yes",
          source: "tab",
          ...extra,
        })
        .catch((e: { fields?: unknown }) => assert.fail(`record ${n}: ${JSON.stringify(e.fields)}`));
      recorded.push({ id: incident.id, pupil, categoryIds });
      return incident;
    };
    for (const [i, pupil] of pupils.entries()) {
      await record(t, pupil, ["behaviour"]);
      await record(t, pupil, i % 2 ? ["bullying", "safeguarding"] : ["safeguarding"]);
      if (i % 3 === 0) await record(d, pupil, ["child-protection"]);
    }
    // SLT may open a protected record they are alerted to, or tagged in an action on (alerted by a DSL:
    // a teacher's alert to SLT on a protected record waits for a DSL's approval, test/api/held-alerts.test.ts) ...
    await record(d, pupils[0], ["safeguarding"], { alertStaffIds: [dsl.oid, slt.oid] });
    const tagged = await record(d, pupils[1], ["child-in-need"]);
    await keepsafe.service.addAction(d, {
      incidentId: tagged.id,
      requestId: "report-test-tag",
      text: "Asked SLT to join the review.",
      occurredAt: new Date().toISOString(),
      taggedStaffIds: [slt.oid],
    });
    // ... and never one about an allegation against them.
    await record(t, pupils[2], ["behaviour"], { allegationAgainstStaff: { staffIds: [slt.oid] } });
  });
  after(async () => keepsafe?.cleanup());

  /** What SLT can open, asked of the incident route itself (200 or the same 404 as a missing record). */
  const openableBy = async (staff: typeof dsl) => {
    const token = await keepsafe.tokenFor(staff);
    const out: Recorded[] = [];
    for (const r of recorded) {
      const res = await keepsafe.api(`/api/incidents/${r.id}`, token);
      await res.body?.cancel();
      if (res.status === 200) out.push(r);
      else assert.equal(res.status, 404);
    }
    return out;
  };

  it("SLT's totals equal the totals of the records SLT can open, for every filter and grouping", async () => {
    const openable = await openableBy(slt);
    assert.ok(openable.length > 0 && openable.length < recorded.length, "SLT can open some but not all records");
    assert.ok(
      openable.some((r) => r.categoryIds.includes("safeguarding")),
      "an alerted safeguarding record is SLT's to open",
    );
    const form = await keepsafe.service.formOptions(await actorFor(slt));
    const visibleCategories = form.categories.filter((c) => !c.protected).map((c) => c.id);
    const yearGroups = [...new Set(pupils.map((p) => p.yearGroup))];
    const sltFlags = PUPIL_FLAGS.filter((f) => f !== "CP" && f !== "CIN");
    const filters: [Record<string, string>, (r: Recorded) => boolean][] = [
      [{}, () => true],
      ...visibleCategories.map((c): [Record<string, string>, (r: Recorded) => boolean] => [{ categoryIds: c }, (r) => r.categoryIds.includes(c)]),
      ...yearGroups.map((y): [Record<string, string>, (r: Recorded) => boolean] => [{ yearGroups: y }, (r) => r.pupil.yearGroup === y]),
      ...sltFlags.map((f): [Record<string, string>, (r: Recorded) => boolean] => [{ pupilGroups: f }, (r) => r.pupil.flags.includes(f)]),
    ];
    const byGroup = await report(slt, { groupBy: "pupilGroup" });
    for (const [filter, matches] of filters) {
      const expected = openable.filter(matches).length;
      for (const groupBy of REPORT_GROUPINGS) {
        const got = await report(slt, { ...filter, groupBy });
        assert.equal(got.total, expected, `total for ${JSON.stringify(filter)} by ${groupBy}`);
      }
      // A pupil group's row and a filter to it reach the same records: no side channel in small numbers.
      if (filter.pupilGroups) assert.equal(byGroup.rows.find((r) => r.key === filter.pupilGroups)?.count ?? 0, expected, `${filter.pupilGroups} row`);
    }
    const byCategory = await report(slt, { groupBy: "category" });
    assert.deepEqual(
      byCategory.rows.filter((r) => !visibleCategories.includes(r.key)),
      [],
      "no row of a category SLT cannot see",
    );
    assert.ok(
      byGroup.rows.every((r) => r.key !== "CP" && r.key !== "CIN"),
      "CP and CIN are no grouping for SLT",
    );
    const repeated = await report(slt, {});
    for (const p of repeated.repeatedConcerns) assert.equal(p.count, openable.filter((r) => r.pupil.id === p.pupilId).length);
  });

  it("the DSL counts every record, CP and CIN among the pupil groups", async () => {
    const all = await report(dsl, { groupBy: "pupilGroup" });
    assert.equal(all.total, recorded.length);
    assert.equal(all.open, recorded.length);
    assert.equal(all.rows.find((r) => r.key === "CP")?.count, recorded.filter((r) => r.pupil.flags.includes("CP")).length);
    const cp = await report(dsl, { categoryIds: "child-protection", groupBy: "category" });
    assert.equal(cp.total, recorded.filter((r) => r.categoryIds.includes("child-protection")).length);
    const byDay = await report(dsl, { groupBy: "dayOfWeek" });
    assert.equal(
      byDay.rows.reduce((s, r) => s + r.count, 0),
      recorded.length,
      "each record has one day of the week",
    );
  });

  it("refuses staff, SLT asking for what they may not see, SLT without MFA, and bad filters", async () => {
    const q = `from=${from}&to=${today}`;
    const status = async (staff: typeof dsl, query: string, opts?: { mfa?: boolean }) => {
      const res = await keepsafe.api(`/api/reports/incidents?${query}`, await keepsafe.tokenFor(staff, opts));
      const body = (await res.json()) as { error: { code: string } };
      return `${res.status} ${body.error?.code}`;
    };
    assert.equal(await status(teacher, q), "403 forbidden");
    assert.equal(await status(slt, `${q}&categoryIds=safeguarding`), "403 forbidden");
    assert.equal(await status(slt, `${q}&categoryIds=behaviour,child-protection`), "403 forbidden");
    assert.equal(await status(slt, `${q}&pupilGroups=CP`), "403 forbidden");
    assert.equal(await status(slt, `${q}&pupilGroups=CIN`), "403 forbidden");
    assert.match(await status(slt, q, { mfa: false }), /^401 /);
    for (const bad of [
      `from=${today}&to=${from}`,
      `from=2026-02-30&to=${today}`,
      `${q}&groupBy=__proto__`,
      `${q}&pupilGroups=__proto__`,
      `${q}&__proto__=x`,
      `${q}&constructor=x`,
      `from=2020-01-01&to=${today}`,
      `${q}&groupBy=month&groupBy=week`,
    ])
      assert.equal(await status(dsl, bad), "400 validation_failed", bad);
  });

  it("downloads the same report as CSV", async () => {
    const json = await report(dsl, { groupBy: "category" });
    const res = await keepsafe.api(`/api/reports/incidents.csv?from=${from}&to=${today}&groupBy=category`, await keepsafe.tokenFor(dsl));
    assert.equal(res.status, 200);
    assert.match(res.headers.get("content-type") ?? "", /^text\/csv/);
    assert.match(res.headers.get("content-disposition") ?? "", /^attachment; filename="incidents-by-category-/);
    // The DSL's download has a second section, referral timeliness (test/reports/referral-timeliness.test.ts);
    // the incidents' section ends at its total.
    const [incidents, referrals] = (await res.text()).split("\r\n\r\n");
    const lines = incidents.split("\r\n");
    assert.equal(lines[0], "category,incidents");
    assert.equal(lines.at(-1), `Total,${json.total}`);
    assert.equal(lines.length, json.rows.length + 2);
    assert.match(referrals, /^referral agency,on time,late,outstanding,awaiting\r\n/);
    const refused = await keepsafe.api(`/api/reports/incidents.csv?from=${from}&to=${today}`, await keepsafe.tokenFor(teacher));
    assert.equal(refused.status, 403);
  });
});
