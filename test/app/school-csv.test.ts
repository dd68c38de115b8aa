import assert from "node:assert/strict";
import { parsePupilsCsv, parseStaffCsv } from "../../src/app/school-csv.js";
import { pupilIdFor } from "../../src/domain/identifiers.js";
import { demoSchoolCsv, DEMO_STAFF, upnWithCheckLetter } from "../../src/local/demo-school.js";

const today = "2025-03-10";
const HEADER = "upn,forename,surname,preferred_name,date_of_birth,year_group,class,flags";

describe("pupils.csv parsing", () => {
  it("tolerates a BOM, CRLF, header case and spacing, and whitespace around fields", () => {
    const csv =
      `\uFEFF UPN , Forename,SURNAME,Preferred Name,Date_Of_Birth,Year Group,Class,Flags\r\n` +
      ` a123456789012 , Amelia , Smith ,, 2018-05-01 ,Year 1, Wrens , SEND ;eal;\r\n` +
      `\r\n` +
      `B123456789013,"Oliver, Jr",Jones,Olly,2017-12-31,Year 2,Owls,\r\n`;
    const { pupils, problems } = parsePupilsCsv(csv, { schoolId: "s1", today });
    assert.deepEqual(problems, []);
    assert.equal(pupils.length, 2);
    assert.deepEqual(pupils[0], {
      id: pupilIdFor("s1", "A123456789012"),
      schoolId: "s1",
      upn: "A123456789012",
      forename: "Amelia",
      surname: "Smith",
      dateOfBirth: "2018-05-01",
      yearGroup: "Year 1",
      className: "Wrens",
      flags: ["SEND", "EAL"],
      archived: false,
    });
    assert.equal(pupils[1].forename, "Oliver, Jr");
    assert.equal(pupils[1].preferredName, "Olly");
    assert.deepEqual(pupils[1].flags, []);
  });

  it("reports every bad row with its line and column, and never the value", () => {
    const csv = [
      HEADER,
      "A123456789012,Amelia,Smith,,2018-05-01,Year 1,Wrens,SEND", // line 2: fine
      "12345,Oliver,Jones,,2018-02-30,Year 1,Wrens,", // line 3: bad UPN, impossible date
      "B123456789013,,Jones,,2030-01-01,Year 1,Wrens,XYZ", // line 4: no forename, future date, unknown flag
      "", // line 5: blank, skipped
      "A123456789012,Isla,Brown,,2018-01-01,Year 1,Wrens,", // line 6: repeats line 2's UPN
      "C123456789014,Noah,Taylor", // line 7: too few fields
    ].join("\n");
    const { pupils, problems } = parsePupilsCsv(csv, { schoolId: "s1", today });
    assert.deepEqual(
      problems.map((p) => p.message),
      [
        "line 3: upn: must be 13 characters: a letter then 12 digits",
        "line 3: date_of_birth: is not a real date",
        "line 4: forename: is required",
        "line 4: date_of_birth: must be in the past",
        "line 4: flags: may only contain LAC, CP, CIN, SEND, EAL, PPG, YC separated by semicolons",
        "line 6: upn: repeats the value on line 2",
        "line 7: row: has 3 fields but the header has 8",
      ],
    );
    assert.equal(problems[1].field, "date_of_birth");
    for (const p of problems) assert.doesNotMatch(p.message, /Oliver|Jones|Isla|12345|2030|XYZ/);
    // Only the valid rows come back; the caller decides not to write any of them.
    assert.equal(pupils.length, 2);
  });

  it("requires the header row's columns", () => {
    const { problems } = parsePupilsCsv("upn,forename,surname\nA123456789012,Amelia,Smith\n", { schoolId: "s1", today });
    assert.deepEqual(
      problems.map((p) => p.message),
      ["line 1: date_of_birth: column is missing from the header row", "line 1: year_group: column is missing from the header row"],
    );
  });

  it("reports a broken quote as unreadable at its line", () => {
    const { problems } = parsePupilsCsv(`${HEADER}\nA123456789012,"Amelia,Smith,,2018-05-01,Year 1,Wrens,\n`, {
      schoolId: "s1",
      today,
    });
    assert.equal(problems.length, 1);
    assert.match(problems[0].message, /^line 2: file: the CSV cannot be read \(CSV_QUOTE_NOT_CLOSED\)$/);
  });

  it("gives the starting line of a row after a multi-line quoted field", () => {
    const csv = `${HEADER}\nA123456789012,"Ame\nlia",Smith,,2018-05-01,Year 1,Wrens,\nB123456789013,Oliver,Jones,,bad,Year 1,Wrens,\n`;
    const { problems } = parsePupilsCsv(csv, { schoolId: "s1", today });
    assert.deepEqual(
      problems.map((p) => p.message),
      ["line 4: date_of_birth: must be a date written YYYY-MM-DD"],
    );
  });
});

describe("staff.csv parsing", () => {
  const header = "aad_object_id,display_name,email,role";

  it("parses roles case-insensitively and lower-cases object ids", () => {
    const csv = `${header}\n7D1C2B5E-3F4A-4C8E-9B21-0A6D5E4F3C21,Helen Okafor,helen@school.example,dsl\n`;
    const { staff, problems, headTeacherIds } = parseStaffCsv(csv, { schoolId: "s1" });
    assert.deepEqual(problems, []);
    assert.equal(headTeacherIds, undefined, "no head_teacher column means no change to the head");
    assert.deepEqual(staff, [
      {
        id: "7d1c2b5e-3f4a-4c8e-9b21-0a6d5e4f3c21",
        schoolId: "s1",
        displayName: "Helen Okafor",
        email: "helen@school.example",
        role: "DSL",
        active: true,
      },
    ]);
  });

  it("reads an optional scope of year groups and classes for a head of year", () => {
    const csv =
      `${header},scope\n3f6b9d02-7a1e-4c58-b3d4-8e2f0a6c1b57,Nadia Osei,nadia@school.example,SLT, year:9 ;YEAR:10;class:9R\n` +
      `2a9e6f13-8c4d-4b7a-a5e2-61f0d3c9b842,Tom Fairweather,tom@school.example,DDSL,\n`;
    const { staff, problems } = parseStaffCsv(csv, { schoolId: "s1" });
    assert.deepEqual(problems, []);
    assert.deepEqual(staff[0].scope, [
      { kind: "year", value: "9" },
      { kind: "year", value: "10" },
      { kind: "class", value: "9R" },
    ]);
    assert.equal(staff[1].scope, undefined, "an empty scope is no scope");
  });

  it("refuses a badly written scope, and a scope on any role but SLT, by line and without the value", () => {
    const csv = [
      `${header},scope`,
      "3f6b9d02-7a1e-4c58-b3d4-8e2f0a6c1b57,A Person,a@school.example,SLT,form:9",
      "2a9e6f13-8c4d-4b7a-a5e2-61f0d3c9b842,B Person,b@school.example,SLT,year:",
      "5e0f7a24-9b3c-4d18-b6e5-2c8a1f4d7b94,C Person,c@school.example,STAFF,year:9",
      "7d1c2b5e-3f4a-4c8e-9b21-0a6d5e4f3c21,D Person,d@school.example,DSL,year:9",
      `91d4c6b8-2e7a-4f05-8c19-3b6e0a5d2f75,E Person,e@school.example,SLT,${Array.from({ length: 21 }, (_, i) => `year:${i}`).join(";")}`,
    ].join("\r\n");
    const { problems, staff } = parseStaffCsv(csv, { schoolId: "s1" });
    const wrongRole =
      "scope: applies only to the role SLT (a head of year or phase leader holds SLT for their scope); leave it empty for DSL, DDSL and STAFF";
    assert.deepEqual(
      problems.map((p) => p.message),
      [
        "line 2: scope: must be year:<year group> or class:<class> (at most 40 characters each), separated by semicolons, e.g. year:9;class:9R",
        "line 3: scope: must be year:<year group> or class:<class> (at most 40 characters each), separated by semicolons, e.g. year:9;class:9R",
        `line 4: ${wrongRole}`,
        `line 5: ${wrongRole}`,
        "line 6: scope: may hold at most 20 year groups or classes",
      ],
    );
    assert.deepEqual(staff, [], "no row with a bad scope is imported");
    assert.ok(!problems.some((p) => p.message.includes("form:9")), "never the value");
  });

  it("reports bad object ids, emails, roles and duplicates by line", () => {
    const csv = [
      header,
      "not-a-guid,A Person,a@school.example,STAFF",
      "2a9e6f13-8c4d-4b7a-a5e2-61f0d3c9b842,B Person,not-an-email,TEACHER",
      "2a9e6f13-8c4d-4b7a-a5e2-61f0d3c9b842,C Person,c@school.example,SLT",
    ].join("\r\n");
    const { problems } = parseStaffCsv(csv, { schoolId: "s1" });
    assert.deepEqual(
      problems.map((p) => p.message.replace(/GUID such as .*/, "GUID")),
      [
        "line 2: aad_object_id: must be the Entra object id, a GUID",
        "line 3: email: must be an email address",
        "line 3: role: must be one of DSL, DDSL, SLT, STAFF",
        "line 4: aad_object_id: repeats the value on line 3",
      ],
    );
  });
});

describe("demo school CSV", () => {
  it("imports cleanly: about 200 pupils in Reception to Year 6, valid UPNs, one of each staff role", () => {
    const now = new Date("2025-09-02T08:00:00Z");
    const { pupilsCsv, staffCsv } = demoSchoolCsv(now);
    const pupils = parsePupilsCsv(pupilsCsv, { schoolId: "demo", today: "2025-09-02" });
    const staff = parseStaffCsv(staffCsv, { schoolId: "demo" });
    assert.deepEqual(pupils.problems, []);
    assert.deepEqual(staff.problems, []);
    assert.ok(pupils.pupils.length >= 190 && pupils.pupils.length <= 220);
    assert.deepEqual([...new Set(pupils.pupils.map((p) => p.yearGroup))], ["Reception", "Year 1", "Year 2", "Year 3", "Year 4", "Year 5", "Year 6"]);
    for (const flag of ["SEND", "PPG", "EAL", "LAC", "CP", "CIN"]) {
      assert.ok(
        pupils.pupils.some((p) => p.flags.includes(flag as never)),
        `some pupil is ${flag}`,
      );
    }
    // A Reception child in September 2025 was born between 1 Sep 2020 and 31 Aug 2021.
    for (const p of pupils.pupils.filter((x) => x.yearGroup === "Reception")) {
      assert.ok(p.dateOfBirth >= "2020-09-01" && p.dateOfBirth <= "2021-08-31", p.dateOfBirth);
    }
    assert.deepEqual(staff.headTeacherIds, [DEMO_STAFF[0].oid]);
    assert.deepEqual(
      staff.staff.map((s) => s.role),
      ["DSL", "DDSL", "SLT", "STAFF", "STAFF", "STAFF", "SLT"],
    );
    assert.deepEqual(staff.staff.at(-1)?.scope, [{ kind: "year", value: "5" }], "the demo's head of year holds SLT for Year 5");
    assert.equal(demoSchoolCsv(now).pupilsCsv, pupilsCsv, "the demo is the same every time");
  });

  it("computes the DfE check letter", () => {
    // Worked example: digits 0..9,0,1 weighted 2..13 sum to 277 + ... ; check against a hand sum.
    const digits = "823456789012";
    const sum = [...digits].reduce((acc, d, i) => acc + Number(d) * (i + 2), 0);
    assert.equal(upnWithCheckLetter(digits), `${"ABCDEFGHJKLMNPQRTUVWXYZ"[sum % 23]}${digits}`);
    assert.match(upnWithCheckLetter(digits), /^[A-Z]\d{12}$/);
  });
});
