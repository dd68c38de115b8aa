import assert from "node:assert/strict";
import {
  authorize,
  can,
  canAllocateCategory,
  canViewIncident,
  assertCanViewIncident,
  chasesOverdueReferrals,
  visiblePupilFlags,
} from "../../src/domain/policy/index.js";
import { PUPIL_FLAGS } from "../../src/domain/school.js";
import { DEFAULT_CATEGORIES, findCategory } from "../../src/domain/categories.js";
import type { Actor } from "../../src/domain/actor.js";
import type { Role } from "../../src/domain/roles.js";

const actor = (role: Role, staffId = `s-${role}`, mfa = true): Actor => ({ staffId, schoolId: "sch", name: role, role, mfa });
const incident = (categoryIds: string[], extra: object = {}) => ({
  raisedBy: { staffId: "author", name: "Author" },
  alertedStaffIds: ["alerted"],
  categoryIds,
  ...extra,
});

describe("access policy", () => {
  it("lets SLT see behaviour but not safeguarding, child protection or child in need", () => {
    assert.equal(canViewIncident(actor("SLT"), incident(["behaviour"]), DEFAULT_CATEGORIES), true);
    for (const c of ["safeguarding", "child-protection", "child-in-need"]) {
      assert.equal(canViewIncident(actor("SLT"), incident(["behaviour", c]), DEFAULT_CATEGORIES), false, c);
    }
  });

  it("lets write-only staff see only what they raised or were alerted to", () => {
    assert.equal(canViewIncident(actor("STAFF"), incident(["behaviour"]), DEFAULT_CATEGORIES), false);
    assert.equal(canViewIncident(actor("STAFF", "author"), incident(["safeguarding"]), DEFAULT_CATEGORIES), true);
    assert.equal(canViewIncident(actor("STAFF", "alerted"), incident(["safeguarding"]), DEFAULT_CATEGORIES), true);
  });

  it("narrows a scoped senior leader (head of year) to standard records of pupils in their scope; raising or an alert still opens one", () => {
    const hoy: Actor = { ...actor("SLT", "hoy"), scopePupilIds: new Set(["p-year9"]) };
    assert.equal(canViewIncident(hoy, incident(["behaviour"], { pupilId: "p-year9" }), DEFAULT_CATEGORIES), true);
    assert.equal(canViewIncident(hoy, incident(["behaviour"], { pupilId: "p-year7" }), DEFAULT_CATEGORIES), false, "another year's pupil");
    assert.equal(
      canViewIncident(hoy, incident(["behaviour"]), DEFAULT_CATEGORIES),
      false,
      "a record whose pupil is not known is not opened by a scope",
    );
    assert.equal(canViewIncident(hoy, incident(["safeguarding"], { pupilId: "p-year9" }), DEFAULT_CATEGORIES), false, "protected, even in scope");
    assert.equal(
      canViewIncident(hoy, incident(["behaviour"], { pupilId: "p-year7", alertedStaffIds: ["hoy"] }), DEFAULT_CATEGORIES),
      true,
      "alerted",
    );
    assert.equal(
      canViewIncident(actor("SLT"), incident(["behaviour"], { pupilId: "p-year7" }), DEFAULT_CATEGORIES),
      true,
      "unscoped SLT: the whole school",
    );
  });

  it("lets DSLs and deputies see every category", () => {
    for (const role of ["DSL", "DDSL"] as const) {
      assert.equal(canViewIncident(actor(role), incident(["child-protection"]), DEFAULT_CATEGORIES), true);
    }
  });

  it("never shows an allegation to the adult it names, even a DSL who was alerted", () => {
    const allegation = incident(["safeguarding"], { allegationSubjectStaffIds: ["alerted"] });
    assert.equal(canViewIncident(actor("DSL", "alerted"), allegation, DEFAULT_CATEGORIES), false);
  });

  it("lets only DSLs allocate child protection and child in need", () => {
    const cp = findCategory(DEFAULT_CATEGORIES, "child-protection")!;
    const cin = findCategory(DEFAULT_CATEGORIES, "child-in-need")!;
    for (const c of [cp, cin]) {
      assert.equal(canAllocateCategory(actor("STAFF"), c), false);
      assert.equal(canAllocateCategory(actor("SLT"), c), false);
      assert.equal(canAllocateCategory(actor("DSL"), c), true);
    }
  });

  it("requires MFA before a DSL or SLT member sees a record", () => {
    assert.throws(() => assertCanViewIncident(actor("DSL", "d", false), incident(["behaviour"]), DEFAULT_CATEGORIES), {
      code: "mfa_required",
    });
    assert.doesNotThrow(() => assertCanViewIncident(actor("STAFF", "author", false), incident(["behaviour"]), DEFAULT_CATEGORIES));
  });

  it("answers a record the actor may not see as missing (not_found), never as forbidden", () => {
    assert.throws(() => assertCanViewIncident(actor("STAFF", "someone-else"), incident(["behaviour"]), DEFAULT_CATEGORIES), {
      code: "not_found",
      message: "The record was not found.",
    });
  });

  it("shows DSLs every pupil flag, SLT all but CP and CIN, other staff none, and none without the MFA a role needs", () => {
    assert.deepEqual(visiblePupilFlags(actor("DSL"), PUPIL_FLAGS), [...PUPIL_FLAGS]);
    assert.deepEqual(visiblePupilFlags(actor("DDSL"), PUPIL_FLAGS), [...PUPIL_FLAGS]);
    assert.deepEqual(visiblePupilFlags(actor("SLT"), PUPIL_FLAGS), ["LAC", "SEND", "EAL", "PPG", "YC"]);
    assert.deepEqual(visiblePupilFlags(actor("STAFF"), PUPIL_FLAGS), []);
    assert.deepEqual(visiblePupilFlags(actor("STAFF", "s", false), PUPIL_FLAGS), []);
    for (const role of ["DSL", "DDSL", "SLT"] as const) assert.deepEqual(visiblePupilFlags(actor(role, "x", false), PUPIL_FLAGS), [], role);
  });
});

/**
 * The README's "Who sees what", row by row: every role x sensitivity x verb, allow or the exact
 * refusal. Nobody here raised, was alerted to or was tagged in the record (those open it, see above).
 */
describe("access policy: the README table", () => {
  const school = { categories: DEFAULT_CATEGORIES, headTeacherStaffId: "head", chairOfGovernorsStaffId: "chair" };
  const who: Record<string, Actor> = {
    DSL: { staffId: "dsl", schoolId: "s", name: "d", role: "DSL", mfa: true },
    DDSL: { staffId: "ddsl", schoolId: "s", name: "d", role: "DDSL", mfa: true },
    SLT: { staffId: "slt", schoolId: "s", name: "s", role: "SLT", mfa: true },
    teacher: { staffId: "teacher", schoolId: "s", name: "t", role: "STAFF", mfa: true },
    "admin staff": { staffId: "admin", schoolId: "s", name: "a", role: "STAFF", mfa: true },
    "head teacher": { staffId: "head", schoolId: "s", name: "h", role: "SLT", mfa: true },
    "named adult (a DSL)": { staffId: "named", schoolId: "s", name: "n", role: "DSL", mfa: true },
  };
  const record = (categoryIds: string[], allegation = false) => ({
    raisedBy: { staffId: "raiser", name: "r" },
    alertedStaffIds: [],
    categoryIds,
    ...(allegation ? { allegationSubjectStaffIds: ["named"] } : {}),
  });
  const sensitivity = {
    standard: record(["behaviour"]),
    protected: record(["behaviour", "safeguarding"]),
    allegation: record(["behaviour"], true),
  };
  type Answer = "allow" | "not_found" | "forbidden";
  // role: [standard, protected, allegation] for reading a record or its files; then chronology.
  const table: Record<string, { read: [Answer, Answer, Answer]; chronology: Answer; allocateCP: Answer }> = {
    DSL: { read: ["allow", "allow", "allow"], chronology: "allow", allocateCP: "allow" },
    DDSL: { read: ["allow", "allow", "allow"], chronology: "allow", allocateCP: "allow" },
    SLT: { read: ["allow", "not_found", "not_found"], chronology: "allow", allocateCP: "forbidden" },
    teacher: { read: ["not_found", "not_found", "not_found"], chronology: "forbidden", allocateCP: "forbidden" },
    "admin staff": { read: ["not_found", "not_found", "not_found"], chronology: "forbidden", allocateCP: "forbidden" },
    "head teacher": { read: ["allow", "not_found", "allow"], chronology: "allow", allocateCP: "forbidden" },
    "named adult (a DSL)": { read: ["allow", "allow", "not_found"], chronology: "allow", allocateCP: "allow" },
  };
  const answer = (f: () => void): Answer => {
    try {
      f();
      return "allow";
    } catch (e) {
      return (e as { code: Answer }).code;
    }
  };
  const cp = DEFAULT_CATEGORIES.find((c) => c.id === "child-protection")!;
  for (const [role, row] of Object.entries(table)) {
    (["standard", "protected", "allegation"] as const).forEach((s, i) => {
      for (const verb of ["view", "download"] as const)
        it(`${role} x ${s} x ${verb}: ${row.read[i]}`, () => {
          const kind = verb === "view" ? "incident" : "file";
          assert.equal(
            answer(() => authorize(who[role], verb, { kind, incident: sensitivity[s], school })),
            row.read[i],
          );
          assert.equal(can(who[role], verb, { kind, incident: sensitivity[s], school }), row.read[i] === "allow");
        });
    });
    it(`${role} x chronology x browse: ${row.chronology}`, () =>
      assert.equal(
        answer(() => authorize(who[role], "browse", { kind: "chronology" })),
        row.chronology,
      ));
    it(`${role} x Child Protection x allocate: ${row.allocateCP}`, () =>
      assert.equal(
        answer(() => authorize(who[role], "allocate", { kind: "category", category: cp })),
        row.allocateCP,
      ));
  }

  it("the chair of governors reads an allegation naming the head; the head does not", () => {
    const aboutHead = { ...sensitivity.allegation, allegationSubjectStaffIds: ["head"] };
    const chair: Actor = { staffId: "chair", schoolId: "s", name: "c", role: "STAFF", mfa: true };
    assert.equal(can(chair, "view", { kind: "incident", incident: aboutHead, school }), true);
    assert.equal(can(who["head teacher"], "view", { kind: "incident", incident: aboutHead, school }), false);
    assert.equal(can(chair, "view", { kind: "incident", incident: sensitivity.allegation, school }), false);
  });

  it("asks for MFA before a DSL or SLT reads anything, and refuses a verb nobody wrote a rule for", () => {
    const noMfa = { ...who.SLT, mfa: false };
    assert.throws(() => authorize(noMfa, "view", { kind: "incident", incident: sensitivity.standard, school }), { code: "mfa_required" });
    assert.throws(() => authorize(who.DSL, "delete" as never, { kind: "incident", incident: sensitivity.standard, school }), { code: "forbidden" });
    assert.throws(() => authorize(who.DSL, "__proto__" as never, { kind: "audit" }), { code: "forbidden" });
  });
});

describe("access policy: case entries (referrals, meetings, calls, disclosures)", () => {
  it("lets only DSLs and deputies with MFA add or see them", () => {
    for (const role of ["DSL", "DDSL"] as const) {
      assert.equal(can(actor(role), "record", { kind: "case-entry" }), true, role);
      assert.equal(can(actor(role), "view", { kind: "case-entry" }), true, role);
      assert.equal(can(actor(role, `s-${role}`, false), "view", { kind: "case-entry" }), false, `${role} without MFA`);
    }
    for (const role of ["SLT", "STAFF"] as const) {
      assert.equal(can(actor(role), "record", { kind: "case-entry" }), false, role);
      assert.equal(can(actor(role), "view", { kind: "case-entry" }), false, role);
      assert.throws(() => authorize(actor(role), "record", { kind: "case-entry" }), /safeguarding team/);
    }
  });

  it("opens a document's file to DSLs and deputies with MFA; to anyone else it is not there (hidden, not forbidden)", () => {
    for (const role of ["DSL", "DDSL"] as const) {
      assert.equal(can(actor(role), "download-file", { kind: "case-entry" }), true, role);
      assert.throws(() => authorize(actor(role, `s-${role}`, false), "download-file", { kind: "case-entry" }), { code: "mfa_required" });
    }
    for (const role of ["SLT", "STAFF"] as const)
      assert.throws(() => authorize(actor(role), "download-file", { kind: "case-entry" }), { code: "not_found" }, role);
  });

  it("sends overdue referral alerts to active DSLs and deputies only", () => {
    assert.equal(chasesOverdueReferrals({ role: "DSL", active: true }), true);
    assert.equal(chasesOverdueReferrals({ role: "DDSL", active: true }), true);
    assert.equal(chasesOverdueReferrals({ role: "DSL", active: false }), false);
    assert.equal(chasesOverdueReferrals({ role: "SLT", active: true }), false);
  });
});
