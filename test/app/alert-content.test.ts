import assert from "node:assert/strict";
import {
  buildAlertContent,
  buildAlertEmailHtml,
  buildDeepLink,
  buildOutboxMessages,
  categoryLabelOf,
  PREVIEW_MAX_LENGTH,
} from "../../src/app/alert-content.js";
import type { Incident } from "../../src/domain/incident.js";

const incident = (over: Partial<Incident> = {}): Incident => ({
  id: "inc-1",
  schoolId: "school-1",
  reference: "KS-7K2M9Q",
  pupilId: "pupil-jamie",
  linkedPupils: [],
  submissionId: "sub-1",
  categoryIds: ["safeguarding"],
  subCategoryIds: ["neglect"],
  occurredAt: "2025-03-01T09:00:00.000Z",
  account: "Jamie Brookes said his dad hit him with a belt last night and he is scared to go home.",
  raisedBy: { staffId: "staff-ana", name: "Ms Ana Teacher" },
  recordedAt: "2025-03-01T09:30:00.000Z",
  alertedStaffIds: ["staff-dsl", "staff-ddsl"],
  urgent: false,
  status: "active",
  source: "bot",
  ...over,
});

describe("alert content", () => {
  it("names who raised it and the categories, and links to the incident", () => {
    const c = buildAlertContent(incident(), ["Safeguarding"]);
    assert.equal(c.subject, "Keepsafe: concern raised by Ms Ana Teacher — Safeguarding");
    assert.equal(c.preview, "Ms Ana Teacher raised a concern (Safeguarding). Open Keepsafe to read it.");
    assert.equal(c.deepLinkSubEntityId, "incident:inc-1");
    assert.equal(c.urgent, false);
  });

  it("gives the category label for the activity type's {category} parameter", () => {
    assert.equal(categoryLabelOf(buildAlertContent(incident(), ["Safeguarding", "Behaviour"])), "Safeguarding, Behaviour");
    assert.equal(categoryLabelOf(buildAlertContent(incident(), [])), "see Keepsafe");
  });

  it("prefixes urgent concerns", () => {
    const c = buildAlertContent(incident({ urgent: true }), ["Safeguarding", "Behaviour"]);
    assert.equal(c.subject, "URGENT: Keepsafe: concern raised by Ms Ana Teacher — Safeguarding, Behaviour");
    assert.ok(c.preview.startsWith("URGENT: "));
    assert.equal(c.urgent, true);
  });

  it("never carries the pupil's name, id or any word of the account", () => {
    const i = incident();
    const c = buildAlertContent(i, ["Safeguarding"]);
    const text = `${c.subject} ${c.preview} ${c.deepLinkSubEntityId}`.toLowerCase();
    for (const word of ["jamie", "brookes", "pupil-jamie", "belt", "scared", "dad"]) assert.ok(!text.includes(word), word);
    const accountWords = new Set(i.account.toLowerCase().match(/[a-z]{4,}/g));
    const leaked = (text.match(/[a-z]{4,}/g) ?? []).filter((w) => accountWords.has(w));
    assert.deepEqual(leaked, []);
  });

  it("keeps the preview within what Teams shows and on one line", () => {
    const c = buildAlertContent(incident({ raisedBy: { staffId: "s", name: "Mr\nLong " + "Name".repeat(40) } }), ["Safeguarding"]);
    assert.ok(c.preview.length <= PREVIEW_MAX_LENGTH);
    assert.ok(!/[\r\n]/.test(c.subject + c.preview));
  });

  it("builds one activity-feed and one email message per recipient with deterministic ids", () => {
    const i = incident();
    const content = buildAlertContent(i, ["Safeguarding"]);
    const now = new Date("2025-03-01T09:30:00.000Z");
    const messages = buildOutboxMessages(i, ["staff-dsl", "staff-ddsl", "staff-dsl"], content, now);
    assert.deepEqual(
      messages.map((m) => m.id),
      [
        "outbox:inc-1:staff-dsl:activity-feed",
        "outbox:inc-1:staff-dsl:email",
        "outbox:inc-1:staff-ddsl:activity-feed",
        "outbox:inc-1:staff-ddsl:email",
      ],
    );
    for (const m of messages) {
      assert.equal(m.status, "pending");
      assert.equal(m.attempts, 0);
      assert.equal(m.nextAttemptAt, now.toISOString());
      assert.equal(m.pupilId, "pupil-jamie");
      assert.equal(m.schoolId, "school-1");
      assert.deepEqual(m.content, content);
    }
    assert.deepEqual(buildOutboxMessages(i, ["staff-dsl"], content, now), messages.slice(0, 2));
  });

  it("builds a Teams deep link whose context carries the sub-entity id", () => {
    const link = buildDeepLink("11111111-2222-3333-4444-555555555555", "keepsafe", "incident:inc-1");
    assert.ok(link.startsWith("https://teams.microsoft.com/l/entity/11111111-2222-3333-4444-555555555555/keepsafe?context="));
    const context = JSON.parse(new URL(link).searchParams.get("context") ?? "null");
    assert.deepEqual(context, { subEntityId: "incident:inc-1" });
  });

  it("escapes the email body", () => {
    const html = buildAlertEmailHtml(
      { subject: "s", preview: "<b>x</b> & y", deepLinkSubEntityId: "i", urgent: false },
      'https://teams.microsoft.com/l/entity/a/b?context=%7B%7D&x="',
    );
    assert.ok(html.includes("&lt;b&gt;x&lt;/b&gt; &amp; y"));
    assert.ok(!html.includes('x="'));
  });
});
