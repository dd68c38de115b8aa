/**
 * Keepsafe's cards through the real Adaptive Cards renderer (parse events and property
 * validation), plus the form rules Teams relies on: version 1.5, Action.Execute with an
 * Action.Submit fallback, required fields, and nothing typed lost when problems come back.
 */
import assert from "node:assert/strict";
import { confirmationCard, IMMUTABLE_NOTICE } from "../../bot/cards/confirmation-card.js";
import { errorCard } from "../../bot/cards/error-card.js";
import { recordConcernCard, RECORDING_GUIDANCE } from "../../bot/cards/record-concern-card.js";
import { wallClockNow, wallClockToIso } from "../../src/domain/wall-clock.js";
import { LIMITS } from "../../src/domain/limits.js";
import { elements, formOptions, input, rendererComplaints, TYPEAHEAD_NOTE, type Json } from "./support/card-helpers.js";

const options = formOptions({
  staff: [
    { id: "s-dsl", name: "Helen Okafor", role: "DSL" },
    { id: "s-t", name: "Gareth Hughes", role: "STAFF" },
  ],
});

describe("bot cards", () => {
  it("(the renderer check itself catches a broken card)", () => {
    const broken = { type: "AdaptiveCard", version: "1.5", body: [{ type: "Input.Text" }, { type: "Nonsense" }] };
    assert.ok(rendererComplaints(broken).length >= 2);
  });

  describe("record-concern form", () => {
    const form = recordConcernCard(options, { submissionId: "4b1d6a2c-0000-4000-8000-000000000001" }) as Json;

    it("passes the real renderer with only the typeahead notes (the pupil and the first linked-pupil row)", () => {
      assert.deepEqual(rendererComplaints(form), Array(2).fill(TYPEAHEAD_NOTE));
    });

    it("is version 1.5 with Action.Execute submitConcern falling back to Action.Submit with the same data", () => {
      assert.equal(form.version, "1.5");
      assert.equal(form.$schema, "http://adaptivecards.io/schemas/adaptive-card.json");
      const [submit] = form.actions;
      assert.equal(submit.type, "Action.Execute");
      assert.equal(submit.verb, "submitConcern");
      assert.equal(submit.fallback.type, "Action.Submit");
      assert.deepEqual(submit.fallback.data, submit.data);
      assert.equal(submit.data.submissionId, "4b1d6a2c-0000-4000-8000-000000000001");
    });

    it("has the pupil typeahead, multi-select categories and staff, and the account limits", () => {
      const pupil = input(form, "pupilId");
      assert.equal(pupil.style, "filtered");
      assert.deepEqual(pupil["choices.data"], { type: "Data.Query", dataset: "pupils", associatedInputs: "auto" });
      assert.equal(input(form, "categoryIds").isMultiSelect, true);
      assert.equal(input(form, "alertStaffIds").isMultiSelect, true);
      const account = input(form, "account");
      assert.equal(account.isMultiline, true);
      assert.equal(account.maxLength, LIMITS.accountMaxLength);
      assert.ok(JSON.stringify(form).includes(RECORDING_GUIDANCE));
      assert.ok(JSON.stringify(form).includes("tell a DSL in person now"), "category guidance is on the form");
    });

    it("marks the required fields with an error message, and states the account's limits", () => {
      for (const id of ["categoryIds", "occurredDate", "occurredTime"]) {
        assert.equal(input(form, id).isRequired, true, id);
        assert.ok(input(form, id).errorMessage, id);
      }
      // The pupil may be named in the typed-name box instead, so the client must not demand the list;
      // the bot checks that one of them is given (test/bot/pupil-choices-http.test.ts).
      assert.notEqual(input(form, "pupilId").isRequired, true);
      assert.ok(input(form, "pupilName"), "the typed-name box is on the form");
      // Teams checks isRequired before any Action.Execute, so an empty account must not block the refresh button.
      assert.notEqual(input(form, "account").isRequired, true);
      assert.match(input(form, "account").label, /required, 10 to 10,000 characters/);
    });

    it("defaults the date and time to now on the school's clock, not UTC", () => {
      // 23:30 UTC on 1 July is 00:30 on 2 July in London (BST).
      assert.equal(input(form, "occurredDate").value, "2025-07-02");
      assert.equal(input(form, "occurredTime").value, "00:30");
    });

    it("shows problems beside their fields and keeps every value", () => {
      const values = {
        pupilId: "pupil-1",
        categoryIds: "welfare,bullying",
        occurredDate: "2025-06-30",
        occurredTime: "14:05",
        session: "lunch",
        location: "Playground",
        account: "short",
        alertStaffIds: "s-dsl",
      };
      const again = recordConcernCard(options, {
        submissionId: "4b1d6a2c-0000-4000-8000-000000000001",
        values,
        pupilTitles: { "pupil-1": "Amelia Smith (Year 3, Kestrels)" },
        errors: [
          { field: "account", message: "Write what you saw or heard (at least 10 characters)." },
          { field: "occurredAt", message: "The date and time cannot be in the future." },
          { field: "submissionId", message: "The form is missing its id; open a new form." },
        ],
      }) as Json;
      for (const [id, value] of Object.entries(values)) assert.equal(input(again, id).value, value, id);
      const all = elements(again);
      const next = (id: string) => all[all.findIndex((e) => e.id === id) + 1];
      assert.match(next("account").text, /at least 10 characters/);
      assert.match(next("occurredTime").text, /cannot be in the future/);
      assert.ok(
        all.some((e) => e.text === "The form is missing its id; open a new form."),
        "problems with no input go at the top",
      );
      assert.deepEqual(input(again, "pupilId").choices, [{ title: "Amelia Smith (Year 3, Kestrels)", value: "pupil-1" }]);
      // With the chosen pupil as a static choice only the empty linked-pupil row remains as a typeahead note.
      assert.deepEqual(rendererComplaints(again), [TYPEAHEAD_NOTE]);
    });
  });

  describe("confirmation", () => {
    const confirmation = confirmationCard(
      { reference: "KS-7K2M9Q", occurredAt: "2025-06-30T13:05:00.000Z", account: 'Said *exactly*: "I_don\'t want to go home".' },
      { pupilName: "Amelia Smith (Year 3, Kestrels)", categoryNames: ["Welfare"], alertedNames: ["Helen Okafor"], timeZone: "Europe/London" },
    ) as Json;

    it("passes the real renderer cleanly and has no inputs or actions", () => {
      assert.deepEqual(rendererComplaints(confirmation), []);
      assert.equal(confirmation.version, "1.5");
      assert.ok(!elements(confirmation).some((e) => String(e.type).startsWith("Input.")));
      assert.equal(confirmation.actions, undefined);
    });

    it("shows the reference, the school's local time, who was alerted, the account verbatim and the no-edit rule", () => {
      const text = JSON.stringify(confirmation);
      assert.ok(text.includes("KS-7K2M9Q"));
      assert.ok(text.includes("Monday, 30 June 2025, 14:05"));
      assert.ok(text.includes("Helen Okafor"));
      assert.ok(text.includes(IMMUTABLE_NOTICE));
      // The account is a TextRun (not markdown), holding exactly what was written.
      assert.ok(elements(confirmation).some((e) => e.type === "RichTextBlock" && e.inlines[0].text.includes("*exactly*")));
    });
  });

  it("error card passes the renderer and says nothing was lost", () => {
    const card = errorCard() as Json;
    assert.deepEqual(rendererComplaints(card), []);
    assert.match(JSON.stringify(card), /Nothing you typed has been lost/);
  });
});

describe("school wall clock", () => {
  it("converts the form's date and time in the school's zone, across summer time", () => {
    assert.equal(wallClockToIso("2025-07-01", "10:15", "Europe/London"), "2025-07-01T09:15:00.000Z");
    assert.equal(wallClockToIso("2025-01-15", "10:15", "Europe/London"), "2025-01-15T10:15:00.000Z");
    assert.deepEqual(wallClockNow(new Date("2025-01-15T10:15:00Z"), "Europe/London"), { date: "2025-01-15", time: "10:15" });
  });
  it("rejects dates that do not exist", () => {
    assert.equal(wallClockToIso("2025-02-30", "10:15", "Europe/London"), undefined);
    assert.equal(wallClockToIso("", "", "Europe/London"), undefined);
    assert.equal(wallClockToIso("2025-02-10", "25:00", "Europe/London"), undefined);
  });
});
