/**
 * Scoped roles over real HTTP: the demo's head of year holds SLT for Year 5 only (staff.csv
 * `scope`). They find Year 5 pupils and no other, read Year 5's standard records and no other
 * year's (answered and audited as missing), see only in-scope pupils' chronologies and count only
 * what they may open in reports; an alert still opens a record outside their scope.
 */
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { startTestKeepsafe, staffByRole, type TestKeepsafe } from "../support/keepsafe-instance.js";
import { DEMO_SCHOOL_ID } from "../../src/local/demo-school.js";
import { pupilDisplayName } from "../../src/domain/school.js";
import { BotConversation, cardText, findActions } from "../support/bot-conversation.js";

/** The values of the card's pupil choice (its recent pupils and any chosen one). */
const pupilChoiceValues = (card: any): string[] => {
  const found: string[] = [];
  const walk = (n: any) => {
    if (!n || typeof n !== "object") return;
    if (Array.isArray(n)) return n.forEach(walk);
    if (n.type === "Input.ChoiceSet" && n.id === "pupilId") found.push(...(n.choices ?? []).map((c: any) => c.value));
    Object.values(n).forEach(walk);
  };
  walk(card);
  return found;
};

describe("scoped roles: a head of year sees their year's pupils and records only", function () {
  this.timeout(120_000);
  let keepsafe: TestKeepsafe;
  const hoy = staffByRole(/^Head of year \(Year 5\)/);
  const slt = staffByRole(/^SLT/);
  const teacher = staffByRole(/^Teacher \(Year 3\)/);
  let year5: string;
  let year3: string;
  const json = (body: object): RequestInit => ({ method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  const get = async (who: typeof hoy, path: string) => {
    const res = await keepsafe.api(path, await keepsafe.tokenFor(who));
    return { status: res.status, body: await res.text() };
  };
  const admin = staffByRole(/^Admin staff/);
  const record = async (pupilId: string, categoryIds: string[], alertStaffIds: string[] = [admin.oid]) => {
    const res = await keepsafe.api(
      "/api/incidents",
      await keepsafe.tokenFor(teacher),
      json({
        submissionId: randomUUID(),
        source: "tab",
        pupilId,
        categoryIds,
        alertStaffIds,
        toldDslInPerson: "yes",
        occurredAt: new Date(Date.now() - 3600_000).toISOString(),
        account: "Pushed another pupil at break.",
      }),
    );
    assert.equal(res.status, 201, await res.clone().text());
    return ((await res.json()) as any).incident.id as string;
  };

  before(async () => {
    keepsafe = await startTestKeepsafe();
    const roll = await keepsafe.service["deps"].schools.listPupils(DEMO_SCHOOL_ID);
    year5 = roll.find((p) => p.yearGroup === "Year 5")!.id;
    year3 = roll.find((p) => p.yearGroup === "Year 3")!.id;
  });
  after(async () => keepsafe?.cleanup());

  it("finds only Year 5 pupils in search, where unscoped SLT find every year", async () => {
    const years = async (who: typeof hoy) => new Set(JSON.parse((await get(who, "/api/pupils?query=a")).body).pupils.map((p: any) => p.yearGroup));
    assert.deepEqual([...(await years(hoy))], ["Year 5"]);
    assert.ok((await years(slt)).size > 1);
  });

  it("reads Year 5's standard records, not another year's nor a protected one, each refusal answered as missing and audited", async () => {
    const inScope = await record(year5, ["behaviour"]);
    const otherYear = await record(year3, ["behaviour"]);
    const protectedInScope = await record(year5, ["safeguarding"]);
    assert.equal((await get(hoy, `/api/incidents/${inScope}`)).status, 200);
    assert.equal((await get(slt, `/api/incidents/${otherYear}`)).status, 200, "unscoped SLT read every year's standard records");
    const refused = await get(hoy, `/api/incidents/${otherYear}`);
    assert.deepEqual(refused, await get(hoy, "/api/incidents/incident-that-does-not-exist"), "as a missing record");
    assert.equal((await get(hoy, `/api/incidents/${protectedInScope}`)).status, 404);
    const audit = await keepsafe.service["deps"].records.auditForPupil(year3);
    assert.ok(audit.some((e) => e.type === "access.refused" && e.actorStaffId === hoy.oid && e.incidentId === otherYear));
  });

  it("opens a record outside the scope to a head of year who was alerted to it", async () => {
    const alerted = await record(year3, ["behaviour"], [hoy.oid]);
    assert.equal((await get(hoy, `/api/incidents/${alerted}`)).status, 200);
  });

  it("browses a Year 5 pupil's chronology; another year's pupil answers as one not on the roll, audited", async () => {
    assert.equal((await get(hoy, `/api/pupils/${year5}/chronology`)).status, 200);
    const other = await get(hoy, `/api/pupils/${year3}/chronology`);
    assert.equal(other.status, 404);
    assert.deepEqual(other, await get(hoy, "/api/pupils/pupil-that-does-not-exist/chronology"));
    const audit = await keepsafe.service["deps"].records.auditForPupil(year3);
    assert.ok(audit.some((e) => e.type === "access.refused" && e.actorStaffId === hoy.oid && e.detail?.request === "chronology.view"));
  });

  it("counts in reports only the standard records of their scope, and what they were alerted to", async () => {
    const day = new Date(Date.now() - 3600_000).toISOString().slice(0, 10);
    const total = async (who: typeof hoy) => JSON.parse((await get(who, `/api/reports/incidents?from=${day}&to=${day}&groupBy=yearGroup`)).body);
    const counts = async (who: typeof hoy): Promise<Record<string, number>> =>
      Object.fromEntries((await total(who)).rows.map((r: any) => [r.key, r.count]));
    const added = (before: Record<string, number>, after: Record<string, number>) =>
      Object.fromEntries(Object.keys(after).flatMap((k) => (after[k] !== (before[k] ?? 0) ? [[k, after[k]! - (before[k] ?? 0)]] : [])));
    const [hoyBefore, sltBefore] = [await counts(hoy), await counts(slt)];
    // Its own records, so the test stands alone: Year 5, a behaviour and a safeguarding record;
    // Year 3, two behaviour records, one alerted to the head of year.
    await record(year5, ["behaviour"]);
    await record(year5, ["safeguarding"]);
    await record(year3, ["behaviour"]);
    await record(year3, ["behaviour"], [hoy.oid]);
    assert.deepEqual(added(hoyBefore, await counts(hoy)), { "Year 5": 1, "Year 3": 1 });
    assert.deepEqual(added(sltBefore, await counts(slt)), { "Year 5": 1, "Year 3": 2 });
  });

  // Recording is every member of staff's right, so a head of year may name another year's pupil on a
  // concern; outside their scope they get what a teacher gets (no flags), and lists to choose from stay in scope.
  describe("pupil lists and names outside the scope (README, Scopes)", () => {
    const dsl = staffByRole(/^DSL/);
    let flagged3: { id: string; displayName: string; flags: string[] };
    let flagged5: { id: string; displayName: string; flags: string[] };
    let recordedOutside: string;
    const teacherFlags = (flags: readonly string[]) => flags.filter((f) => f !== "CP" && f !== "CIN");
    const hoyRecords = async (pupilId: string) => {
      const res = await keepsafe.api(
        "/api/incidents",
        await keepsafe.tokenFor(hoy),
        json({
          submissionId: randomUUID(),
          source: "tab",
          pupilId,
          categoryIds: ["welfare"],
          alertStaffIds: [dsl.oid],
          occurredAt: new Date(Date.now() - 10 * 86_400_000).toISOString(),
          account: "Came in without a coat in the rain again.",
        }),
      );
      assert.equal(res.status, 201, await res.clone().text());
      return ((await res.json()) as any).incident.id as string;
    };

    before(async () => {
      const roll = await keepsafe.service["deps"].schools.listPupils(DEMO_SCHOOL_ID);
      const withFlags = (year: string) => {
        const p = roll.find((x) => x.yearGroup === year && teacherFlags(x.flags).length > 0)!;
        return { id: p.id, displayName: pupilDisplayName(p), flags: [...p.flags] };
      };
      [flagged3, flagged5] = [withFlags("Year 3"), withFlags("Year 5")];
      assert.ok(flagged3 && flagged5, "the demo roll has flagged pupils in Year 3 and Year 5");
      recordedOutside = await hoyRecords(flagged3.id);
      await hoyRecords(flagged5.id);
    });

    it("tab: names another year's pupil on the head of year's own record without the flags SLT would see; their own year's with them", async () => {
      const outside = JSON.parse((await get(hoy, `/api/incidents/${recordedOutside}`)).body);
      assert.equal(outside.pupil.id, flagged3.id, "the raiser still reads what they recorded");
      assert.deepEqual(outside.pupil.flags, [], "outside the scope: a teacher's view, no flags");
      assert.deepEqual(JSON.parse((await get(slt, `/api/incidents/${recordedOutside}`)).body).pupil.flags, teacherFlags(flagged3.flags));
      const inScope = JSON.parse((await get(hoy, `/api/pupils?query=${encodeURIComponent(flagged5.displayName)}`)).body).pupils;
      assert.deepEqual(inScope.find((p: any) => p.id === flagged5.id)?.flags, teacherFlags(flagged5.flags), "in scope: SLT's flags");
    });

    it("bot: the form's recent pupils and the typeahead offer only the scope; a chosen pupil from another year is still named", async () => {
      const chat = new BotConversation(keepsafe.url, keepsafe.local.connector!, hoy, keepsafe.config.identity.tenantId);
      const form = await chat.sendAndWaitForCard("record a concern");
      const choices = pupilChoiceValues(form);
      assert.ok(choices.includes(flagged5.id), "their own year's recent pupil is offered");
      assert.ok(!choices.includes(flagged3.id), "another year's is not offered, though they recorded about them");
      const found = (await chat.search(flagged3.displayName.split(" ")[0])).body.value.results.map((r: any) => r.value);
      assert.ok(!found.includes(flagged3.id), "the typeahead searches the scope only");
      const refresh = findActions(form).find((a) => a.verb === "refreshConcernForm");
      const again = await chat.execute(refresh.verb, { ...refresh.data, pupilId: flagged3.id, categoryIds: "welfare" });
      assert.ok(pupilChoiceValues(again.body.value).includes(flagged3.id), "the pupil they chose stays named on the form");
      assert.ok(cardText(again.body.value).includes(flagged3.displayName));
    });
  });
});
