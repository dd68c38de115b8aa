/**
 * The Pupil field in every client, over real HTTP at /api/messages with the real service and the
 * embedded Cosmos DB server: the pupils a teacher recorded about recently as fixed choices, a
 * typed name resolved on refresh and submit (one, several, none), the chosen pupil always by name
 * (after a refresh and after a problem, never twice while re-typing), the named problem summary
 * at the top, and the complete confirmation with the body map's marks and the files by name.
 */
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { NO_DIALOG_HINT } from "../../bot/cards/body-map-dialog.js";
import { NO_PUPIL_MESSAGE, SEVERAL_PUPILS_MESSAGE } from "../../bot/pupil-choices.js";
import { pupilTitle } from "../../bot/pupil-search.js";
import { KeepsafeService } from "../../src/app/keepsafe-service.js";
import { describeMark } from "../../src/domain/body-map.js";
import { pupilDisplayName, type Pupil } from "../../src/domain/school.js";
import { wallClockNow } from "../../src/domain/wall-clock.js";
import { DEMO_SCHOOL_ID, DEMO_STAFF } from "../../src/local/demo-school.js";
import { adaptiveCard15Problems } from "../support/adaptive-card-check.js";
import { cardText } from "../support/bot-conversation.js";
import { startKeepsafeFixture, type KeepsafeFixture } from "../support/keepsafe-fixture.js";
import { startBotHarness, type BotHarness } from "./support/bot-harness.js";
import { elements, input, type Json } from "./support/card-helpers.js";

const teacher = DEMO_STAFF.find((s) => s.role === "STAFF")!;
const colleague = DEMO_STAFF.filter((s) => s.role === "STAFF")[1]!;
const dsl = DEMO_STAFF.find((s) => s.role === "DSL")!;

describe("the pupil field without typeahead, named pupils and the complete confirmation over HTTP", function () {
  this.timeout(30_000);
  let fx: KeepsafeFixture;
  let harness: BotHarness;
  let pupils: Pupil[];
  let conversationId: string;

  before(async function () {
    this.timeout(90_000);
    fx = await startKeepsafeFixture("pupil-choices-http", new Date().toISOString());
    // As src/compose.ts wires it: the service records with the forms' drafts (body map, files).
    const service = new KeepsafeService({
      schools: fx.stores.schoolStore,
      records: fx.stores.recordStore,
      clock: fx.clock,
      drafts: fx.stores.draftStore,
    });
    harness = await startBotHarness(service, { dialogs: { publicUrl: "https://keepsafe.school.example", drafts: service } });
    pupils = (await fx.stores.schoolStore.listPupils(DEMO_SCHOOL_ID)).filter((p) => !p.archived);
  });
  after(async () => {
    await harness?.close();
    await fx?.close();
  });
  beforeEach(() => {
    conversationId = `a:${randomUUID()}`;
  });

  const activity = (extra: Json, from = teacher.oid): Json => harness.activity(extra, from, { id: conversationId, conversationType: "personal" });
  const invoke = async (verb: string, data: Json, from = teacher.oid): Promise<Json> => {
    const res = await harness.post(
      activity(
        {
          type: "invoke",
          name: "adaptiveCard/action",
          value: { action: { type: "Action.Execute", verb, data: { ...data, verb } }, trigger: "manual" },
        },
        from,
      ),
    );
    assert.equal(res.status, 200);
    return (res.body as Json).value;
  };
  async function openForm(from = teacher.oid): Promise<Json> {
    const before = harness.sent.length;
    await harness.post(activity({ type: "message", text: "record a concern" }, from));
    const sent = await harness.waitForSent(before + 1);
    return sent[before].activity.attachments![0].content;
  }
  const filled = (card: Json, extra: Json): Json => {
    const anHourAgo = wallClockNow(new Date(Date.now() - 60 * 60 * 1000), "Europe/London");
    return {
      ...card.actions[0].data,
      categoryIds: "welfare",
      occurredDate: anHourAgo.date,
      occurredTime: anHourAgo.time,
      session: "lunch",
      location: "Playground",
      account: 'Came in without a coat again and said "mum forgot". Gave a spare coat from the office.',
      alertStaffIds: dsl.oid,
      ...extra,
    };
  };
  const titleOf = (p: Pupil) => pupilTitle({ displayName: pupilDisplayName(p), yearGroup: p.yearGroup, className: p.className });
  const uniquelyNamed = () => pupils.find((p) => pupils.filter((q) => pupilDisplayName(q) === pupilDisplayName(p)).length === 1)!;

  it("lists the pupils a teacher recorded about recently as fixed choices, by name, newest first", async () => {
    const [older, newer] = [pupils[3], pupils[4]];
    for (const [i, p] of [older, newer].entries()) {
      // Recorded a minute apart, so "newest first" has something to order by.
      fx.clock.set(new Date(Date.now() + i * 60_000).toISOString());
      const card = await openForm(colleague.oid);
      const done = await invoke("submitConcern", filled(card, { pupilId: p.id }), colleague.oid);
      assert.match(cardText(done), /Concern recorded/);
    }
    const card = await openForm(colleague.oid);
    const choices = input(card, "pupilId").choices as { title: string; value: string }[];
    assert.deepEqual(choices.slice(0, 2), [
      { title: titleOf(newer), value: newer.id },
      { title: titleOf(older), value: older.id },
    ]);
    assert.deepEqual(input(card, "pupilId")["choices.data"], { type: "Data.Query", dataset: "pupils", associatedInputs: "auto" }, "typeahead kept");
    assert.ok(cardText(card).includes("pupils you recorded about recently"));
    // Someone who has recorded nothing is offered no fixed choices, and nothing is made up.
    const fresh = await openForm(dsl.oid);
    assert.deepEqual(input(fresh, "pupilId").choices, []);
    assert.ok(!cardText(fresh).includes("recorded about recently"));
  });

  it("shows the chosen pupil by name after a refresh, once, and leaves them out of the typeahead", async () => {
    const pupil = uniquelyNamed();
    const card = await openForm();
    const again = await invoke("refreshConcernForm", filled(card, { pupilId: pupil.id, account: "" }));
    const field = input(again, "pupilId");
    assert.equal(field.value, pupil.id);
    const mine = field.choices.filter((c: Json) => c.value === pupil.id);
    assert.deepEqual(mine, [{ title: titleOf(pupil), value: pupil.id }], "named, and listed once");
    assert.ok(!field.choices.some((c: Json) => c.title.includes(pupil.id)), "never the id as a title");
    // Re-typing: the field sends its inputs, and the bot leaves out the pupil already listed.
    const search = async (data?: Json) =>
      (
        (
          await harness.post(
            activity({
              type: "invoke",
              name: "application/search",
              value: { queryText: pupil.forename, dataset: "pupils", ...(data ? { data } : {}) },
            }),
          )
        ).body as Json
      ).value.results as Json[];
    assert.ok(
      (await search()).some((r) => r.value === pupil.id),
      "found without the card's inputs",
    );
    assert.ok(!(await search({ pupilId: pupil.id, account: "x" })).some((r) => r.value === pupil.id), "not listed twice");
  });

  it("comes back with problems named at the top by their labels, the pupil by name and everything typed kept", async () => {
    const pupil = uniquelyNamed();
    const card = await openForm();
    const data = filled(card, { pupilId: pupil.id, account: "short", location: "Playground", agencyInvolved: "Police" });
    const again = await invoke("submitConcern", data);
    assert.equal(await fx.stores.recordStore.findBySubmission(data.submissionId), undefined, "nothing saved");
    const texts = elements(again)
      .filter((e) => e.type === "TextBlock")
      .map((e) => String(e.text));
    const summaryAt = texts.findIndex((t) => t.startsWith("Nothing has been saved yet"));
    assert.equal(summaryAt, 1, "straight under the heading");
    assert.match(texts[summaryAt + 1], /^What happened: .*at least 10 characters/);
    assert.ok(!JSON.stringify(again).includes("Some fields need attention"));
    assert.equal(input(again, "account").value, "short");
    assert.equal(input(again, "agencyInvolved").value, "Police");
    assert.equal(input(again, "location").value, "Playground");
    assert.deepEqual(
      input(again, "pupilId").choices.filter((c: Json) => c.value === pupil.id),
      [{ title: titleOf(pupil), value: pupil.id }],
    );
  });

  it("takes a typed name that matches one pupil, on refresh and on submit", async () => {
    const pupil = uniquelyNamed();
    const card = await openForm();
    const again = await invoke("refreshConcernForm", filled(card, { pupilName: `  ${pupilDisplayName(pupil).toUpperCase()} ` }));
    assert.equal(input(again, "pupilId").value, pupil.id);
    assert.deepEqual(input(again, "pupilId").choices[0], { title: titleOf(pupil), value: pupil.id });
    assert.equal(input(again, "pupilName").value, undefined, "the name box is cleared once taken");

    const other = await openForm();
    const data = filled(other, { pupilName: pupilDisplayName(pupil) });
    const done = await invoke("submitConcern", data);
    assert.match(cardText(done), /Concern recorded/);
    assert.equal((await fx.stores.recordStore.findBySubmission(data.submissionId))?.pupilId, pupil.id);
  });

  it("offers every match of a name shared by several pupils, and says plainly when nobody matches", async () => {
    const counts = new Map<string, Pupil[]>();
    for (const p of pupils) counts.set(p.forename, [...(counts.get(p.forename) ?? []), p]);
    const [forename, sharing] = [...counts].find(([, ps]) => ps.length >= 2 && ps.length <= 8)!;
    const card = await openForm();
    const several = await invoke("refreshConcernForm", filled(card, { pupilName: forename }));
    assert.equal(input(several, "pupilId").value, undefined, "nobody is guessed");
    const values = input(several, "pupilId").choices.map((c: Json) => c.value);
    for (const p of sharing) assert.ok(values.includes(p.id), "each match is offered");
    assert.equal(input(several, "pupilName").value, forename, "the typed name is kept");
    assert.deepEqual(adaptiveCard15Problems(several), [], "a valid 1.5 card with the matches");
    assert.ok(Buffer.byteLength(JSON.stringify(several)) < 28 * 1024);
    const all = elements(several);
    assert.equal(all[all.findIndex((e) => e.id === "pupilName") + 1].text, SEVERAL_PUPILS_MESSAGE, "said beside the field");

    const data = filled(card, { pupilName: "Zzqx Nobody-Atall" });
    const none = await invoke("submitConcern", data);
    const after = elements(none);
    assert.equal(after[after.findIndex((e) => e.id === "pupilName") + 1].text, NO_PUPIL_MESSAGE);
    assert.ok(cardText(none).includes(`Or type the pupil's name: ${NO_PUPIL_MESSAGE}`), "and named in the summary");
    assert.equal(await fx.stores.recordStore.findBySubmission(data.submissionId), undefined);
  });

  it("confirms every field recorded, the body map's marks and the files by name", async () => {
    const pupil = uniquelyNamed();
    const card = await openForm();
    assert.ok(cardText(card).includes(NO_DIALOG_HINT), "a client without dialogs is told where else to go");
    const submissionId = card.actions[0].data.submissionId as string;
    const owner = { staffId: teacher.oid, schoolId: DEMO_SCHOOL_ID };
    const marks = [
      { side: "front" as const, x: 0.4, y: 0.3, shape: "Bruise", colour: "purple", size: "3 cm", note: "left *forearm*" },
      { side: "back" as const, x: 0.5, y: 0.6 },
    ];
    await fx.stores.draftStore.saveBodyMap(owner, submissionId, { marks, recordedAt: new Date().toISOString(), recordedBy: teacher.oid });
    const fileId = randomUUID();
    await fx.stores.draftStore.reserveFile(owner, submissionId, fileId, 5);
    await fx.stores.draftStore.completeFile(owner, submissionId, {
      fileId,
      key: `${DEMO_SCHOOL_ID}/${fileId}`,
      name: "class-teacher_notes.pdf",
      contentType: "application/pdf",
      size: 1234,
      uploadedBy: { staffId: teacher.oid, name: teacher.displayName },
      uploadedAt: new Date().toISOString(),
    });
    const done = await invoke(
      "submitConcern",
      filled(card, { pupilId: pupil.id, agencyInvolved: "School nurse", disclosure: "true", toldDslInPerson: "yes" }),
    );
    assert.deepEqual(adaptiveCard15Problems(done), [], "a valid 1.5 card");
    // Each RichTextBlock as one line ("Pupil: ..."), as the person reads it.
    const text = elements(done)
      .map((e) => (e.type === "RichTextBlock" ? (e.inlines as Json[]).map((i) => i.text).join("") : String(e.text ?? "")))
      .join("\n");
    for (const expected of [
      "Concern recorded",
      `Pupil: ${titleOf(pupil)}`,
      "Session: Lunchtime",
      "Location: Playground",
      "Disclosure: Yes",
      "Told a DSL in person: Yes",
      "Agency involved: School nurse",
      "Body map: 2 marks",
      describeMark(marks[0], 0),
      describeMark(marks[1], 1),
      "Files: class-teacher_notes.pdf",
      "mum forgot",
    ])
      assert.ok(text.includes(expected), `confirmation shows ${expected}`);
  });
});
