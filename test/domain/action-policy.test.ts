/** The access rules for actions and for answering an alert from its card, as plain sentences. */
import assert from "node:assert/strict";
import type { Actor } from "../../src/domain/actor.js";
import type { Role } from "../../src/domain/roles.js";
import { assertCanAnswerOwnAlert, canViewAction, canViewIncident, splitTags } from "../../src/domain/policy/index.js";

const actor = (staffId: string, role: Role, mfa = true): Actor => ({ staffId, schoolId: "s", name: staffId, role, mfa });
const incident = {
  raisedBy: { staffId: "raiser", name: "Raiser" },
  alertedStaffIds: ["dsl"],
  categoryIds: ["behaviour"],
  allegationSubjectStaffIds: ["named"],
};
const action = { recordedBy: { staffId: "dsl", name: "DSL" }, taggedStaffIds: ["tagged", "named"] };

describe("action policy", () => {
  it("opens the incident to someone tagged in one of its actions, but never to the adult an allegation names", () => {
    const concern = { ...incident, allegationSubjectStaffIds: [] };
    assert.equal(canViewIncident(actor("tagged", "STAFF"), concern, []), false);
    assert.equal(canViewIncident(actor("tagged", "STAFF"), concern, [], [action]), true);
    assert.equal(canViewIncident(actor("named", "STAFF"), incident, [], [action]), false);
  });

  it("never opens an allegation to someone because they were tagged or alerted (issue 7)", () => {
    assert.equal(canViewIncident(actor("tagged", "STAFF"), incident, [], [action]), false);
    assert.equal(canViewIncident(actor("alerted", "SLT"), { ...incident, alertedStaffIds: ["alerted"] }, [], [action]), false);
  });

  it("keeps a tag pending on a protected record unless a DSL tags or the person can already see it", () => {
    const school = {
      categories: [
        { id: "safeguarding", protected: true },
        { id: "behaviour", protected: false },
      ],
    } as never;
    const record = { incident: { ...incident, allegationSubjectStaffIds: [], categoryIds: ["behaviour", "safeguarding"] }, school, actions: [] };
    const staff = [
      { id: "t", schoolId: "s", role: "STAFF" as const },
      { id: "slt", schoolId: "s", role: "SLT" as const },
      { id: "dsl", schoolId: "s", role: "DSL" as const },
    ];
    assert.deepEqual(splitTags(actor("raiser", "STAFF"), record, staff, ["t", "slt", "dsl"]), { tagged: ["dsl"], pending: ["t", "slt"] });
    assert.deepEqual(splitTags(actor("d2", "DDSL"), record, staff, ["t", "slt"]), { tagged: ["t", "slt"], pending: [] });
    const standard = { ...record, incident: { ...record.incident, categoryIds: ["behaviour"] } };
    assert.deepEqual(splitTags(actor("raiser", "STAFF"), standard, staff, ["t"]), { tagged: ["t"], pending: [] });
  });

  it("shows an action to those tagged, its author and DSLs only", () => {
    assert.equal(canViewAction(actor("tagged", "STAFF"), action), true);
    assert.equal(canViewAction(actor("dsl", "DSL"), action), true);
    assert.equal(canViewAction(actor("ddsl", "DDSL"), action), true);
    assert.equal(canViewAction(actor("raiser", "STAFF"), action), false);
    assert.equal(canViewAction(actor("slt", "SLT"), action), false);
  });

  it("lets the alerted person answer their alert card without MFA, and nobody else", () => {
    assert.doesNotThrow(() => assertCanAnswerOwnAlert(actor("dsl", "DSL", false), incident));
    assert.throws(() => assertCanAnswerOwnAlert(actor("ddsl", "DDSL", true), incident), /The record was not found/);
    assert.throws(
      () => assertCanAnswerOwnAlert(actor("named", "DSL", true), { ...incident, alertedStaffIds: ["named"] }),
      /The record was not found/,
    );
  });
});
