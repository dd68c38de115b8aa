/**
 * The concern form's one mapper (src/domain/concern-form/record-command.ts) with answers no form
 * should send: keys outside the school's categories and fields, prototype names, a stale told-a-DSL
 * answer from a DSL. The card's and the tab's paths both end here.
 */
import assert from "node:assert/strict";
import { recordCommandFrom, type ConcernAnswers } from "../../src/domain/concern-form/record-command.js";
import { DEFAULT_CATEGORIES } from "../../src/domain/categories.js";

const answers = (extra: Partial<ConcernAnswers> = {}): ConcernAnswers => ({
  submissionId: "tab-4b1d6a2c-0000",
  pupilId: "pupil-1",
  categoryIds: ["behaviour"],
  subCategoryIds: ["defiance", "online-bullying"],
  categoryFields: new Map(),
  occurredDate: "2025-06-30",
  occurredTime: "14:05",
  account: "Pushed another child over.",
  linkedPupils: [],
  disclosure: true,
  toldDslInPerson: "yes",
  allegation: false,
  allegationStaffIds: ["s-1"],
  alertStaffIds: [],
  alertGroupIds: [],
  ...extra,
});
const context = { categories: DEFAULT_CATEGORIES, timeZone: "Europe/London", source: "tab" as const };

describe("concern form: the one mapper from answers to the record command", () => {
  it("reads only the school's own chosen categories and fields, into objects with no prototype", () => {
    const categoryFields = new Map<string, Map<string, string | string[]>>([
      [
        "behaviour",
        new Map<string, string | string[]>([
          ["outcomes", "Near miss,Aggressive incident"],
          ["__proto__", "x"],
          ["constructor", "y"],
        ]),
      ],
      ["__proto__", new Map([["polluted", "yes"]])],
      ["attendance", new Map([["anything", "not chosen"]])],
    ]);
    const command = recordCommandFrom(answers({ categoryFields }), context);
    assert.equal(Object.getPrototypeOf(command.categoryFields), null);
    assert.equal(Object.getPrototypeOf(command.categoryFields.behaviour), null);
    assert.deepEqual(Object.keys(command.categoryFields), ["behaviour"]);
    assert.deepEqual({ ...command.categoryFields.behaviour }, { outcomes: ["Near miss", "Aggressive incident"] });
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    // A sub-category of a category not chosen is left out; the allegation's names only with its box ticked.
    assert.deepEqual(command.subCategoryIds, ["defiance"]);
    assert.equal(command.allegationAgainstStaff, undefined);
  });

  it("sends the told-a-DSL answer only where the question was asked", () => {
    assert.equal(recordCommandFrom(answers(), context).toldDslInPerson, "yes");
    assert.equal(recordCommandFrom(answers(), { ...context, role: "DSL" }).toldDslInPerson, undefined);
    assert.equal(recordCommandFrom(answers({ disclosure: false }), context).toldDslInPerson, undefined);
  });

  it("leaves a date that is not a real moment empty, for the schema to name beside the inputs", () => {
    assert.equal(recordCommandFrom(answers({ occurredDate: "2025-02-30" }), context).occurredAt, "");
  });
});
