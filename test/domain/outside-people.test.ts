/**
 * People outside the school named in case entries (meeting attendees, the person on a call, whom
 * information was disclosed to, a referral's contact): which words of those free-text fields are
 * names, and that a pack cuts them (full name and initials) without cutting the pupil's own name.
 */
import assert from "node:assert/strict";
import { namesInField } from "../../src/domain/outside-people.js";
import { applyRedactions, findNames, REDACTED } from "../../src/domain/redaction.js";
import { redactionTerms } from "../../src/app/subject-access-pack.js";
import type { Pupil } from "../../src/domain/school.js";

describe("outside people in case entries", () => {
  it("takes runs of capitalised words as names and leaves roles, agencies and lone words", () => {
    assert.deepEqual(namesInField("Jane Doe (social worker), Mr Patel, mum and Dr A. Khan"), ["Jane Doe", "Mr Patel", "Dr A. Khan"]);
    assert.deepEqual(namesInField("DSL, social worker, mum"), []);
    assert.deepEqual(namesInField("Spoke with Sam O'Neil at MASH - Police"), ["Sam O'Neil"]);
    assert.deepEqual(namesInField("PC Jones; Anne-Marie Lowe & Mrs"), ["PC Jones", "Anne-Marie Lowe"]);
  });

  it("redacts an outside person's full name, name without title and initials, but never the subject's own", () => {
    const subject: Pupil = {
      id: "p1",
      schoolId: "s",
      upn: "p1",
      forename: "Amira",
      surname: "Khan",
      dateOfBirth: "2016-01-01",
      yearGroup: "Year 5",
      className: "5A",
      flags: [],
      archived: false,
    };
    const outside = [...namesInField("Dr Priya Ramanathan, Mr Patel, Amira Khan"), ...namesInField("Adam Kerr")];
    const terms = redactionTerms(subject, [subject], new Set(), [], outside);
    const redact = (text: string) => applyRedactions(text, findNames("b", text, terms));
    assert.ok(terms.every((t) => t.reason === "outside"));
    assert.equal(
      redact("Dr Priya Ramanathan met Amira Khan; Priya Ramanathan (PR, P.R.) and Mr Patel agreed"),
      `${REDACTED} met Amira Khan; ${REDACTED} (${REDACTED}, ${REDACTED}) and ${REDACTED} agreed`,
    );
    // Adam Kerr's initials are the subject's own: AK is most likely Amira, so it stays.
    assert.equal(redact("Adam Kerr phoned; AK was in class"), `${REDACTED} phoned; AK was in class`);
  });
});
