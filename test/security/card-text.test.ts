/**
 * Finding 6: text from outside (a member of staff's display name, a Teams message's sender) must
 * show in cards as typed. A name holding `[Click me](https://evil.example)` reaches the school
 * through the same MIS import the demo school uses; every card is collected over real HTTP at
 * /api/messages and the parts Teams reads as Markdown are checked for a live link.
 */
import assert from "node:assert/strict";
import { importSchool } from "../../src/app/import-school.js";
import { DEMO_SCHOOL_ID, demoSchoolCsv, type DemoStaffMember } from "../../src/local/demo-school.js";
import { adaptiveCard15Problems } from "../support/adaptive-card-check.js";
import { BotConversation, cardText, findActions } from "../support/bot-conversation.js";
import { liveEmphasis, liveLinks, markdownParts, parsesInRenderer, shownText } from "../support/card-markdown.js";
import { startTestKeepsafe, staffByRole, type TestKeepsafe } from "../support/keepsafe-instance.js";

const LINK = "[Click me](https://evil.example)";

const hostile: DemoStaffMember = {
  oid: "0c0ffee0-1234-4abc-8def-0123456789ab",
  displayName: LINK,
  email: "click.me@oakfield-demo.example",
  role: "STAFF",
  label: "Teacher with a Markdown name",
};

/** No part of the card Teams reads as Markdown holds a link or emphasis, and the name still shows as typed. */
function assertShownAsTyped(card: any, what: string, typed = LINK) {
  assert.ok(parsesInRenderer(card), `${what} parses in the renderer`);
  assert.deepEqual(adaptiveCard15Problems(card), [], `${what} is a valid 1.5 card`);
  const parts = markdownParts(card);
  for (const part of parts) {
    assert.deepEqual(liveLinks(part), [], `${what}: no live link in ${JSON.stringify(part)}`);
    if (part.includes("Click me")) assert.equal(liveEmphasis(part), 0, `${what}: no live emphasis in ${JSON.stringify(part)}`);
  }
  const shown = [...parts.map(shownText), cardText(card)].join("\n");
  assert.ok(shown.includes(typed), `${what} shows ${typed} as typed`);
}

describe("security: finding 6 — Markdown in cards", function () {
  this.timeout(60_000);
  let keepsafe: TestKeepsafe;
  const teacher = staffByRole(/^Teacher \(Year 3\)/);
  const dsl = staffByRole(/^DSL/);
  let teacherChat: BotConversation;

  before(async () => {
    keepsafe = await startTestKeepsafe();
    const { staffCsv } = demoSchoolCsv();
    // One cell per column of the demo staff file (head_teacher and scope left empty).
    const hostileRow = `${hostile.oid},${hostile.displayName},${hostile.email},${hostile.role},,\r\n`;
    await importSchool({ schools: keepsafe.service["deps"].schools }, { schoolId: DEMO_SCHOOL_ID, staffCsv: staffCsv + hostileRow });
    teacherChat = new BotConversation(keepsafe.url, keepsafe.local.connector!, teacher, keepsafe.config.identity.tenantId);
  });
  after(async () => keepsafe?.cleanup());

  it("shows a staff name as typed in the form's checkboxes (who to alert, allegation)", async () => {
    const form = await teacherChat.sendAndWaitForCard("record a concern");
    const alertChoice = JSON.stringify(form).includes(hostile.oid);
    assert.ok(alertChoice, "the imported member of staff is on the form");
    assertShownAsTyped(form, "record-concern form");
  });

  it("shows the person who raised it as typed on the alert card and its Add action form", async () => {
    const dslChat = new BotConversation(keepsafe.url, keepsafe.local.connector!, dsl, keepsafe.config.identity.tenantId);
    await dslChat.sendAndWaitForCard("hello");
    const actor = await keepsafe.service.resolveActor(hostile.oid, { mfa: false });
    const pupil = (await keepsafe.service.searchPupils(actor, "a"))[0];
    const res = await keepsafe.api("/api/incidents", await keepsafe.tokenFor(hostile), {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        submissionId: "card-text-test-0001",
        pupilId: pupil.id,
        categoryIds: ["welfare"],
        occurredAt: new Date(Date.now() - 1800_000).toISOString(),
        account: "Came in without a coat and said the heating is off at home.",
        alertStaffIds: [dsl.oid],
        source: "tab",
      }),
    });
    assert.equal(res.status, 201, await res.clone().text());
    const incidentId = ((await res.json()) as { incident: { id: string } }).incident.id;
    const activity = await keepsafe.local.connector!.waitForActivity(dslChat.conversationId, (a) =>
      JSON.stringify(a.attachments ?? []).includes(incidentId),
    );
    assertShownAsTyped((activity.attachments as any[])[0].content, "alert card", `${LINK} raised a concern`);

    const addAction = await dslChat.execute("openAddAction", { incidentId });
    assert.equal(addAction.body.statusCode, 200, JSON.stringify(addAction.body));
    assertShownAsTyped(addAction.body.value, "Add action form");
  });

  it("shows who was alerted as typed on the confirmation", async () => {
    const form = await teacherChat.sendAndWaitForCard("record a concern");
    const submit = findActions(form).find((a) => a.verb === "submitConcern");
    const pupil = (await teacherChat.search("a")).body.value.results[0];
    const ok = await teacherChat.execute(submit.verb, {
      ...submit.data,
      pupilId: pupil.value,
      categoryIds: "welfare",
      occurredDate: "2026-01-05",
      occurredTime: "09:30",
      account: "Came in without a coat in the snow and said the heating is off at home.",
      alertStaffIds: hostile.oid,
    });
    assert.equal(ok.body.statusCode, 200, JSON.stringify(ok.body));
    assert.match(cardText(ok.body.value), /Concern recorded/);
    assertShownAsTyped(ok.body.value, "confirmation");
  });

  it("shows a Teams message's sender as typed in the message extension's dialog", async () => {
    const res = await teacherChat.post({
      type: "invoke",
      name: "composeExtension/fetchTask",
      value: {
        commandId: "recordConcern",
        commandContext: "message",
        messagePayload: {
          id: "1700000000001",
          createdDateTime: "2025-03-12T10:15:00.000Z",
          from: { user: { id: "u1", displayName: LINK, userIdentityType: "aadUser" } },
          body: { contentType: "text", content: "He said **nobody** is at home tonight." },
        },
      },
    });
    assert.equal(res.status, 200);
    const card = res.body.task.value.card.content;
    assertShownAsTyped(card, "message-extension dialog", `From a Teams message by ${LINK} at`);
  });
});
