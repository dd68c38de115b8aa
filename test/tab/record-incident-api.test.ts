/**
 * POST /api/incidents, the tab's door to the record-a-concern command, against a running Keepsafe:
 * 201 with the reference, 400 naming each field, the DSL-only categories refused to staff, and a
 * repeated submit answered with the first incident. GET /api/incidents/{id} then shows it all.
 */
import assert from "node:assert/strict";
import { startTestKeepsafe, staffByRole, type TestKeepsafe } from "../support/keepsafe-instance.js";

describe("tab API: POST /api/incidents", function () {
  this.timeout(60_000);
  let keepsafe: TestKeepsafe;
  let teacherToken: string;
  let pupilIds: string[];
  const teacher = staffByRole(/^Teacher \(Year 3\)/);
  const dsl = staffByRole(/^DSL/);
  const deputy = staffByRole(/^Deputy DSL/);

  before(async () => {
    keepsafe = await startTestKeepsafe();
    teacherToken = await keepsafe.tokenFor(teacher);
    const found = await (await keepsafe.api("/api/pupils?query=a", teacherToken)).json();
    pupilIds = found.pupils.map((p: { id: string }) => p.id);
    assert.ok(pupilIds.length >= 2);
  });
  after(async () => keepsafe?.cleanup());

  const post = (token: string, body: unknown) =>
    keepsafe.api("/api/incidents", token, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  const concern = (submissionId: string, extra: Record<string, unknown> = {}) => ({
    submissionId,
    source: "tab",
    pupilId: pupilIds[0],
    categoryIds: ["behaviour"],
    subCategoryIds: ["defiance"],
    categoryFields: { behaviour: { deescalation: ["Calm talking", "Distraction"] } },
    occurredAt: new Date(Date.now() - 30 * 60_000).toISOString(),
    session: "lunch",
    location: "Playground",
    account: "Refused to come in from the playground and shouted at the lunchtime supervisor.",
    linkedPupils: [{ pupilId: pupilIds[1], part: "witness" }],
    status: "active",
    assignedToStaffId: deputy.oid,
    agencyInvolved: "Early help",
    alertStaffIds: [dsl.oid],
    ...extra,
  });

  it("records a concern (201) and the incident view shows every field, in words", async () => {
    const res = await post(
      teacherToken,
      concern("tab-api-test-0001", { bodyMap: { marks: [{ side: "back", x: 0.5, y: 0.4, colour: "Blue", shape: "Bruise" }] } }),
    );
    assert.equal(res.status, 201);
    const { incident } = await res.json();
    assert.match(incident.reference, /^KS-[A-Z0-9]{7}$/);

    const view = await (await keepsafe.api(`/api/incidents/${encodeURIComponent(incident.id)}`, await keepsafe.tokenFor(dsl))).json();
    const i = view.incident;
    assert.equal(i.reference, incident.reference);
    assert.equal(i.sessionLabel, "Lunchtime");
    assert.equal(i.location, "Playground");
    assert.match(i.dayOfWeek, /^(Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day$/);
    assert.deepEqual(i.subCategories, [{ categoryName: "Behaviour", name: "Defiance" }]);
    assert.deepEqual(i.categoryFields, [{ categoryName: "Behaviour", label: "De-escalation strategies used", value: "Calm talking, Distraction" }]);
    assert.equal(i.linkedPupils[0].partLabel, "Witness");
    assert.equal(i.assignedTo.name, deputy.displayName);
    assert.equal(i.agencyInvolved, "Early help");
    assert.equal(i.disclosure, false);
    assert.equal(i.allegation, undefined);
    assert.deepEqual(i.bodyMap.marks, [{ side: "back", x: 0.5, y: 0.4, colour: "Blue", shape: "Bruise" }]);
    assert.deepEqual(i.files, []);
  });

  it("answers 400 with the problem fields, and stores nothing", async () => {
    const res = await post(teacherToken, concern("tab-api-test-0002", { pupilId: "", account: "short", categoryIds: [] }));
    assert.equal(res.status, 400);
    const body = await res.json();
    const fields = body.error.fields.map((f: { field: string }) => f.field).sort();
    assert.deepEqual(fields, ["account", "categoryIds", "pupilId"]);

    const future = await post(
      teacherToken,
      concern("tab-api-test-0003", {
        occurredAt: new Date(Date.now() + 86_400_000).toISOString(),
        linkedPupils: [{ pupilId: pupilIds[0], part: "witness" }],
      }),
    );
    assert.equal(future.status, 400);
    const problems = (await future.json()).error.fields as { field: string; message: string }[];
    assert.ok(
      problems.some((p) => p.field === "occurredAt" && /future/.test(p.message)),
      JSON.stringify(problems),
    );
    assert.ok(
      problems.some((p) => p.field === "linkedPupil1"),
      JSON.stringify(problems),
    );
    assert.equal(await keepsafe.service["deps"].records.findBySubmission("tab-api-test-0002"), undefined);
  });

  it("refuses Child Protection chosen by a member of staff; only a DSL allocates it", async () => {
    const res = await post(
      teacherToken,
      concern("tab-api-test-0004", { categoryIds: ["child-protection"], subCategoryIds: [], categoryFields: {}, toldDslInPerson: "yes" }),
    );
    assert.equal(res.status, 400);
    const problems = (await res.json()).error.fields as { field: string; message: string }[];
    assert.ok(
      problems.some((p) => p.field === "categoryIds" && /Only a DSL can allocate Child Protection/.test(p.message)),
      JSON.stringify(problems),
    );
  });

  it("answers a repeated submit with the first incident, and only to whoever made it", async () => {
    const first = await post(teacherToken, concern("tab-api-test-0005"));
    assert.equal(first.status, 201);
    const again = await post(teacherToken, concern("tab-api-test-0005", { account: "A second click with different words in it." }));
    assert.equal(again.status, 200);
    assert.deepEqual((await again.json()).incident, (await first.json()).incident);
    const someoneElse = await post(await keepsafe.tokenFor(staffByRole(/Reception/)), concern("tab-api-test-0005"));
    assert.equal(someoneElse.status, 409);
  });

  it("takes concerns from the tab only, and needs a token", async () => {
    const bot = await post(teacherToken, concern("tab-api-test-0006", { source: "bot" }));
    assert.equal(bot.status, 400);
    const anonymous = await fetch(`${keepsafe.url}/api/incidents`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(concern("tab-api-test-0007")),
    });
    assert.equal(anonymous.status, 401);
  });
});
