/**
 * The school calendar's rules, and England's 2025-27 term dates that the demo school starts with
 * checked as the school setup checks any school's (and against the days of the week).
 */
import assert from "node:assert/strict";
import { buildCalendar } from "../../src/app/school-calendar-setup.js";
import { ENGLAND_TERM_DATES as england } from "../../src/domain/england-term-dates.js";
import { addSchoolDays, isSchoolDay, reportingTermOf, schoolDaysBetween, termOf, WEEKDAYS_ONLY } from "../../src/domain/school-calendar.js";
import type { FieldProblem } from "../../src/domain/errors.js";

const weekday = (date: string) => new Date(`${date}T00:00:00Z`).getUTCDay();

describe("school calendar", () => {
  it("England's 2025-27 dates pass the setup's own checks; terms start and end on weekdays, half terms run Monday to Friday", () => {
    const problems: FieldProblem[] = [];
    buildCalendar(england, problems);
    assert.deepEqual(problems, []);
    for (const t of england.terms) assert.ok(weekday(t.firstDay) % 6 !== 0 && weekday(t.lastDay) % 6 !== 0, t.name);
    for (const n of england.nonSchoolDays.filter((n) => n.kind === "half-term"))
      assert.deepEqual([weekday(n.firstDay), weekday(n.lastDay)], [1, 5], n.firstDay);
    for (const n of england.nonSchoolDays.filter((n) => n.kind === "bank-holiday")) assert.ok(weekday(n.firstDay) % 6 !== 0, n.name);
  });

  it("answers isSchoolDay, addSchoolDays, schoolDaysBetween and termOf from the school's terms and closed days", () => {
    assert.equal(isSchoolDay(england, "2026-10-27"), false, "autumn half term");
    assert.equal(isSchoolDay(england, "2027-05-03"), false, "early May bank holiday");
    assert.equal(isSchoolDay(england, "2026-12-21"), false, "Christmas holiday");
    assert.equal(isSchoolDay(england, "2027-03-26"), false, "Good Friday, the spring term's last day");
    assert.equal(isSchoolDay(england, "2026-12-18"), true);
    assert.equal(addSchoolDays(england, "2026-10-23", 1), "2026-11-02");
    assert.equal(addSchoolDays(england, "2026-11-02", -1), "2026-10-23");
    assert.equal(addSchoolDays(england, "2026-12-18", 3), "2027-01-07");
    assert.equal(schoolDaysBetween(england, "2026-10-23", "2026-11-02"), 1);
    assert.equal(schoolDaysBetween(england, "2026-11-02", "2026-10-23"), -1);
    assert.equal(schoolDaysBetween(england, "2027-02-12", "2027-02-22"), 1, "half term counts for nothing");
    assert.equal(termOf(england, "2027-02-01")?.firstDay, "2027-01-05");
    assert.equal(termOf(england, "2027-04-05"), undefined, "Easter holiday");
  });

  it("falls back to Monday to Friday and fixed-month terms where the calendar says nothing", () => {
    assert.equal(isSchoolDay(WEEKDAYS_ONLY, "2026-12-25"), true, "an alert too many, never one missed");
    assert.equal(isSchoolDay(england, "2027-08-02"), true, "after the last known term");
    assert.equal(isSchoolDay(WEEKDAYS_ONLY, "2026-12-26"), false);
    assert.deepEqual(reportingTermOf(WEEKDAYS_ONLY, "2026-10-15"), {
      from: "2026-09-01",
      to: "2026-12-31",
      label: "Autumn term 2026/27",
      key: "2026-09-01",
    });
    assert.deepEqual(reportingTermOf(england, "2027-09-15").label, "Autumn term 2027/28", "a year the calendar does not cover");
  });

  it("shares a known school year out among its terms with no gaps: holidays with the term before, early September with the first", () => {
    assert.deepEqual(reportingTermOf(england, "2026-09-01"), {
      from: "2026-09-01",
      to: "2027-01-04",
      label: "Autumn term 2026/27",
      key: "2026-09-01",
    });
    assert.deepEqual(reportingTermOf(england, "2027-04-05"), {
      from: "2027-01-05",
      to: "2027-04-11",
      label: "Spring term 2026/27",
      key: "2027-01-05",
    });
    assert.deepEqual(reportingTermOf(england, "2027-08-20"), {
      from: "2027-04-12",
      to: "2027-08-31",
      label: "Summer term 2026/27",
      key: "2027-04-12",
    });
  });
});
