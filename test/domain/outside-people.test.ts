/**
 * People outside the school named in case entries (meeting attendees, the person on a call, whom
 * information was disclosed to, a referral's contact): which words of those free-text fields are
 * names, and that a pack cuts them (full name and initials) without cutting the pupil's own name.
 */
import assert from "node:assert/strict";
import fc from "fast-check";
import { namesInField } from "../../src/domain/outside-people.js";
import { isRoleOrCommonWord } from "../../src/domain/outside-name-words.js";
import { applyRedactions, findNames, REDACTED } from "../../src/domain/redaction.js";
import { redactionTerms } from "../../src/app/subject-access-pack.js";
import type { Pupil } from "../../src/domain/school.js";
import { aPupil } from "../support/pupil-fixture.js";

const pupil = (forename: string, surname: string) => aPupil("p1", forename, surname);

/** The pack's text as released for this subject, with the outside people found in these people fields. */
const redactorFor = (subject: Pupil, fields: string[]) => {
  const terms = redactionTerms(subject, [subject], new Set(), [], fields.flatMap(namesInField));
  return (text: string) => applyRedactions(text, findNames("b", text, terms));
};

describe("outside people in case entries", () => {
  it("takes runs of capitalised words as names and leaves roles and agencies", () => {
    assert.deepEqual(namesInField("Jane Doe (social worker), Mr Patel, mum and Dr A. Khan"), ["Jane Doe", "Mr Patel", "Dr A. Khan"]);
    assert.deepEqual(namesInField("DSL, social worker, mum"), []);
    assert.deepEqual(namesInField("Spoke with Sam O'Neil at MASH - Police"), ["Sam O'Neil"]);
    assert.deepEqual(namesInField("PC Jones; Anne-Marie Lowe & Mrs"), ["PC Jones", "Anne-Marie Lowe"]);
  });

  it("redacts an outside person's full name, name without title and initials, but never the subject's own", () => {
    const subject = pupil("Amira", "Khan");
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

  it("takes a lone forename, a family role with a name and a title with a surname as names, and roles alone as none", () => {
    assert.deepEqual(namesInField("spoke to Sarah (social worker)"), ["Sarah"]);
    assert.deepEqual(namesInField("Dad - Gary"), ["Gary"]);
    assert.deepEqual(namesInField("Dad-Gary; Mum (Sarah Jones)"), ["Gary", "Sarah Jones"]);
    assert.deepEqual(namesInField("Gary's mum, Officer Jones, Health Visitor Jane Doe"), ["Gary", "Jones", "Jane Doe"]);
    assert.deepEqual(namesInField("Mr Patel"), ["Mr Patel"]);
    assert.deepEqual(namesInField("Called Rose. She said"), ["Rose"], "a sentence's end ends the name");
    assert.deepEqual(namesInField("Anne-Marie and Mrs"), ["Anne-Marie"], "a hyphenated forename is one name; a title alone is none");
    for (const roles of [
      "School nurse",
      "Duty Team at MASH",
      "Police, CAMHS, GP",
      "Social Worker",
      "Mum and Dad",
      "Left a message on Monday",
      "Dr A.",
    ])
      assert.deepEqual(namesInField(roles), [], roles);
  });

  it("redacts a lone name from a people field wherever the pack names it, with its case as written", () => {
    const redact = redactorFor(pupil("Amira", "Khan"), ["spoke to Sarah (social worker)", "Dad - Gary", "Rose (school nurse)"]);
    assert.equal(
      redact("Sarah said Gary's flat was cold; Sarah-Jane in class. Rose rang; the temperature rose."),
      `${REDACTED} said ${REDACTED}'s flat was cold; Sarah-Jane in class. ${REDACTED} rang; the temperature rose.`,
    );
    assert.equal(redact("The social worker spoke to dad and the school nurse."), "The social worker spoke to dad and the school nurse.");
  });

  it("redacts a title and surname and the surname alone once a case entry names Mr Patel", () => {
    const redact = redactorFor(pupil("Amira", "Khan"), ["Mr Patel (GP)"]);
    assert.equal(
      redact("Mr Patel, then Patel's letter; Mrs Patel and Dr Patel."),
      `${REDACTED}, then ${REDACTED}'s letter; ${REDACTED} and ${REDACTED}.`,
    );
  });

  it("redacts a known full name's forename, surname and title with surname in any later entry's free text", () => {
    const redact = redactorFor(pupil("Amira", "Khan"), ["Jane Doe (social worker), mum"]);
    assert.equal(
      redact("Jane rang back. Ms Doe agreed; Doe's report and MS DOE's note; JD to visit. The social worker will call."),
      `${REDACTED} rang back. ${REDACTED} agreed; ${REDACTED}'s report and ${REDACTED}'s note; ${REDACTED} to visit. The social worker will call.`,
    );
  });

  it("never redacts the pupil's own name or family surname when an outside person shares it", () => {
    const redact = redactorFor(pupil("Amira", "Khan"), ["Amira, Dr A. Khan, Amira Jones", "Mum - Amira"]);
    assert.equal(
      redact("Amira Khan met Dr A. Khan; Mrs Khan and Amira; Jones and Amira Jones."),
      `Amira Khan met ${REDACTED}; Mrs Khan and Amira; ${REDACTED} and ${REDACTED}.`,
    );
  });

  it("leaves no word of any name found in the people fields in the redacted text, over random fields and notes", () => {
    const titles = ["Mr", "Mrs", "Ms", "Dr"];
    const roles = ["social worker", "mum", "Dad", "MASH", "Police", "school nurse", "GP"];
    const nameWord = fc
      .stringMatching(/^[A-Z][a-z]{2,8}$/)
      .filter((w) => !isRoleOrCommonWord(w) && !["Amira", "Khan"].includes(w) && !/^(Mr|Mrs|Ms|Miss|Mx|Dr|Prof|Rev|Sgt|Cllr)$/.test(w));
    const person = fc.oneof(
      fc.tuple(nameWord, nameWord).map(([f, s]) => ({ written: `${f} ${s}`, words: [f, s] })),
      fc.tuple(fc.constantFrom(...titles), nameWord).map(([t, s]) => ({ written: `${t} ${s}`, words: [s] })),
      nameWord.map((f) => ({ written: f, words: [f] })),
    );
    const entry = fc.tuple(person, fc.constantFrom(...roles), fc.constantFrom("{p} ({r})", "{r} - {p}", "spoke to {p}", "{p}, {r}", "{r} ({p})"));
    fc.assert(
      fc.property(fc.array(entry, { minLength: 1, maxLength: 4 }), fc.array(fc.nat(), { minLength: 1, maxLength: 12 }), (entries, picks) => {
        const people = entries.map(([p]) => p);
        const fields = entries.map(([p, r, form]) => form.replace("{p}", p.written).replace("{r}", r));
        // Notes that name the people again, in the forms a DSL writes: in full, alone, with a title, possessive.
        const mentions = people.flatMap((p) => [p.written, ...p.words, ...p.words.map((w) => `Ms ${w}`), ...p.words.map((w) => `${w}'s`)]);
        const notes = picks.map((i) => `then ${mentions[i % mentions.length]} said`).join(". ") + ". Amira Khan was there; the social worker too.";
        const released = redactorFor(pupil("Amira", "Khan"), fields)(notes);
        for (const w of people.flatMap((p) => p.words)) assert.ok(!new RegExp(`\\b${w}\\b`).test(released), `${w} survives in ${released}`);
        assert.ok(released.includes("Amira Khan was there; the social worker too."), released);
      }),
      { numRuns: 60 },
    );
  });
});
