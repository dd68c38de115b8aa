import assert from "node:assert/strict";
import { canAllocateCategory, canViewIncident, assertCanViewIncident, visiblePupilFlags } from "../../src/domain/policy/index.js";
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
