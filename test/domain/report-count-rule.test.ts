import assert from "node:assert/strict";
import fc from "fast-check";
import type { Actor } from "../../src/domain/actor.js";
import { DEFAULT_CATEGORIES } from "../../src/domain/categories.js";
import type { Role } from "../../src/domain/roles.js";
import { canViewIncident, mayOpenThroughLink, passesReportCountRule, reportCountRule } from "../../src/domain/policy/index.js";

/**
 * The report's split of canViewIncident (policy/report-counts.ts): what the rule counts the reader
 * could open, and whatever else they could open is a linked candidate, for random readers and
 * records (allegations, protected categories, scopes, authors, alerts, tags).
 */
const school = { categories: DEFAULT_CATEGORIES, headTeacherStaffId: "head", chairOfGovernorsStaffId: "chair" };
const staff = ["me", "head", "chair", "other"] as const;
const pupils = ["p1", "p2", "p3"] as const;

const reader = fc.record({
  role: fc.constantFrom<Role>("DSL", "DDSL", "SLT"),
  staffId: fc.constantFrom("me", "head", "chair"),
  scope: fc.option(fc.subarray([...pupils]), { nil: undefined }),
});
const record = fc.record({
  id: fc.constantFrom("i1", "i2", "i3"),
  pupilId: fc.constantFrom(...pupils),
  categoryIds: fc.subarray(
    DEFAULT_CATEGORIES.map((c) => c.id),
    { minLength: 1, maxLength: 3 },
  ),
  raisedBy: fc.constantFrom(...staff).map((staffId) => ({ staffId, name: "" })),
  alertedStaffIds: fc.subarray([...staff]),
  allegationSubjectStaffIds: fc.option(fc.subarray([...staff], { minLength: 1 }), { nil: undefined }),
});

describe("report count rule", () => {
  it("report count rule: the rule counts only records the reader may open, and every other record they may open is a linked candidate", () => {
    fc.assert(
      fc.property(reader, record, fc.subarray(["i1", "i2", "i3"]), (r, incident, tagged) => {
        const actor: Actor = {
          staffId: r.staffId,
          schoolId: "s",
          name: "",
          role: r.role,
          mfa: true,
          ...(r.scope ? { scopePupilIds: new Set(r.scope) } : {}),
        };
        const rule = reportCountRule(actor, DEFAULT_CATEGORIES);
        const tags = tagged.includes(incident.id) ? [{ taggedStaffIds: [actor.staffId] }] : [];
        const opens = canViewIncident(actor, incident, school, tags);
        const inRule = passesReportCountRule(rule, incident);
        if (inRule) assert.ok(opens, "counted by the rule but not openable");
        if (opens) assert.ok(inRule || mayOpenThroughLink(rule, incident, new Set(tagged)), "openable but neither counted nor read as linked");
      }),
      { numRuns: 3000, seed: 7 },
    );
  });

  it("report count rule: the safeguarding team's rule needs no linked reads, and SLT's leaves out protected categories and allegations", () => {
    const dsl = reportCountRule({ staffId: "d", role: "DSL" }, DEFAULT_CATEGORIES);
    assert.equal(dsl.linksMatter, false);
    assert.deepEqual(dsl.withoutCategoryIds, []);
    const slt = reportCountRule({ staffId: "s", role: "SLT" }, DEFAULT_CATEGORIES);
    assert.deepEqual(
      slt.withoutCategoryIds,
      DEFAULT_CATEGORIES.filter((c) => c.protected).map((c) => c.id),
    );
    assert.ok(slt.withoutCategoryIds.length > 0);
    assert.equal(slt.allegations, false);
  });
});
