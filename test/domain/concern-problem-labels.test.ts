/**
 * The concern form's problems named by the model's labels (src/domain/concern-form/problem-labels.ts),
 * as the tab's error summary shows them: fixed fields, fields the service names by what it checks,
 * linked pupil rows, a category's own questions, and names the form has no input for.
 */
import assert from "node:assert/strict";
import { concernProblemLabel } from "../../src/domain/concern-form/problem-labels.js";
import { concernFormModel } from "../../src/domain/concern-form/model.js";
import { CONCERN_FORM } from "../../src/domain/concern-form/standard-form.js";
import { DEFAULT_CATEGORIES } from "../../src/domain/categories.js";

const label = (field: string) => concernProblemLabel(CONCERN_FORM, DEFAULT_CATEGORIES, field);

describe("concern form: a problem named by its field's label", () => {
  it("names a fixed field by the model's label, without its limits", () => {
    assert.equal(label("account"), "What happened");
    assert.equal(label("pupilId"), "Pupil");
    assert.equal(label("toldDslInPerson"), "Have you told a DSL in person?");
  });

  it("names a problem the service gives by what it checks by the input that sets it", () => {
    assert.equal(label("occurredAt"), "Date");
    assert.equal(label("subCategoryIds"), "Categories");
  });

  it("names linked pupil rows and a category's own questions under their category", () => {
    assert.equal(label("linkedPupil2"), "Linked pupil 2");
    assert.equal(label("linkedPart1"), "Linked pupil 1: their part");
    assert.equal(label("categoryFields.behaviour.deescalation"), "Behaviour: De-escalation strategies used");
    assert.equal(label("subCategories.behaviour"), "Behaviour: sub-categories");
  });

  it("follows the model it is given, so a label changed in the model changes the summary", () => {
    const model = concernFormModel();
    const renamed = { ...model, fields: model.fields.map((f) => (f.id === "account" ? { ...f, label: "The account" } : f)) };
    assert.equal(concernProblemLabel(renamed, DEFAULT_CATEGORIES, "account"), "The account");
  });

  it("has no label for a name the form has no input for, prototype names included", () => {
    for (const field of ["submissionId", "__proto__", "constructor", "prototype", "toString", "linkedPupil0", "categoryFields.behaviour.nope"]) {
      assert.equal(label(field), undefined, field);
    }
  });
});
