/**
 * The whole slice through the real protocols: a teacher raises a concern with the bot over the
 * Bot Framework protocol, it is stored in the Cosmos DB server, the DSL is alerted through the
 * Graph sandbox (which must learn nothing of the child or the account), and the DSL finds it at the
 * top of the pupil's chronology in the real tab, in headless Chromium, and marks it as read.
 */
import assert from "node:assert/strict";
import { wallClockNow } from "../../src/domain/wall-clock.js";
import type { Browser } from "playwright-core";
import { startTestKeepsafe, staffByRole, type TestKeepsafe } from "../support/keepsafe-instance.js";
import { BotConversation, cardText, findActions } from "../support/bot-conversation.js";
import { launchBrowser, newLoopbackPage } from "../support/browser.js";

const ACCOUNT =
  "At morning break the pupil said their stepfather shouted at them and pushed them into the wardrobe. Their words: 'I hid under the trampoline until it was dark.'";

async function waitFor<T>(probe: () => T | undefined | Promise<T | undefined>, what: string, timeoutMs = 15_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe("end to end: a concern raised in Teams chat reaches the DSL's chronology", function () {
  this.timeout(120_000);
  let keepsafe: TestKeepsafe;
  let browser: Browser;
  const teacher = staffByRole(/^Teacher \(Year 3\)/);
  const dsl = staffByRole(/^DSL/);

  before(async () => {
    keepsafe = await startTestKeepsafe();
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await keepsafe?.cleanup();
  });

  it("records, alerts without personal data, and shows the incident in the tab", async () => {
    const chat = new BotConversation(keepsafe.url, keepsafe.local.connector!, teacher, keepsafe.config.identity.tenantId);

    // 1. Any first message gets the "Record a concern" card.
    const form = await chat.sendAndWaitForCard("hello");
    assert.equal(form.version, "1.5");
    const submit = findActions(form).find((a) => a.type === "Action.Execute" && a.verb === "submitConcern");
    assert.ok(submit, "the form has an Action.Execute submit");
    assert.equal(submit.fallback?.type, "Action.Submit");
    const submissionId = submit.data.submissionId as string;
    assert.ok(submissionId);

    // 2. The pupil typeahead answers from the school's pupils.
    const search = await chat.search("a");
    assert.equal(search.status, 200);
    const results = search.body.value.results as { title: string; value: string }[];
    assert.ok(results.length > 0 && results.length <= 15);
    const pupil = results[0];
    const pupilName = pupil.title.split(" (")[0].trim();

    // 3. Submitting the card stores the incident and replaces the form with a read-only confirmation.
    const tenMinutesAgo = wallClockNow(new Date(Date.now() - 10 * 60_000), "Europe/London");
    const submitted = await chat.execute(submit.verb, {
      ...submit.data,
      pupilId: pupil.value,
      categoryIds: "welfare",
      occurredDate: tenMinutesAgo.date,
      occurredTime: tenMinutesAgo.time,
      account: ACCOUNT,
      alertStaffIds: dsl.oid,
    });
    assert.equal(submitted.status, 200);
    assert.equal(submitted.body.statusCode, 200);
    assert.equal(submitted.body.type, "application/vnd.microsoft.card.adaptive");
    const confirmation = cardText(submitted.body.value);
    assert.match(confirmation, /cannot be edited/i);
    const reference = /KS-[A-Z0-9]{7}/.exec(confirmation)?.[0];
    assert.ok(reference, "the confirmation shows the reference number");
    assert.equal(findActions(submitted.body.value).filter((a) => a.verb === submit.verb).length, 0, "no submit on the confirmation");

    // 4. The stored incident, straight from the Cosmos DB server.
    const stored = await keepsafe.service["deps"].records.findBySubmission(submissionId);
    assert.ok(stored);
    assert.equal(stored.pupilId, pupil.value);
    assert.equal(stored.account, ACCOUNT);
    assert.deepEqual(stored.categoryIds, ["welfare"]);
    assert.deepEqual(stored.alertedStaffIds, [dsl.oid]);
    assert.equal(stored.raisedBy.staffId, teacher.oid);
    assert.equal(stored.reference, reference);

    // 5. The DSL is alerted by activity feed and email, and neither carries the child or the account.
    const graph = keepsafe.local.graph!;
    const sent = await waitFor(() => {
      const r = graph.requests();
      return r.length >= 2 ? r : undefined;
    }, "the Graph sandbox to record two requests");
    assert.equal(sent.length, 2);
    const feed = sent.find((r) => r.kind === "activity-notification");
    const mail = sent.find((r) => r.kind === "mail");
    assert.ok(feed && mail);
    assert.equal(feed.userId, dsl.oid);
    const feedBody = feed.body as any;
    assert.match(feedBody.topic.webUrl, /^https:\/\/teams\.microsoft\.com\/l\/entity\//);
    assert.match(decodeURIComponent(feedBody.topic.webUrl), new RegExp(`incident:${stored.id}`));
    const mailBody = mail.body as any;
    assert.equal(mailBody.message.toRecipients[0].emailAddress.address, dsl.email);
    const everythingSent = JSON.stringify(sent.map((r) => r.body)).toLowerCase();
    assert.match(everythingSent, new RegExp(teacher.displayName.toLowerCase()), "says who raised it");
    assert.match(everythingSent, /welfare/, "says the category");
    for (const word of pupilName.toLowerCase().split(/\s+/)) {
      assert.ok(!everythingSent.includes(word), `the pupil's name (${word}) must not be sent`);
    }
    const accountWords = ACCOUNT.toLowerCase().match(/[a-z]{5,}/g)!;
    for (const word of new Set(accountWords)) {
      assert.ok(!everythingSent.includes(word), `a word of the account ("${word}") must not be sent`);
    }

    // 6. The DSL opens the tab in the local Teams host and finds it at the top of the chronology.
    const page = await newLoopbackPage(browser);
    await page.goto(`${keepsafe.url}/`);
    await page.selectOption("#kh-user", dsl.oid);
    const tab = page.frameLocator("#kh-tab");
    await tab.getByTestId("pupil-search").fill(pupilName);
    await tab.getByTestId("pupil-result").filter({ hasText: pupilName }).first().click();
    const top = tab.getByTestId("chronology-entry").first();
    await top.waitFor();
    assert.match(await top.innerText(), new RegExp(reference));
    assert.match(await top.innerText(), /Welfare/);
    // The alert is the DSL's own: "Unread by you".
    await top.getByTestId("unread-by-you-badge").waitFor();
    await top.click();
    await tab.getByTestId("incident-account").waitFor();
    assert.equal((await tab.getByTestId("incident-account").innerText()).trim(), ACCOUNT);

    // 7. Mark as read records who and when.
    await tab.getByTestId("acknowledge-button").click();
    await tab.getByTestId("acknowledged-note").waitFor();
    const alerts = await keepsafe.service["deps"].records.alertsForIncident(stored.id, stored.pupilId);
    assert.equal(alerts.length, 1);
    assert.equal(alerts[0].staffId, dsl.oid);
    assert.ok(alerts[0].acknowledgedAt, "the acknowledgement is stored");
    const audit = await keepsafe.service["deps"].records.auditForPupil(stored.pupilId);
    const seen = JSON.stringify(audit.map((e) => [e.type, e.actorStaffId]));
    assert.ok(
      audit.some((e) => e.type === "alert.acknowledged" && e.actorStaffId === dsl.oid),
      seen,
    );
    assert.ok(
      audit.some((e) => e.type === "incident.viewed" && e.actorStaffId === dsl.oid),
      "the view is audited",
    );
    await page.close();
  });
});
