import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Alert, AuditEvent, Incident, OutboxMessage } from "../../src/domain/incident.js";
import { toChronologyEntry } from "../../src/domain/incident.js";
import type { NewIncidentWrite } from "../../src/ports/record-store.js";
import { createCosmosStores, type CosmosStores } from "../../src/adapters/cosmos/create-cosmos-stores.js";
import { startLocalCosmos, type LocalCosmos } from "../../src/local/cosmos/local-cosmos.js";
import { loadOrCreateTls } from "../../src/local/cosmos/tls-material.js";
import { startThrottlingProxy, type ThrottlingProxy } from "../support/throttling-proxy.js";

const SCHOOL = "school-1";
const staff = { staffId: "staff-dsl", name: "Dee Esel" };

function incidentWrite(n: number, pupilId: string, occurredAt: string, linked: string[] = []): NewIncidentWrite {
  const id = `inc-${n}`;
  const incident: Incident = {
    id,
    schoolId: SCHOOL,
    reference: `KS-${n}`,
    pupilId,
    linkedPupils: linked.map((p) => ({ pupilId: p, part: "witness" as const })),
    submissionId: `sub-${n}`,
    categoryIds: ["cat-1"],
    subCategoryIds: [],
    occurredAt,
    account: `Account ${n}`,
    raisedBy: staff,
    recordedAt: occurredAt,
    alertedStaffIds: ["staff-dsl"],
    urgent: false,
    status: "active",
    source: "bot",
  };
  const alert: Alert = { id: `alert-${n}`, incidentId: id, pupilId, staffId: "staff-dsl", urgent: false, createdAt: occurredAt };
  const outbox: OutboxMessage = {
    id: `out-${n}`,
    schoolId: SCHOOL,
    pupilId,
    incidentId: id,
    recipientStaffId: "staff-dsl",
    channel: "activity-feed",
    status: "pending",
    attempts: 0,
    nextAttemptAt: occurredAt,
    content: { subject: "New concern", preview: "A concern was raised", deepLinkSubEntityId: id, urgent: false },
  };
  const audit: AuditEvent = {
    id: `audit-${n}`,
    schoolId: SCHOOL,
    pupilId,
    incidentId: id,
    type: "incident.recorded",
    actorStaffId: "staff-dsl",
    at: occurredAt,
  };
  const links = linked.map((p) => ({
    incidentId: id,
    pupilId: p,
    incidentPupilId: pupilId,
    part: "witness" as const,
    entry: toChronologyEntry(incident, p),
  }));
  return { incident, alerts: [alert], outbox: [outbox], audit, links };
}

describe("Cosmos DB stores against the local Cosmos server", function () {
  this.timeout(60_000);
  let dataDir: string;
  let local: LocalCosmos;
  let stores: CosmosStores;
  let dbCounter = 0;

  before(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "keepsafe-stores-"));
    local = await startLocalCosmos({ dataDir });
  });
  beforeEach(async () => {
    stores = await createCosmosStores({ endpoint: local.endpoint, key: local.key, caPem: local.caPem, databaseId: `keepsafe-${++dbCounter}` });
  });
  afterEach(() => stores.dispose());
  after(async () => {
    await local.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it("answers ping and keeps schools, pupils and staff", async () => {
    assert.equal(await stores.ping(), true);
    const { schoolStore } = stores;
    await schoolStore.saveSchool({
      id: SCHOOL,
      name: "Oak Primary",
      timeZone: "Europe/London",
      categories: [],
      locations: ["Hall"],
      alertGroups: [],
    });
    await schoolStore.upsertStaff(SCHOOL, [
      { id: "oid-1", schoolId: SCHOOL, displayName: "A Teacher", email: "a@x.test", role: "staff", active: true } as never,
    ]);
    assert.equal((await schoolStore.getSchool(SCHOOL))?.name, "Oak Primary");
    assert.equal((await schoolStore.findStaffById("oid-1"))?.schoolId, SCHOOL);
    assert.equal(await schoolStore.getStaff(SCHOOL, "nobody"), undefined);
  });

  it("creates an incident once per submission, with alerts, outbox and audit", async () => {
    const { recordStore } = stores;
    const write = incidentWrite(1, "pupil-a", "2025-01-10T09:00:00.000Z", ["pupil-b"]);
    const first = await recordStore.createIncident(write);
    const second = await recordStore.createIncident({ ...write, incident: { ...write.incident, account: "changed on retry" } });
    assert.equal(first.created, true);
    assert.equal(second.created, false);
    assert.equal(second.incident.account, "Account 1", "the stored incident is returned, not the retry's");
    assert.equal((await recordStore.findBySubmission("sub-1"))?.id, "inc-1");
    assert.equal((await recordStore.getIncident("inc-1"))?.pupilId, "pupil-a");
    assert.equal((await recordStore.alertsForIncident("inc-1", "pupil-a")).length, 1);
    assert.equal((await recordStore.outboxForIncident("inc-1", "pupil-a")).length, 1);
    assert.deepEqual(
      (await recordStore.auditForPupil("pupil-a")).map((a) => a.id),
      ["audit-1"],
    );
    assert.equal("updateIncident" in recordStore, false, "there is deliberately no way to edit an incident");
  });

  it("orders a chronology newest first and shows links to other pupils' incidents", async () => {
    const { recordStore } = stores;
    await recordStore.createIncident(incidentWrite(1, "pupil-a", "2025-01-10T09:00:00.000Z"));
    await recordStore.createIncident(incidentWrite(2, "pupil-b", "2025-03-01T09:00:00.000Z", ["pupil-a"]));
    await recordStore.createIncident(incidentWrite(3, "pupil-a", "2025-02-01T09:00:00.000Z"));
    const chronology = await recordStore.chronology("pupil-a");
    assert.deepEqual(
      chronology.map((e) => [e.incidentId, e.part]),
      [
        ["inc-2", "witness"],
        ["inc-3", "subject"],
        ["inc-1", "subject"],
      ],
    );
    assert.deepEqual(
      (await recordStore.chronology("pupil-b")).map((e) => e.incidentId),
      ["inc-2"],
    );
  });

  it("keeps the first acknowledgement of an alert", async () => {
    const { recordStore } = stores;
    await recordStore.createIncident(incidentWrite(1, "pupil-a", "2025-01-10T09:00:00.000Z"));
    const [alert] = await recordStore.alertsForIncident("inc-1", "pupil-a");
    const ack = (at: string, id: string): AuditEvent => ({
      id,
      schoolId: SCHOOL,
      pupilId: "pupil-a",
      incidentId: "inc-1",
      type: "alert.acknowledged",
      actorStaffId: "staff-dsl",
      at,
    });
    const first = await recordStore.acknowledgeAlert(alert, "2025-01-10T10:00:00.000Z", ack("2025-01-10T10:00:00.000Z", "audit-ack-1"));
    const second = await recordStore.acknowledgeAlert(alert, "2025-01-10T11:00:00.000Z", ack("2025-01-10T11:00:00.000Z", "audit-ack-2"));
    assert.equal(first.acknowledgedAt, "2025-01-10T10:00:00.000Z");
    assert.equal(second.acknowledgedAt, "2025-01-10T10:00:00.000Z");
    const [stored] = await recordStore.alertsForIncident("inc-1", "pupil-a");
    assert.equal(stored.acknowledgedAt, "2025-01-10T10:00:00.000Z");
    assert.deepEqual(
      (await recordStore.auditForPupil("pupil-a")).map((a) => [a.id, a.type]),
      [
        ["audit-1", "incident.recorded"],
        ["audit-ack-1", "alert.acknowledged"],
      ],
    );
  });

  it("lists due outbox messages and lets only one dispatcher claim each", async () => {
    const { recordStore } = stores;
    await recordStore.createIncident(incidentWrite(1, "pupil-a", "2025-01-10T09:00:00.000Z"));
    await recordStore.createIncident(incidentWrite(2, "pupil-b", "2025-01-09T09:00:00.000Z"));
    await recordStore.createIncident(incidentWrite(3, "pupil-c", "2030-01-01T09:00:00.000Z"));
    const due = await recordStore.dueOutbox("2025-06-01T00:00:00.000Z", 10);
    assert.deepEqual(
      due.map((m) => m.id),
      ["out-2", "out-1"],
    );
    const [message] = due;
    const claimed = await recordStore.claimOutbox(message, "2025-06-01T00:05:00.000Z", "claim-a");
    assert.equal(claimed?.nextAttemptAt, "2025-06-01T00:05:00.000Z");
    // A second dispatcher holding the same (now stale) read loses.
    assert.equal(await recordStore.claimOutbox(message, "2025-06-01T00:06:00.000Z", "claim-c"), undefined);
    assert.deepEqual(
      (await recordStore.dueOutbox("2025-06-01T00:00:00.000Z", 10)).map((m) => m.id),
      ["out-1"],
    );
    await recordStore.saveOutbox({ ...claimed!, status: "sent", sentAt: "2025-06-01T00:01:00.000Z" });
    const [saved] = await recordStore.outboxForIncident("inc-2", "pupil-b");
    assert.equal(saved.status, "sent");
    assert.equal(await recordStore.claimOutbox(saved, "2025-06-01T00:09:00.000Z", "claim-b"), undefined, "a sent message cannot be claimed");
  });

  describe("when Cosmos DB throttles (429)", () => {
    let proxy: ThrottlingProxy;
    let throttledStores: CosmosStores;

    beforeEach(async () => {
      const tls = await loadOrCreateTls(dataDir);
      proxy = await startThrottlingProxy({ upstream: local.endpoint, caPem: local.caPem, certPem: tls.certPem, keyPem: tls.keyPem });
      throttledStores = await createCosmosStores({
        endpoint: proxy.endpoint,
        key: local.key,
        caPem: local.caPem,
        databaseId: `keepsafe-${dbCounter}`,
        maxRetryWaitSeconds: 1,
      });
    });
    afterEach(async () => {
      throttledStores.dispose();
      await proxy.stop();
    });

    it("succeeds when the SDK's retries outlast a short burst", async () => {
      proxy.throttleNext(3, 10);
      const result = await throttledStores.recordStore.createIncident(incidentWrite(7, "pupil-a", "2025-01-10T09:00:00.000Z"));
      assert.equal(result.created, true);
      assert.equal(proxy.throttled(), 3);
      assert.equal((await stores.recordStore.getIncident("inc-7"))?.id, "inc-7");
    });

    it("reports store_unavailable under persistent 429 and stores nothing of the incident", async () => {
      proxy.throttleNext(Number.POSITIVE_INFINITY, 50);
      await assert.rejects(
        throttledStores.recordStore.createIncident(incidentWrite(8, "pupil-a", "2025-01-10T09:00:00.000Z", ["pupil-b"])),
        (e: { code?: string; retryAfterSeconds?: number }) => e.code === "store_unavailable",
      );
      assert.ok(proxy.throttled() > 1, "the client retried before giving up");
      const direct = stores.recordStore;
      assert.equal(await direct.getIncident("inc-8"), undefined);
      assert.equal(await direct.findBySubmission("sub-8"), undefined);
      assert.deepEqual(await direct.chronology("pupil-a"), []);
      assert.deepEqual(await direct.chronology("pupil-b"), []);
      assert.deepEqual(await direct.alertsForIncident("inc-8", "pupil-a"), []);
    });

    it("does not leave half an incident when the batch itself is throttled, and a retry completes it", async () => {
      const write = incidentWrite(9, "pupil-a", "2025-01-10T09:00:00.000Z", ["pupil-b"]);
      // The submission marker goes through; every transactional batch is throttled.
      proxy.throttleNext(Number.POSITIVE_INFINITY, 50, (req) => req.headers["x-ms-cosmos-is-batch-request"] === "true");
      await assert.rejects(throttledStores.recordStore.createIncident(write), (e: { code?: string }) => e.code === "store_unavailable");
      assert.ok(proxy.throttled() > 1);
      const direct = stores.recordStore;
      assert.equal(await direct.getIncident("inc-9"), undefined);
      assert.equal(await direct.findBySubmission("sub-9"), undefined);
      assert.deepEqual(await direct.outboxForIncident("inc-9", "pupil-a"), []);
      assert.deepEqual(await direct.alertsForIncident("inc-9", "pupil-a"), []);
      assert.deepEqual(await direct.auditForPupil("pupil-a"), []);
      assert.deepEqual(await direct.chronology("pupil-b"), []);

      proxy.throttleNext(0);
      const retried = await throttledStores.recordStore.createIncident(write);
      assert.equal(retried.created, true, "the marker alone does not count as created");
      assert.equal((await direct.alertsForIncident("inc-9", "pupil-a")).length, 1);
      assert.deepEqual(
        (await direct.chronology("pupil-b")).map((e) => e.incidentId),
        ["inc-9"],
      );
    });
  });
});
