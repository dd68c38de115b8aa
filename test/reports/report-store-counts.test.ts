import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { CosmosClient } from "@azure/cosmos";
import fc from "fast-check";
import { ensureContainers } from "../../src/adapters/cosmos/cosmos-containers.js";
import { createCosmosRecordStore } from "../../src/adapters/cosmos/cosmos-record-store.js";
import type { Actor } from "../../src/domain/actor.js";
import { DEFAULT_CATEGORIES } from "../../src/domain/categories.js";
import { canViewIncident, passesReportCountRule, reportCountRule } from "../../src/domain/policy/index.js";
import type { Role } from "../../src/domain/roles.js";
import { startLocalCosmos, type LocalCosmos } from "../../src/local/cosmos/local-cosmos.js";
import type { RecordStore, ReportCountQuery } from "../../src/ports/record-store.js";
import { clientFor } from "../local/support/school-records.js";

/**
 * The store's report counts (cosmos-report-counts.ts) against canViewIncident record by record:
 * for random readers (DSL, deputy, SLT, a scoped head of year, the head teacher) and filters over
 * random records (allegations, protected categories, authors, alerts, tags), the rule's counts
 * plus the linked records the policy opens are exactly the records the reader could open.
 */
const school = { categories: DEFAULT_CATEGORIES, headTeacherStaffId: "head", chairOfGovernorsStaffId: "chair" };
const STAFF = ["me", "head", "chair", "other"];
const PUPILS = ["p1", "p2", "p3", "p4"];
const SESSIONS = ["morning", "lunch", undefined];
const CATS = DEFAULT_CATEGORIES.map((c) => c.id);

const records = Array.from({ length: 160 }, (_, i) => {
  const pick = <T>(xs: readonly T[], k: number) => xs[(i * k + (i >> 2)) % xs.length]!;
  const categoryIds = [pick(CATS, 7), ...(i % 3 === 0 ? [pick(CATS, 11)] : [])];
  return {
    id: `inc-${i}`,
    pupilId: pick(PUPILS, 3),
    categoryIds: [...new Set(categoryIds)],
    subCategoryIds: [],
    occurredAt: new Date(Date.UTC(2026, 8, 1 + (i % 20), 9)).toISOString(),
    status: i % 4 === 0 ? ("closed" as const) : ("active" as const),
    session: pick(SESSIONS, 5),
    raisedBy: { staffId: pick(STAFF, 5), name: "" },
    alertedStaffIds: i % 5 === 0 ? [pick(STAFF, 3)] : [],
    ...(i % 9 === 0 ? { allegationSubjectStaffIds: [pick(STAFF, 2)] } : {}),
  };
});

describe("report store counts", function () {
  this.timeout(120_000);
  let dataDir: string;
  let local: LocalCosmos;
  let client: CosmosClient;
  let store: RecordStore;

  before(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "ks-report-counts-"));
    local = await startLocalCosmos({ dataDir });
    client = clientFor(local);
    const { containers } = await ensureContainers(client, "keepsafe");
    store = createCosmosRecordStore(containers);
    // The records' current-state documents, as the record store writes them beside each incident.
    for (const r of records) {
      const { id, session, ...rest } = r;
      await containers.records.items.create({
        ...rest,
        ...(session ? { session } : {}),
        id: `case:${id}`,
        entityId: id,
        type: "case",
        schoolId: "s1",
        dayOfWeek: "Monday",
      });
    }
  });
  after(async () => {
    client?.dispose();
    await local?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it("report store counts: the rule's counts and the linked records the policy opens are exactly what the reader could open, for random readers and filters", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom<Role>("DSL", "DDSL", "SLT"),
        fc.constantFrom(...STAFF),
        fc.option(fc.subarray(PUPILS), { nil: undefined }),
        fc.subarray(records.map((r) => r.id).slice(0, 30)),
        fc.option(fc.subarray(CATS, { minLength: 1, maxLength: 3 }), { nil: undefined }),
        fc.option(fc.subarray(PUPILS, { minLength: 1 }), { nil: undefined }),
        async (role, staffId, scope, tagged, categoryIds, pupilIds) => {
          const actor: Actor = {
            staffId,
            schoolId: "s1",
            name: "",
            role,
            mfa: true,
            ...(scope && role === "SLT" ? { scopePupilIds: new Set(scope) } : {}),
          };
          const rule = reportCountRule(actor, DEFAULT_CATEGORIES);
          const q: ReportCountQuery = {
            schoolId: "s1",
            from: "2026-09-01T00:00:00.000Z",
            until: "2026-09-15T00:00:00.000Z",
            rule,
            ...(categoryIds ? { categoryIds } : {}),
            ...(pupilIds ? { pupilIds } : {}),
            groupings: ["session"],
          };
          const [counts, linked] = await Promise.all([store.reportCounts(q), store.reportLinkedFacts(q, tagged)]);
          const tags = (id: string) => (tagged.includes(id) ? [{ taggedStaffIds: [staffId] }] : []);
          const opened = linked.filter(
            (f) => !passesReportCountRule(rule, f) && canViewIncident(actor, { ...f, raisedBy: { ...f.raisedBy, name: "" } }, school, tags(f.id)),
          );
          const expected = records.filter(
            (r) =>
              r.occurredAt >= q.from &&
              r.occurredAt < q.until &&
              (!categoryIds || r.categoryIds.some((c) => categoryIds.includes(c))) &&
              (!pupilIds || pupilIds.includes(r.pupilId)) &&
              canViewIncident(actor, r, school, tags(r.id)),
          );
          const bySession = new Map<string, number>();
          for (const g of counts.groups[0]!) bySession.set(g.value ?? "-", (bySession.get(g.value ?? "-") ?? 0) + g.count);
          for (const f of opened) bySession.set(f.session ?? "-", (bySession.get(f.session ?? "-") ?? 0) + 1);
          const want = new Map<string, number>();
          for (const r of expected) want.set(r.session ?? "-", (want.get(r.session ?? "-") ?? 0) + 1);
          assert.deepEqual([...bySession].sort(), [...want].sort());
          const total = counts.byPupil.reduce((t, r) => t + r.count, 0) + opened.length;
          assert.equal(total, expected.length);
          const open =
            counts.byPupil.filter((r) => r.status === "active").reduce((t, r) => t + r.count, 0) + opened.filter((f) => f.status === "active").length;
          assert.equal(open, expected.filter((r) => r.status === "active").length);
        },
      ),
      { numRuns: 60, seed: 2026 },
    );
  });
});
