/** The access rules for actions and for answering an alert from its card, as plain sentences. */
import assert from "node:assert/strict";
import type { Actor } from "../../src/domain/actor.js";
import type { Role } from "../../src/domain/roles.js";
import { assertCanAnswerOwnAlert, canViewAction, canViewIncident } from "../../src/domain/policy/index.js";

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
    assert.equal(canViewIncident(actor("tagged", "STAFF"), incident, []), false);
    assert.equal(canViewIncident(actor("tagged", "STAFF"), incident, [], [action]), true);
    assert.equal(canViewIncident(actor("named", "STAFF"), incident, [], [action]), false);
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
    assert.throws(() => assertCanAnswerOwnAlert(actor("ddsl", "DDSL", true), incident), /not alerted/);
    assert.throws(() => assertCanAnswerOwnAlert(actor("named", "DSL", true), { ...incident, alertedStaffIds: ["named"] }), /not alerted/);
  });
});
