/**
 * One concern-form model, two renderers (issue 7): every field of the model is on the bot's card
 * and in the tab's React form (rendered in Chromium) with the same label and limit; a model with
 * other limits changes both; and the same answers through the card's parser and through the tab's
 * form (the body Chromium really POSTs) make the same record command.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Browser, FrameLocator, Page } from "playwright-core";
import { buildTab } from "../../tab/build.js";
import { recordConcernCard } from "../../bot/cards/record-concern-card.js";
import { toRecordIncidentInput } from "../../bot/concern-input.js";
import { labelOf, type ConcernFormField, type ConcernFormModel } from "../../src/domain/concern-form/model.js";
import { CONCERN_FORM } from "../../src/domain/concern-form/standard-form.js";
import { ALERT_ALLEGATION_NOTE, ALERT_APPROVAL_NOTE } from "../../src/domain/policy/alerting.js";
import { tabRecordIncidentBodySchema } from "../../src/contract/requests.js";
import type { FormOptions } from "../../src/contract/views.js";
import { launchBrowser, newLoopbackPage } from "../support/browser.js";
import { startTestKeepsafe, staffByRole, type TestKeepsafe } from "../support/keepsafe-instance.js";
import { elements, type Json } from "../bot/support/card-helpers.js";
import { CONCERN_FORM as MODIFIED_FORM, MODIFIED_LIMITS } from "./support/modified-concern-form.js";

const CHOSEN = ["behaviour", "bullying"];
type Shown = Record<string, { label: string; maxLength?: number }>;

/** The fields the model says show for a teacher who ticked a disclosure and an allegation, with these categories. */
function expected(model: ConcernFormModel, options: FormOptions): Shown {
  const facts = {
    role: "STAFF" as const,
    categories: options.categories,
    hasLocations: options.locations.length > 0,
    hasAlertGroups: options.alertGroups.length > 0,
    answers: { disclosure: true, allegation: true, categoryIds: CHOSEN },
  };
  const fields: ConcernFormField[] = [
    ...model.shown(facts),
    ...options.categories.filter((c) => CHOSEN.includes(c.id)).flatMap((c) => model.categoryFields(c)),
    ...model.linkedRow(1),
  ];
  return Object.fromEntries(fields.map((f) => [f.id, { label: labelOf(f), ...(f.maxLength !== undefined ? { maxLength: f.maxLength } : {}) }]));
}

/** Each expected field as the card shows it: an input's label (a toggle's title), or a heading for a group of rows. */
function onCard(card: Json, want: Shown): Shown {
  const all = elements(card);
  return Object.fromEntries(
    Object.entries(want).map(([id, { label }]) => {
      const input = all.find((e) => e.id === id);
      if (!input) return [id, { label: all.some((e) => e.type === "TextBlock" && e.text === label) ? label : "(not on the card)" }];
      return [id, { label: String(input.label ?? input.title), ...(input.maxLength !== undefined ? { maxLength: input.maxLength } : {}) }];
    }),
  );
}

/** Each expected field as the React form shows it, by its data-field element. */
async function inForm(form: FrameLocator, want: Shown): Promise<Shown> {
  const out: Shown = {};
  for (const id of Object.keys(want)) {
    const el = form.locator(`[data-field="${id}"]`);
    if ((await el.count()) !== 1) {
      out[id] = { label: "(not in the form)" };
      continue;
    }
    const { label, maxLength } = await el.evaluate((node) => {
      const named = node.tagName === "H3" ? node : node.querySelector("label");
      // The required mark is Fluent's own "*" after the label.
      const text = (named?.textContent ?? "").replace(/\s*\*$/, "").trim();
      const limited = node.querySelector("input[maxlength], textarea[maxlength]");
      return { label: text, maxLength: limited ? Number(limited.getAttribute("maxlength")) : undefined };
    });
    out[id] = { label, ...(maxLength !== undefined ? { maxLength } : {}) };
  }
  return out;
}

describe("one concern-form model for the card and the tab", function () {
  this.timeout(240_000);
  const teacher = staffByRole(/^Teacher \(Year 3\)/);
  const admin = staffByRole(/^Admin staff/);
  let keepsafe: TestKeepsafe;
  let modified: TestKeepsafe;
  let modifiedDir: string;
  let browser: Browser;
  let page: Page;
  let options: FormOptions;

  before(async () => {
    modifiedDir = mkdtempSync(join(tmpdir(), "keepsafe-tab-modified-"));
    const modifiedForm = fileURLToPath(new URL("./support/modified-concern-form.ts", import.meta.url));
    await Promise.all([
      buildTab(),
      // The same tab with the modified model in the standard one's place.
      buildTab({
        outDir: modifiedDir,
        plugins: [{ name: "modified-form", setup: (b) => b.onResolve({ filter: /standard-form\.js$/ }, () => ({ path: modifiedForm })) }],
      }),
    ]);
    [keepsafe, modified] = await Promise.all([startTestKeepsafe(), startTestKeepsafe({}, undefined, { tabDistDir: modifiedDir })]);
    browser = await launchBrowser();
    const answer = await keepsafe.api("/api/form-options", await keepsafe.tokenFor(teacher));
    assert.equal(answer.status, 200);
    options = (await answer.json()) as FormOptions;
  });
  after(async () => {
    await browser?.close();
    await Promise.all([keepsafe?.cleanup(), modified?.cleanup()]);
    if (modifiedDir) rmSync(modifiedDir, { recursive: true, force: true });
  });
  beforeEach(async () => {
    page = await newLoopbackPage(browser);
  });
  afterEach(async () => {
    await page?.context().close();
  });

  /** As the teacher: opens the form's dialog. */
  async function openForm(server: TestKeepsafe): Promise<FrameLocator> {
    await page.goto(`${server.url}/`);
    await page.selectOption("#kh-user", teacher.oid);
    const tab = page.frameLocator("#kh-tab");
    await tab.getByTestId("signed-in").waitFor();
    await tab.getByTestId("record-concern").click();
    const form = page.frameLocator(".kh-dialog-frame");
    await form.getByTestId("concern-form").waitFor();
    return form;
  }

  /** As the teacher: opens the form's dialog and makes every conditional field show. */
  async function openFullForm(server: TestKeepsafe): Promise<FrameLocator> {
    const form = await openForm(server);
    for (const id of CHOSEN)
      await form
        .getByTestId("concern-categories")
        .getByLabel(options.categories.find((c) => c.id === id)!.name)
        .check();
    await form.getByTestId("concern-disclosure").check();
    await form.getByTestId("concern-allegation").check();
    await form.getByTestId("concern-told-dsl").waitFor();
    return form;
  }

  const fullCard = (model: ConcernFormModel) =>
    recordConcernCard(
      options,
      {
        submissionId: "4b1d6a2c-0000-4000-8000-000000000010",
        role: "STAFF",
        values: { categoryIds: CHOSEN.join(","), disclosure: "true", allegation: "true" },
      },
      model,
    ) as Json;

  it("shows every field of the model on the card and in the React form, with the same label and limit", async () => {
    const want = expected(CONCERN_FORM, options);
    assert.ok(Object.keys(want).length >= 25, "every fixed field, the categories' own and a linked row");
    assert.deepEqual(onCard(fullCard(CONCERN_FORM), want), want);
    assert.deepEqual(await inForm(await openFullForm(keepsafe), want), want);
  });

  it("says in the tab's alert box, from the model as the card does, that a teacher's alert on a Safeguarding concern waits for a DSL", async () => {
    const form = await openForm(keepsafe);
    const category = (id: string) => form.getByTestId("concern-categories").getByLabel(options.categories.find((c) => c.id === id)!.name);
    const note = form.getByTestId("concern-alert-held-note");
    await category("behaviour").check();
    assert.equal(await note.count(), 0, "alerts on a behaviour concern go straight out");
    await category("safeguarding").check();
    await note.waitFor();
    assert.equal(await note.textContent(), ALERT_APPROVAL_NOTE);
    await category("safeguarding").uncheck();
    await note.waitFor({ state: "detached" });
  });

  it("says in the tab's alert box, from the model as the card does, that on an allegation a teacher's held alert will be declined", async () => {
    const form = await openForm(keepsafe);
    const note = form.getByTestId("concern-alert-held-note");
    await form
      .getByTestId("concern-categories")
      .getByLabel(options.categories.find((c) => c.id === "safeguarding")!.name)
      .check();
    await note.waitFor();
    assert.equal(await note.textContent(), ALERT_APPROVAL_NOTE);
    await form.getByTestId("concern-allegation").check();
    await form.getByText(ALERT_ALLEGATION_NOTE).waitFor();
    assert.equal(await note.textContent(), ALERT_ALLEGATION_NOTE, "the allegation's note replaces the approval one");
    await form.getByTestId("concern-allegation").uncheck();
    await form.getByText(ALERT_APPROVAL_NOTE).waitFor();
  });

  it("follows a limit changed in the model, on the card and in the React form alike", async () => {
    const want = expected(MODIFIED_FORM, options);
    assert.equal(want.agencyInvolved.maxLength, 42);
    assert.equal(want.account.label, "What happened (required, 10 to 4,321 characters)");
    assert.equal(want["categoryFields.bullying.further-measures"].maxLength, MODIFIED_LIMITS.categoryTextMaxLength);
    assert.deepEqual(onCard(fullCard(MODIFIED_FORM), want), want);
    assert.deepEqual(await inForm(await openFullForm(modified), want), want);
    // The standard form keeps its own limit: the change came from the model, not from the page.
    assert.equal(expected(CONCERN_FORM, options).agencyInvolved.maxLength, 200);
  });

  it("makes the same record command from the same answers through the card and through the tab", async () => {
    const form = await openFullForm(keepsafe);
    await form.getByTestId("concern-pupil").fill("am");
    await form.getByTestId("concern-pupil-option").first().click();
    await form.getByTestId("concern-pupil-chosen").waitFor();
    await form.getByTestId("concern-linked-1").fill("ol");
    await form.getByTestId("concern-linked-1-option").first().click();
    await form.getByTestId("concern-linked-1-chosen").waitFor();
    await form.getByTestId("concern-linked-1-part").selectOption("witness");
    await form.getByTestId("concern-category-behaviour").getByLabel("Defiance").check();
    await form.getByTestId("concern-field-behaviour-deescalation").getByLabel("Calm talking").check();
    await form.getByTestId("concern-field-behaviour-deescalation").getByLabel("Distraction").check();
    await form.getByTestId("concern-field-bullying-further-measures").fill("  Seating plan changed  ");
    await form.getByTestId("concern-date").fill("30/06/2025");
    await form.getByTestId("concern-time").fill("14:05");
    await form.getByTestId("concern-session").selectOption("lunch");
    await form.getByTestId("concern-account").fill("Pushed another child (O.J.) over at lunch.");
    await form
      .getByTestId("concern-told-dsl")
      .getByLabel(/Not yet/)
      .check();
    await form.getByLabel(admin.displayName, { exact: true }).check();
    await form.getByTestId("concern-agency").fill("Police");
    await form.getByTestId("concern-planner-date").fill("10/07/2099");
    await form.getByTestId("concern-planner-time").fill("09:00");
    await form.getByTestId("concern-planner-note").fill("Check in");

    const posted = page.waitForRequest((r) => r.method() === "POST" && new URL(r.url()).pathname === "/api/incidents");
    await form.getByTestId("concern-submit").click();
    const body = tabRecordIncidentBodySchema.parse((await posted).postDataJSON());
    await form.getByTestId("concern-reference").waitFor();

    // The same answers as the card sends them: every input a string, lists comma-separated.
    const linked = body.linkedPupils[0];
    const card = toRecordIncidentInput(
      {
        submissionId: body.submissionId,
        verb: "submitConcern",
        pupilId: body.pupilId,
        categoryIds: CHOSEN.join(","),
        "subCategories.behaviour": "defiance",
        "categoryFields.behaviour.deescalation": "Calm talking,Distraction",
        "categoryFields.bullying.further-measures": "  Seating plan changed  ",
        occurredDate: "2025-06-30",
        occurredTime: "14:05",
        session: "lunch",
        account: "Pushed another child (O.J.) over at lunch.",
        linkedPupil1: linked.pupilId,
        linkedPart1: "witness",
        disclosure: "true",
        toldDslInPerson: "not-yet",
        allegation: "true",
        allegationStaffIds: admin.oid,
        status: "active",
        agencyInvolved: "Police",
        plannerDate: "2099-07-10",
        plannerTime: "09:00",
        plannerNote: "Check in",
        alertStaffIds: "",
        alertGroupIds: "",
      },
      options.timeZone,
      "tab",
      options.categories,
      "STAFF",
    );
    // The card's own parse drops nothing the tab sent, and adds nothing: one mapper, one command.
    assert.deepEqual(JSON.parse(JSON.stringify(card)), JSON.parse(JSON.stringify(body)));
    assert.deepEqual(body.categoryFields, {
      behaviour: { deescalation: ["Calm talking", "Distraction"] },
      bullying: { "further-measures": "  Seating plan changed  " },
    });
  });
});
