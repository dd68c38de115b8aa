import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { createCosmosStores, type CosmosStores } from "../../src/adapters/cosmos/create-cosmos-stores.js";
import { IMPORT_CHUNK_SIZE, importSchool, type ImportProgress } from "../../src/app/import-school.js";
import { DEFAULT_CATEGORIES } from "../../src/domain/categories.js";
import { isKeepsafeError, type KeepsafeError } from "../../src/domain/errors.js";
import { pupilIdFor } from "../../src/domain/identifiers.js";
import { startLocalCosmos, type LocalCosmos } from "../../src/local/cosmos/local-cosmos.js";
import { DEMO_SCHOOL_ID, DEMO_STAFF, ensureDemoSchool } from "../../src/local/demo-school.js";
import type { SchoolStore } from "../../src/ports/school-store.js";

const clock = { now: () => new Date("2025-03-10T09:00:00Z") };
const PUPIL_HEADER = "upn,forename,surname,preferred_name,date_of_birth,year_group,class,flags";
const STAFF_HEADER = "aad_object_id,display_name,email,role,head_teacher";

const DSL = "7d1c2b5e-3f4a-4c8e-9b21-0a6d5e4f3c21";
const DDSL = "2a9e6f13-8c4d-4b7a-a5e2-61f0d3c9b842";
const SLT = "c4b83e70-1d2f-4e96-8a3b-5f7c9d0e1a63";
const TEACHER = "5e0f7a24-9b3c-4d18-b6e5-2c8a1f4d7b94";

const staffCsv = [
  STAFF_HEADER,
  `${DSL},Helen Okafor,helen@school.example,DSL,yes`,
  `${DDSL},Tom Fairweather,tom@school.example,DDSL,`,
  `${SLT},Priya Raman,priya@school.example,SLT,`,
  `${TEACHER},Gareth Hughes,gareth@school.example,STAFF,`,
].join("\n");

/** n valid pupils; UPNs A000000000001.. so tests can address them. */
function pupilsCsv(n: number, classOf: (i: number) => string = () => "Owls"): string {
  const rows = [PUPIL_HEADER];
  for (let i = 1; i <= n; i++) {
    rows.push(`A${String(i).padStart(12, "0")},Pupil${i},Surname${i},,2018-0${(i % 9) + 1}-15,Year 2,${classOf(i)},${i % 5 === 0 ? "SEND;PPG" : ""}`);
  }
  return `${rows.join("\r\n")}\r\n`;
}

const expectValidationError = async (p: Promise<unknown>): Promise<KeepsafeError> => {
  try {
    await p;
  } catch (e) {
    if (isKeepsafeError(e) && e.code === "validation_failed") return e;
    throw e;
  }
  assert.fail("expected a validation error");
};

describe("importSchool against the local Cosmos server", function () {
  this.timeout(60_000);
  let dataDir: string;
  let cosmos: LocalCosmos;
  let schools: SchoolStore;
  let stores: CosmosStores;

  before(async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), "keepsafe-import-"));
    cosmos = await startLocalCosmos({ dataDir });
    stores = await createCosmosStores({ endpoint: cosmos.endpoint, key: cosmos.key, databaseId: "keepsafe", caPem: cosmos.caPem });
    schools = stores.schoolStore;
  });
  after(async () => {
    stores?.dispose();
    await cosmos?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("creates the school with its defaults, pupils, staff and alert groups, reporting progress in chunks", async () => {
    const progress: ImportProgress[] = [];
    const n = IMPORT_CHUNK_SIZE * 2 + 30;
    const report = await importSchool(
      { schools, clock },
      { schoolId: "s-import", schoolName: "Oakfield Primary", pupilsCsv: pupilsCsv(n), staffCsv, onProgress: (p) => progress.push(p) },
    );
    assert.deepEqual(report.pupils, { total: n, created: n, updated: 0 });
    assert.deepEqual(report.staff, { total: 4, created: 4, updated: 0 });
    assert.equal(report.schoolCreated, true);

    const school = await schools.getSchool("s-import");
    assert.ok(school);
    assert.equal(school.name, "Oakfield Primary");
    assert.equal(school.timeZone, "Europe/London");
    assert.deepEqual(
      school.categories.map((c) => c.id),
      DEFAULT_CATEGORIES.map((c) => c.id),
    );
    assert.ok(school.locations.includes("Playground") && school.locations.includes("Online"));
    assert.deepEqual(
      school.alertGroups.map((g) => [g.name, g.staffIds]),
      [
        ["Safeguarding team", [DDSL, DSL].sort()],
        ["SLT", [SLT]],
        ["Head of School", [DSL]],
      ],
    );
    assert.equal(school.headTeacherStaffId, DSL);

    const stored = await schools.listPupils("s-import");
    assert.equal(stored.length, n);
    const fifth = await schools.getPupil("s-import", pupilIdFor("s-import", "A000000000005"));
    assert.deepEqual(fifth?.flags, ["SEND", "PPG"]);
    assert.equal((await schools.findStaffById(TEACHER))?.role, "STAFF");

    const pupilProgress = progress.filter((p) => p.file === "pupils");
    assert.deepEqual(
      pupilProgress.map((p) => p.done),
      [0, IMPORT_CHUNK_SIZE, IMPORT_CHUNK_SIZE * 2, n],
    );
    assert.ok(pupilProgress.every((p) => p.total === n));
    assert.deepEqual(
      progress.filter((p) => p.file === "staff").map((p) => p.done),
      [0, 4],
    );
  });

  it("updates on re-import (a changed class) without duplicating, and keeps pupils missing from the file", async () => {
    const report = await importSchool(
      { schools, clock },
      { schoolId: "s-import", pupilsCsv: pupilsCsv(200, (i) => (i === 7 ? "Kestrels" : "Owls")) },
    );
    assert.deepEqual(report.pupils, { total: 200, created: 0, updated: 200 });
    assert.equal(report.schoolCreated, false);
    const stored = await schools.listPupils("s-import");
    assert.equal(stored.length, IMPORT_CHUNK_SIZE * 2 + 30, "the 30 not in this file are still there, nothing doubled");
    assert.equal(new Set(stored.map((p) => p.id)).size, stored.length);
    assert.equal((await schools.getPupil("s-import", pupilIdFor("s-import", "A000000000007")))?.className, "Kestrels");
    // Without a staff file the alert groups are left as they were.
    assert.deepEqual((await schools.getSchool("s-import"))?.alertGroups.find((g) => g.id === "safeguarding-team")?.staffIds, [DDSL, DSL].sort());
  });

  it("rejects a file with bad rows, listing each by line and column, and writes nothing of it", async () => {
    const bad = [
      PUPIL_HEADER,
      "B000000000001,Ada,Lovelace,,2018-01-01,Year 2,Owls,", // fine, but must not be written
      "B000000000002,Alan,Turing,,2018-13-01,Year 2,Owls,", // line 3: impossible month
      "B000000000003,Grace,Hopper,,2018-01-01,Year 2,Owls,CP;SECRET", // line 4: unknown flag
      "B000000000001,Ada,Again,,2018-01-01,Year 2,Owls,", // line 5: repeated UPN
    ].join("\n");
    const badStaff = `${STAFF_HEADER}\nnot-a-guid,Someone,someone@school.example,DSL,\n`;
    const before = (await schools.listPupils("s-import")).length;
    const error = await expectValidationError(importSchool({ schools, clock }, { schoolId: "s-import", pupilsCsv: bad, staffCsv: badStaff }));
    assert.deepEqual(
      error.fields.map((f) => `${f.field} | ${f.message}`),
      [
        "pupils:date_of_birth | line 3: date_of_birth: is not a real date",
        "pupils:flags | line 4: flags: may only contain LAC, CP, CIN, SEND, EAL, PPG, YC separated by semicolons",
        "pupils:upn | line 5: upn: repeats the value on line 2",
        "staff:aad_object_id | line 2: aad_object_id: must be the Entra object id, a GUID such as 0b6f3c2e-8d1a-4f7e-9c55-3a2b1d0e9f11",
      ],
    );
    assert.match(error.message, /Nothing was imported: the pupils file has 3 problems and the staff file has 1 problem/);
    assert.doesNotMatch(JSON.stringify(error.fields), /Ada|Lovelace|Turing|Hopper|Someone/);
    assert.equal((await schools.listPupils("s-import")).length, before);
    assert.equal(await schools.getPupil("s-import", pupilIdFor("s-import", "B000000000001")), undefined);
  });

  it("writes nothing at all, not even the good file, when the other file is bad", async () => {
    await expectValidationError(
      importSchool(
        { schools, clock },
        { schoolId: "s-other", pupilsCsv: pupilsCsv(3), staffCsv: `${STAFF_HEADER}\n${DSL},Helen,not-an-email,DSL,\n` },
      ),
    );
    assert.equal(await schools.getSchool("s-other"), undefined);
    assert.deepEqual(await schools.listPupils("s-other"), []);
  });

  it("imports the demo school once, with the demo staff as its alert groups", async () => {
    const first = await ensureDemoSchool(schools, clock);
    assert.ok(first && first.pupils && first.pupils.total >= 190);
    assert.equal(await ensureDemoSchool(schools, clock), undefined, "a second start leaves it alone");
    const school = await schools.getSchool(DEMO_SCHOOL_ID);
    const head = DEMO_STAFF.find((s) => s.headTeacher)!;
    assert.equal(school?.headTeacherStaffId, head.oid);
    assert.deepEqual(school?.alertGroups.find((g) => g.id === "head-of-school")?.staffIds, [head.oid]);
    assert.equal((await schools.listStaff(DEMO_SCHOOL_ID)).length, DEMO_STAFF.length);
  });
});
