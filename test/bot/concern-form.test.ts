/**
 * The whole incident form: per-category sections after "Update form for these categories", the
 * told-DSL question, linked pupils, the allegation toggle and follow-up fields, checked through the
 * real Adaptive Cards renderer; the card data parsed into the service's input; the confirmation.
 */
import assert from "node:assert/strict";
import { withBodyMapButton } from "../../bot/cards/body-map-dialog.js";
import { confirmationCard } from "../../bot/cards/confirmation-card.js";
import { recordConcernCard, REFRESH_CONCERN_VERB } from "../../bot/cards/record-concern-card.js";
import { LINKED_PUPILS_REMINDER } from "../../bot/cards/concern-card-sections.js";
import { toRecordIncidentInput } from "../../bot/concern-input.js";
import { isKeepsafeError, type KeepsafeError } from "../../src/domain/errors.js";
import { ALLEGATION_GUIDANCE, ALLEGATION_LABEL } from "../../src/domain/allegations.js";
import { actions, elements, formOptions, input, inputIds, rendererComplaints, TYPEAHEAD_NOTE, type Json } from "./support/card-helpers.js";

const options = formOptions();
const submissionId = "4b1d6a2c-0000-4000-8000-000000000002";

describe("record-concern form: the whole incident", () => {
  it("offers 'Update form for these categories' as Action.Execute with an Action.Submit fallback carrying the form id", () => {
    const form = recordConcernCard(options, { submissionId }) as Json;
    const refresh = actions(form).find((a) => a.verb === REFRESH_CONCERN_VERB)!;
    assert.equal(refresh.type, "Action.Execute");
    assert.equal(refresh.title, "Update form for these categories");
    assert.deepEqual(refresh.data, { submissionId, verb: REFRESH_CONCERN_VERB });
    assert.equal(refresh.fallback.type, "Action.Submit");
    assert.deepEqual(refresh.fallback.data, refresh.data);
    // Nothing category-specific until categories are chosen.
    assert.ok(!inputIds(form).some((id) => id.startsWith("categoryFields.") || id.startsWith("subCategories.")));
  });

  it("after a refresh shows each chosen category's sub-categories, own fields and guidance, keeping typed values", () => {
    const values = {
      pupilId: "pupil-1",
      categoryIds: "behaviour,bullying,prejudicial,safeguarding",
      account: "Typed before the refresh.",
      "categoryFields.behaviour.outcomes": "Near miss,Aggressive incident",
      "categoryFields.bullying.further-measures": "Seating plan changed",
      "subCategories.bullying": "online-bullying",
      linkedPupil1: "pupil-2",
      linkedPart1: "alleged-perpetrator",
    };
    const form = recordConcernCard(options, {
      submissionId,
      values,
      role: "STAFF",
      pupilTitles: { "pupil-2": "Oliver Jones (Year 3, Kestrels)" },
    }) as Json;
    assert.deepEqual(rendererComplaints(form), [TYPEAHEAD_NOTE], "only the empty linked row after the filled one");
    const deesc = input(form, "categoryFields.behaviour.deescalation")!;
    assert.equal(deesc.type, "Input.ChoiceSet");
    assert.equal(deesc.isMultiSelect, true);
    assert.ok(deesc.choices.some((c: Json) => c.value === "Calm talking"));
    assert.equal(input(form, "categoryFields.behaviour.outcomes")!.value, "Near miss,Aggressive incident");
    assert.equal(input(form, "categoryFields.bullying.investigation")!.isMultiSelect, true);
    const measures = input(form, "categoryFields.bullying.further-measures")!;
    assert.equal(measures.type, "Input.Text");
    assert.equal(measures.value, "Seating plan changed");
    assert.equal(input(form, "subCategories.bullying")!.value, "online-bullying");
    assert.ok(input(form, "subCategories.prejudicial")!.choices.some((c: Json) => c.title === "Race"));
    assert.ok(input(form, "subCategories.safeguarding")!.choices.some((c: Json) => c.title === "Neglect"));
    assert.equal(input(form, "subCategories.attendance"), undefined, "only chosen categories");
    assert.equal(input(form, "account")!.value, "Typed before the refresh.");
    assert.deepEqual(input(form, "linkedPupil1")!.choices, [{ title: "Oliver Jones (Year 3, Kestrels)", value: "pupil-2" }]);
    assert.equal(input(form, "linkedPart1")!.value, "alleged-perpetrator");
    assert.ok(JSON.stringify(form).includes("tell a DSL in person now"), "the safeguarding guidance");
    // Safeguarding is protected and this is a member of staff: the told-DSL question appears.
    const told = input(form, "toldDslInPerson")!;
    assert.deepEqual(
      told.choices.map((c: Json) => c.value),
      ["yes", "not-yet"],
    );
  });

  it("asks the told-DSL question of staff for a disclosure, never of a DSL", () => {
    const staffForm = recordConcernCard(options, { submissionId, values: { categoryIds: "welfare", disclosure: "true" }, role: "STAFF" }) as Json;
    assert.ok(input(staffForm, "toldDslInPerson"));
    const plain = recordConcernCard(options, { submissionId, values: { categoryIds: "welfare" }, role: "STAFF" }) as Json;
    assert.equal(input(plain, "toldDslInPerson"), undefined);
    const dslForm = recordConcernCard(options, { submissionId, values: { categoryIds: "safeguarding", disclosure: "true" }, role: "DSL" }) as Json;
    assert.equal(input(dslForm, "toldDslInPerson"), undefined);
  });

  it("has up to five linked-pupil rows, each a typeahead and a part, with the initials reminder", () => {
    const first = recordConcernCard(options, { submissionId }) as Json;
    assert.ok(input(first, "linkedPupil1") && !input(first, "linkedPupil2"), "one empty row at first");
    const another = actions(first).find((a) => a.title === "Link another pupil");
    assert.equal(another?.verb, "refreshConcernForm", "another row comes with the form's refresh");
    const four = Object.fromEntries([1, 2, 3, 4].map((n) => [`linkedPupil${n}`, `pupil-${n}`]));
    const form = recordConcernCard(options, { submissionId, values: four }) as Json;
    for (let n = 1; n <= 5; n++) {
      assert.deepEqual(input(form, `linkedPupil${n}`)!["choices.data"], { type: "Data.Query", dataset: "pupils" });
      assert.deepEqual(
        input(form, `linkedPart${n}`)!.choices.map((c: Json) => c.value),
        ["involved", "alleged-victim", "alleged-perpetrator", "witness"],
      );
    }
    assert.equal(input(form, "linkedPupil6"), undefined);
    assert.ok(JSON.stringify(form).includes(LINKED_PUPILS_REMINDER));
    assert.ok(!actions(form).some((a) => a.title === "Link another pupil"), "no sixth row to add");
  });

  it("has the allegation toggle, whom it concerns, status, assignee (leads only), agency and planner", () => {
    const form = recordConcernCard(options, { submissionId }) as Json;
    const toggle = input(form, "allegation")!;
    assert.equal(toggle.type, "Input.Toggle");
    assert.equal(toggle.title, ALLEGATION_LABEL);
    assert.ok(JSON.stringify(form).includes(ALLEGATION_GUIDANCE));
    assert.match(ALLEGATION_GUIDANCE, /LADO/);
    assert.equal(input(form, "allegationStaffIds")!.isMultiSelect, true);
    assert.equal(input(form, "status")!.value, "active");
    assert.deepEqual(
      input(form, "assignedToStaffId")!.choices.map((c: Json) => c.value),
      ["s-dsl", "s-slt"],
    );
    assert.equal(input(form, "agencyInvolved")!.type, "Input.Text");
    assert.equal(input(form, "plannerDate")!.min, "2025-07-02", "not before today on the school's clock");
    assert.equal(input(form, "plannerTime")!.type, "Input.Time");
    assert.equal(input(form, "plannerNote")!.type, "Input.Text");
  });

  it("shows a category field's problem beside it", () => {
    const form = recordConcernCard(options, {
      submissionId,
      values: { categoryIds: "behaviour" },
      errors: [{ field: "categoryFields.behaviour.outcomes", message: "Choose outcomes of the incident from the list given." }],
    }) as Json;
    const all = elements(form);
    const at = all.findIndex((e) => e.id === "categoryFields.behaviour.outcomes");
    assert.match(all[at + 1].text, /from the list given/);
  });

  it("stays under Teams' 28 KB card limit for a school of 60 staff with every category chosen", () => {
    const staff = Array.from({ length: 60 }, (_, i) => ({
      id: `0000000${i}-aaaa-4bbb-8ccc-${String(i).padStart(12, "0")}`,
      name: `Staff Member ${i}`,
      role: i < 3 ? "DSL" : i < 8 ? "SLT" : "STAFF",
    }));
    const all = formOptions({ staff });
    // As the chat sends it: with five long recent-pupil choices and the body map and files buttons.
    const pupilChoices = Array.from({ length: 5 }, (_, i) => ({
      title: `Alexandra-Rose Montgomery-Smith ${i} (Year 10, 10KWR)`,
      value: `pupil-${"0".repeat(31)}${i}`,
    }));
    const form = withBodyMapButton(
      recordConcernCard(all, { submissionId, pupilChoices, values: { categoryIds: all.categories.map((c) => c.id).join(",") }, role: "STAFF" }),
      submissionId,
    );
    const size = Buffer.byteLength(JSON.stringify(form));
    assert.ok(size < 28 * 1024, `card is ${size} bytes`);
  });
});

describe("concern card data -> service input", () => {
  const data = {
    submissionId,
    verb: "submitConcern",
    pupilId: "pupil-1",
    categoryIds: "behaviour,bullying",
    subCategoryIds: "",
    "subCategories.behaviour": "damage,defiance",
    "subCategories.welfare": "stale-choice",
    "categoryFields.behaviour.outcomes": "Near miss,Aggressive incident",
    "categoryFields.bullying.further-measures": "Seating plan changed, parents told",
    "categoryFields.attendance.ignored": "from a category no longer chosen",
    occurredDate: "2025-06-30",
    occurredTime: "14:05",
    account: "Pushed another child (O.J.) over at lunch.",
    linkedPupil1: "",
    linkedPart1: "witness",
    linkedPupil2: "pupil-2",
    linkedPart2: "alleged-victim",
    linkedPupil3: "pupil-3",
    linkedPart3: "witness",
    disclosure: "true",
    toldDslInPerson: "not-yet",
    allegation: "true",
    allegationStaffIds: "s-t",
    status: "active",
    assignedToStaffId: "s-dsl",
    agencyInvolved: "Police",
    plannerDate: "2025-07-10",
    plannerTime: "09:00",
    plannerNote: "Check in",
    alertStaffIds: "s-dsl",
    alertGroupIds: "",
  };

  it("parses every field: multi-selects split, rows closed up, unchosen categories' leftovers dropped", () => {
    const parsed = toRecordIncidentInput(data, "Europe/London", "bot", options.categories);
    assert.deepEqual(parsed.linkedPupils, [
      { pupilId: "pupil-2", part: "alleged-victim" },
      { pupilId: "pupil-3", part: "witness" },
    ]);
    assert.deepEqual(parsed.subCategoryIds, ["damage", "defiance"]);
    assert.deepEqual(parsed.categoryFields, {
      behaviour: { outcomes: ["Near miss", "Aggressive incident"] },
      bullying: { "further-measures": "Seating plan changed, parents told" },
    });
    assert.equal(parsed.occurredAt, "2025-06-30T13:05:00.000Z");
    assert.equal(parsed.disclosure, true);
    assert.equal(parsed.toldDslInPerson, "not-yet");
    assert.deepEqual(parsed.allegationAgainstStaff, { staffIds: ["s-t"] });
    assert.equal(parsed.assignedToStaffId, "s-dsl");
    assert.equal(parsed.agencyInvolved, "Police");
    assert.deepEqual(parsed.plannerReminder, { date: "2025-07-10", time: "09:00", note: "Check in" });
  });

  it("ignores whom an allegation names when the toggle is off, and leaves out an empty reminder", () => {
    const parsed = toRecordIncidentInput(
      { ...data, allegation: "false", plannerDate: "", plannerTime: "", plannerNote: "" },
      "Europe/London",
      "bot",
      options.categories,
    );
    assert.equal(parsed.allegationAgainstStaff, undefined);
    assert.equal(parsed.plannerReminder, undefined);
  });

  it("names the card input of each problem: a linked pupil with no part, a reminder with no time, a bad answer", () => {
    const bad = { ...data, linkedPart2: "", plannerTime: "", toldDslInPerson: "maybe", allegationStaffIds: "" };
    let error: KeepsafeError | undefined;
    try {
      toRecordIncidentInput(bad, "Europe/London", "bot", options.categories);
    } catch (e) {
      if (isKeepsafeError(e)) error = e;
    }
    assert.equal(error?.code, "validation_failed");
    assert.deepEqual(error!.fields.map((f) => f.field).sort(), ["allegationStaffIds", "linkedPart1", "plannerTime", "toldDslInPerson"]);
  });
});

describe("confirmation of the whole incident", () => {
  it("shows the new fields read-only, the reference and the no-edit rule, and passes the renderer", () => {
    const confirmation = confirmationCard(
      {
        reference: "KS-ABCDEFG",
        occurredAt: "2025-06-30T13:05:00.000Z",
        account: "Account text.",
        status: "active",
        urgent: true,
        toldDslInPerson: false,
        disclosure: true,
        agencyInvolved: "Police",
        plannerReminder: { date: "2025-07-10", time: "09:00", note: "Check in" },
      },
      {
        pupilName: "Amelia Smith (Year 3, Kestrels)",
        categoryNames: ["Behaviour"],
        alertedNames: ["Helen Okafor"],
        timeZone: "Europe/London",
        subCategoryNames: ["Behaviour: Damage"],
        categoryFieldLines: [{ label: "Outcomes of the incident", value: "Near miss" }],
        linkedPupils: [{ name: "Oliver Jones (Year 3, Kestrels)", part: "alleged-victim" }],
        assignedToName: "Helen Okafor",
      },
    ) as Json;
    assert.deepEqual(rendererComplaints(confirmation), []);
    assert.ok(!elements(confirmation).some((e) => String(e.type).startsWith("Input.")));
    const text = JSON.stringify(confirmation);
    for (const expected of [
      "KS-ABCDEFG",
      "URGENT",
      "Behaviour: Damage",
      "Near miss",
      "Oliver Jones (Year 3, Kestrels) (alleged victim)",
      "Not yet",
      "Police",
      "2025-07-10 09:00: Check in",
      "Monday, 30 June 2025",
      "This record cannot be edited. If something is wrong, tell a DSL, who will add a correcting action.",
    ])
      assert.ok(text.includes(expected), expected);
  });
});
