/**
 * The rules of a subject access pack that need no store: the deadline's calendar arithmetic, and
 * finding and removing names in text.
 */
import assert from "node:assert/strict";
import { addCalendarMonths, daysUntil, sarDeadline } from "../../src/domain/subject-access.js";
import { applyRedactions, findNames, REDACTED } from "../../src/domain/redaction.js";
import { redactionTerms } from "../../src/app/subject-access-pack.js";
import { aPupil } from "../support/pupil-fixture.js";
import type { StaffMember } from "../../src/domain/school.js";

describe("subject access deadline", () => {
  it("is one calendar month from receipt, the month's last day when it is shorter (31 Jan -> 28/29 Feb)", () => {
    assert.equal(sarDeadline("2026-01-31", false), "2026-02-28");
    assert.equal(sarDeadline("2028-01-31", false), "2028-02-29");
    assert.equal(sarDeadline("2026-03-15", false), "2026-04-15");
    assert.equal(sarDeadline("2026-03-31", false), "2026-04-30");
    assert.equal(sarDeadline("2026-12-31", false), "2027-01-31");
  });

  it("once extended is three months from receipt (the month plus two), not two months from a clipped date", () => {
    assert.equal(sarDeadline("2026-01-31", true), "2026-04-30");
    assert.equal(sarDeadline("2026-11-30", true), "2027-02-28");
    assert.equal(addCalendarMonths("2026-05-31", 2), "2026-07-31");
  });

  it("counts days left in whole calendar days and refuses a date that is not one", () => {
    assert.equal(daysUntil("2026-02-21", "2026-02-28"), 7);
    assert.equal(daysUntil("2026-03-01", "2026-02-28"), -1);
    assert.throws(() => addCalendarMonths("2026-02-30", 1), RangeError);
  });
});

describe("subject access redaction", () => {
  const pupil = aPupil;
  const staff = (id: string, displayName: string): StaffMember => ({ id, schoolId: "s", displayName, email: `${id}@x`, role: "STAFF", active: true });
  const subject = pupil("p1", "Amira", "Khan");
  const linked = pupil("p2", "Jack", "Smith");
  const onRoll = pupil("p3", "Olivia", "Brown", "Liv");
  const namesake = pupil("p4", "Aaron", "Kelly"); // the subject's initials, merely on the roll
  const terms = redactionTerms(subject, [subject, linked, onRoll, namesake], new Set(["p2"]), [staff("t1", "Helen Okafor")]);
  const redact = (text: string) => applyRedactions(text, findNames("b", text, terms));

  it("removes other pupils' full names, initials in their usual forms and a linked child's first name", () => {
    assert.equal(
      redact("Jack Smith pushed Amira; JS, J.S. and J. S. ran off"),
      `${REDACTED} pushed Amira; ${REDACTED}, ${REDACTED} and ${REDACTED} ran off`,
    );
    assert.equal(redact("jack  smith said Jack was sorry"), `${REDACTED} said ${REDACTED} was sorry`);
    assert.equal(redact("Liv Brown and Olivia Brown (OB, LB) watched"), `${REDACTED} and ${REDACTED} (${REDACTED}, ${REDACTED}) watched`);
  });

  it("removes staff names with or without title; keeps the subject's own name and initials and words that merely contain a name", () => {
    assert.equal(redact("Mrs Okafor and Helen Okafor spoke to Amira Khan (AK)"), `${REDACTED} and ${REDACTED} spoke to Amira Khan (AK)`);
    assert.equal(redact("Jackets and js files, Smithson"), "Jackets and js files, Smithson");
    assert.equal(redact("Olivia said"), "Olivia said", "a roll pupil's first name alone is not searched for (too many false hits)");
  });
});
