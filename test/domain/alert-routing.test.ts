import assert from "node:assert/strict";
import { routeAlerts } from "../../src/domain/alert-routing.js";
import { DEFAULT_CATEGORIES } from "../../src/domain/categories.js";
import { dayOfWeekIn, dateIn } from "../../src/domain/school-clock.js";
import type { School, StaffMember } from "../../src/domain/school.js";
import type { Role } from "../../src/domain/roles.js";

const member = (id: string, role: Role, active = true): StaffMember => ({ id, schoolId: "s", displayName: id, email: `${id}@x`, role, active });
const staff = [
  member("head", "DSL"),
  member("ddsl", "DDSL"),
  member("slt", "SLT"),
  member("t1", "STAFF"),
  member("chair", "STAFF"),
  member("gone", "DSL", false),
];
const school: School = {
  id: "s",
  name: "S",
  timeZone: "Europe/London",
  categories: DEFAULT_CATEGORIES,
  locations: [],
  alertGroups: [{ id: "safeguarding-team", name: "Safeguarding team", staffIds: ["head", "ddsl"] }],
  headTeacherStaffId: "head",
  chairOfGovernorsStaffId: "chair",
};
const route = (extra: Partial<Parameters<typeof routeAlerts>[2]>) =>
  routeAlerts(school, staff, { chosenStaffIds: [], chosenGroupIds: [], categoryIds: ["welfare"], allegationSubjectStaffIds: [], ...extra });

describe("alert routing", () => {
  it("adds every active safeguarding lead for a protected category", () => {
    assert.deepEqual(route({ categoryIds: ["safeguarding"] }), ["ddsl", "head"]);
  });
  it("sends an allegation to the head, and never to the adult named even if chosen", () => {
    assert.deepEqual(route({ chosenStaffIds: ["t1", "slt"], allegationSubjectStaffIds: ["t1"] }), ["head", "slt"]);
  });
  it("sends an allegation about the head to the chair of governors, not back to the head through any group or rule", () => {
    assert.deepEqual(
      route({ categoryIds: ["safeguarding"], chosenGroupIds: ["safeguarding-team"], chosenStaffIds: ["head"], allegationSubjectStaffIds: ["head"] }),
      ["chair", "ddsl"],
    );
  });
  it("drops a named DSL from the safeguarding team's automatic alert", () => {
    assert.deepEqual(route({ categoryIds: ["safeguarding"], allegationSubjectStaffIds: ["ddsl"] }), ["head"]);
  });
});

describe("school clock", () => {
  it("gives the day and date in the school's zone", () => {
    assert.equal(dayOfWeekIn("2025-06-29T23:30:00Z", "Europe/London"), "Monday");
    assert.equal(dayOfWeekIn("2025-01-05T23:30:00Z", "Europe/London"), "Sunday");
    assert.equal(dateIn("2025-06-29T23:30:00Z", "Europe/London"), "2025-06-30");
  });
});
