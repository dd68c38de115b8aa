/** School setup against the real local Cosmos server: guidance, locations, chair; all-or-nothing checks. */
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { startLocalCosmos, type LocalCosmos } from "../../src/local/cosmos/index.js";
import { createCosmosStores } from "../../src/adapters/cosmos/index.js";
import { applySchoolSetup } from "../../src/app/school-setup.js";
import { KeepsafeService } from "../../src/app/keepsafe-service.js";
import { DEFAULT_CATEGORIES } from "../../src/domain/categories.js";
import { DEMO_SCHOOL_ID, DEMO_STAFF, ensureDemoSchool } from "../../src/local/demo-school.js";
import { systemClock } from "../../src/ports/clock.js";
import { main as cli } from "../../src/cli/keepsafe.js";
import type { SchoolStore } from "../../src/ports/school-store.js";
import type { RecordStore } from "../../src/ports/record-store.js";
import { addSchoolDays, calendarOf, isSchoolDay } from "../../src/domain/school-calendar.js";

describe("school setup", function () {
  this.timeout(60_000);
  let dir: string;
  let cosmos: LocalCosmos;
  let schools: SchoolStore;
  let records: RecordStore;
  let dispose: () => void;
  const dsl = DEMO_STAFF.find((s) => s.role === "DSL")!;
  const admin = DEMO_STAFF.find((s) => /Admin/.test(s.label))!;

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "keepsafe-setup-"));
    cosmos = await startLocalCosmos({ dataDir: dir });
    const stores = await createCosmosStores({ endpoint: cosmos.endpoint, key: cosmos.key, caPem: cosmos.caPem, databaseId: "keepsafe" });
    ({ schoolStore: schools, recordStore: records, dispose } = stores);
    await ensureDemoSchool(schools);
  });
  after(async () => {
    dispose?.();
    await cosmos?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const categoriesWith = (change: (c: (typeof DEFAULT_CATEGORIES)[number]) => object) => DEFAULT_CATEGORIES.map((c) => ({ ...c, ...change(c) }));

  it("sets guidance, locations and the chair of governors, and the form shows them", async () => {
    await applySchoolSetup({ schools }, DEMO_SCHOOL_ID, {
      locations: ["Classroom", "Forest school", "Minibus"],
      chairOfGovernorsStaffId: admin.oid,
      categories: categoriesWith((c) => (c.id === "attendance" ? { guidance: "Record the time they arrived and who brought them." } : {})),
    });
    const service = new KeepsafeService({ schools, records, clock: systemClock });
    const actor = await service.resolveActor(dsl.oid, { mfa: true });
    const options = await service.formOptions(actor);
    assert.deepEqual(options.locations, ["Classroom", "Forest school", "Minibus"]);
    assert.equal(options.categories.find((c) => c.id === "attendance")?.guidance, "Record the time they arrived and who brought them.");
    assert.equal((await schools.getSchool(DEMO_SCHOOL_ID))?.chairOfGovernorsStaffId, admin.oid);
  });

  it("sets the school's own referral agencies and response days, which the chronology forms offer; refuses a bad list", async () => {
    const agencies = [
      { id: "mash", name: "Northshire MASH", responseDays: 1 },
      { id: "camhs", name: "CAMHS", responseDays: 30 },
    ];
    await applySchoolSetup({ schools }, DEMO_SCHOOL_ID, { referralAgencies: agencies });
    const service = new KeepsafeService({ schools, records, clock: systemClock });
    const options = await service.caseEntryOptions(await service.resolveActor(dsl.oid, { mfa: true }));
    assert.deepEqual(options.agencies, agencies);
    for (const bad of [
      [],
      [{ id: "x", name: "X", responseDays: 1.5 }],
      [agencies[0], agencies[0]],
      [{ id: "__proto__", name: "X", responseDays: 1 }],
      [{ id: "constructor", name: "X", responseDays: 1 }],
      [{ id: "prototype", name: "X", responseDays: 1 }],
    ]) {
      await assert.rejects(applySchoolSetup({ schools }, DEMO_SCHOOL_ID, { referralAgencies: bad }), /setup file has problems/, JSON.stringify(bad));
    }
    assert.deepEqual((await schools.getSchool(DEMO_SCHOOL_ID))?.referralAgencies, agencies, "a refused list changes nothing");
  });

  it("refuses to open up child protection, an unknown chair or a bad time zone, changing nothing", async () => {
    const before = JSON.stringify(await schools.getSchool(DEMO_SCHOOL_ID));
    await assert.rejects(
      applySchoolSetup({ schools }, DEMO_SCHOOL_ID, {
        timeZone: "Mars/Olympus",
        chairOfGovernorsStaffId: "not-a-member",
        categories: categoriesWith((c) => (c.id === "child-protection" ? { dslAllocatedOnly: false } : {})),
      }),
      (e: { code: string; fields: { field: string }[] }) => {
        assert.equal(e.code, "validation_failed");
        assert.deepEqual(
          e.fields.map((f) => f.field),
          ["timeZone"],
        );
        return true;
      },
    );
    await assert.rejects(
      applySchoolSetup({ schools }, DEMO_SCHOOL_ID, {
        chairOfGovernorsStaffId: "not-a-member",
        categories: categoriesWith((c) => (c.id === "child-protection" ? { dslAllocatedOnly: false } : {})).filter((c) => c.id !== "child-in-need"),
      }),
      (e: { fields: { field: string }[] }) => {
        const fields = e.fields.map((f) => f.field).sort();
        assert.deepEqual(fields, ["categories.child-in-need", "categories.child-protection", "chairOfGovernorsStaffId"]);
        return true;
      },
    );
    assert.equal(JSON.stringify(await schools.getSchool(DEMO_SCHOOL_ID)), before, "nothing changed");
  });

  it("sets the school's terms and closed days, which count its school days; refuses bad dates, overlaps and closed days outside a term by field, changing nothing", async () => {
    const terms = [
      { name: "Spring term", firstDay: "2027-01-05", lastDay: "2027-03-26" },
      { name: "Autumn term", firstDay: "2026-09-02", lastDay: "2026-12-18" },
    ];
    const updated = await applySchoolSetup({ schools }, DEMO_SCHOOL_ID, {
      calendar: { terms, nonSchoolDays: [{ name: "INSET day", kind: "inset", firstDay: "2026-11-13" }] },
      subjectAccessAlertDays: 3,
    });
    assert.deepEqual(
      updated.calendar?.terms.map((t) => t.name),
      ["Autumn term", "Spring term"],
      "kept in date order",
    );
    assert.deepEqual(updated.calendar?.nonSchoolDays, [{ name: "INSET day", kind: "inset", firstDay: "2026-11-13", lastDay: "2026-11-13" }]);
    assert.equal(updated.subjectAccessAlertDays, 3);
    assert.equal(isSchoolDay(calendarOf(updated), "2026-11-13"), false, "the INSET day");
    assert.equal(isSchoolDay(calendarOf(updated), "2026-12-21"), false, "the Christmas holiday");
    assert.equal(addSchoolDays(calendarOf(updated), "2026-12-18", 1), "2027-01-05");

    const before = JSON.stringify(await schools.getSchool(DEMO_SCHOOL_ID));
    const problems = async (calendar: unknown) => {
      const fields: string[] = [];
      await assert.rejects(
        applySchoolSetup({ schools }, DEMO_SCHOOL_ID, { calendar }),
        (e: { code: string; fields: { field: string; message: string }[] }) => {
          assert.equal(e.code, "validation_failed");
          fields.push(...e.fields.map((f) => `${f.field}: ${f.message}`));
          return true;
        },
      );
      return fields;
    };
    assert.deepEqual(await problems({ terms: [{ name: "Autumn term", firstDay: "2026-12-18", lastDay: "2026-09-02" }] }), [
      "calendar.terms.0.lastDay: Autumn term ends (2026-09-02) before it starts (2026-12-18).",
    ]);
    assert.deepEqual(
      await problems({
        terms: [
          { name: "Autumn term", firstDay: "2026-09-02", lastDay: "2026-12-18" },
          { name: "Spring term", firstDay: "2026-12-14", lastDay: "2027-03-26" },
        ],
      }),
      ["calendar.terms.1.firstDay: Spring term starts before Autumn term (2026-09-02 to 2026-12-18) ends."],
    );
    assert.deepEqual(await problems({ terms, nonSchoolDays: [{ name: "Christmas Day", kind: "bank-holiday", firstDay: "2026-12-25" }] }), [
      "calendar.nonSchoolDays.0: Christmas Day (2026-12-25 to 2026-12-25) is not inside any one term: list only the days a term is closed.",
    ]);
    assert.deepEqual(
      await problems({
        terms: [{ name: "Autumn term", firstDay: "2026-02-30", lastDay: "18/12/2026" }],
        nonSchoolDays: [{ name: "Half term", kind: "holiday", firstDay: "2026-10-26" }],
      }),
      [
        "calendar.terms.0.firstDay: Give a real date as YYYY-MM-DD.",
        "calendar.terms.0.lastDay: Give a real date as YYYY-MM-DD.",
        'calendar.nonSchoolDays.0.kind: Invalid option: expected one of "bank-holiday"|"half-term"|"inset"|"closure"',
      ],
    );
    assert.deepEqual(await problems(JSON.parse('{"terms": [], "__proto__": {"polluted": true}}')), [
      "calendar.__proto__: This is not part of a school calendar.",
    ]);
    assert.equal(JSON.stringify(await schools.getSchool(DEMO_SCHOOL_ID)), before, "nothing changed");
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });

  it("is what `keepsafe setup --file` applies, reporting problems by field with exit code 1", async () => {
    // The CLI opens the store itself; point it at a fresh data dir of its own.
    const cliDir = fs.mkdtempSync(path.join(os.tmpdir(), "keepsafe-setup-cli-"));
    const out: string[] = [];
    const err: string[] = [];
    const io = { out: (l: string) => out.push(l), err: (l: string) => err.push(l), env: { KEEPSAFE_DATA_DIR: cliDir }, cwd: cliDir };
    try {
      fs.writeFileSync(path.join(cliDir, "staff.csv"), `aad_object_id,display_name,email,role\n${dsl.oid},${dsl.displayName},${dsl.email},DSL\n`);
      assert.equal(await cli(["import", "--staff", "staff.csv", "--school", "cli-school", "--name", "CLI Primary"], io), 0, err.join("\n"));
      fs.writeFileSync(path.join(cliDir, "setup.json"), JSON.stringify({ locations: ["Hall"], headTeacherStaffId: dsl.oid }));
      assert.equal(await cli(["setup", "--file", "setup.json"], io), 0, err.join("\n"));
      assert.match(out.join("\n"), /1 locations/);
      fs.writeFileSync(path.join(cliDir, "bad.json"), JSON.stringify({ locations: [], colour: "blue" }));
      assert.equal(await cli(["setup", "--file", "bad.json"], io), 1);
      assert.match(err.join("\n"), /Nothing was changed/);
      fs.writeFileSync(path.join(cliDir, "broken.json"), "{ not json");
      assert.equal(await cli(["setup", "--file", "broken.json"], io), 1);
      assert.match(err.join("\n"), /not readable JSON/);
    } finally {
      fs.rmSync(cliDir, { recursive: true, force: true });
    }
  });
});
