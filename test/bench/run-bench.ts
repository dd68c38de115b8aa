/**
 * `npm run bench`: the pupil typeahead and the submit, each measured against the bare store
 * operation it needs, in the same run on the same local Cosmos DB server. Ratios, not absolute
 * times, are the figures to compare: this machine's timings are noisy.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { randomUUID } from "node:crypto";
import { startLocalCosmos } from "../../src/local/cosmos/index.js";
import { createCosmosStores } from "../../src/adapters/cosmos/index.js";
import { importSchool } from "../../src/app/import-school.js";
import { KeepsafeService } from "../../src/app/keepsafe-service.js";
import { systemClock } from "../../src/ports/clock.js";
import { incidentIdFor, referenceFor } from "../../src/domain/identifiers.js";
import { toChronologyEntry, type Incident } from "../../src/domain/incident.js";
import { buildAlertContent, buildOutboxMessages } from "../../src/app/alert-content.js";

const PUPILS = Number(process.env.BENCH_PUPILS ?? 3000);
const SEARCHES = Number(process.env.BENCH_SEARCHES ?? 400);
const SUBMITS = Number(process.env.BENCH_SUBMITS ?? 150);
const SCHOOL = "bench-school";
const DSL = "0b5a1c2d-3e4f-4a5b-8c6d-7e8f9a0b1c2d";
const TEACHER = "1c6b2d3e-4f5a-4b6c-9d7e-8f9a0b1c2d3e";

const FORENAMES = ["Amelia", "Oliver", "Isla", "George", "Ava", "Noah", "Mia", "Leo", "Freya", "Arthur", "Lily", "Oscar", "Ivy", "Harry", "Rosie", "Jack", "Grace", "Theo", "Evie", "Alfie"];
const SURNAMES = ["Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson", "Davies", "Patel", "Robinson", "Wright", "Thompson", "Evans", "Walker", "White", "Roberts", "Green", "Hall", "Wood", "Khan"];

function p95(samples: number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.95))];
}

async function time(n: number, op: (i: number) => Promise<unknown>): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = process.hrtime.bigint();
    await op(i);
    out.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  return out;
}

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "keepsafe-bench-"));
  const cosmos = await startLocalCosmos({ dataDir: dir });
  const stores = await createCosmosStores({ endpoint: cosmos.endpoint, key: cosmos.key, caPem: cosmos.caPem, databaseId: "bench" });
  try {
    const rows = ["upn,forename,surname,preferred_name,date_of_birth,year_group,class,flags"];
    for (let i = 0; i < PUPILS; i++) {
      const year = (i % 7) + 1;
      rows.push(`B${String(i).padStart(12, "0")},${FORENAMES[i % 20]}${i % 7 ? "" : "a"},${SURNAMES[Math.floor(i / 20) % 20]}-${i},,201${year}-03-04,Year ${year},${year}${"ABC"[i % 3]},`);
    }
    const staff = `aad_object_id,display_name,email,role\n${DSL},Dee Esel,dsl@bench.example,DSL\n${TEACHER},Tee Cher,teacher@bench.example,STAFF\n`;
    await importSchool({ schools: stores.schoolStore }, { schoolId: SCHOOL, schoolName: "Bench Primary", pupilsCsv: `${rows.join("\n")}\n`, staffCsv: staff });

    const service = new KeepsafeService({ schools: stores.schoolStore, records: stores.recordStore, clock: systemClock });
    const teacher = await service.resolveActor(TEACHER, { mfa: false });
    const pupils = await stores.schoolStore.listPupils(SCHOOL);
    const queries = ["am", "oliver", "isla sm", "geo", "ava j", "noah ta", "mia", "leo", "frey", "art", "li", "osc", "ivy", "har", "ros", "jack w", "gra", "the", "evi", "alf"];

    // Warm both paths so neither pays first-use costs inside the measurement.
    const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});
    gc();
    const heapBefore = process.memoryUsage().heapUsed;
    await service.searchPupils(teacher, "warm");
    gc();
    const indexHeapBytes = process.memoryUsage().heapUsed - heapBefore;
    await stores.schoolStore.getSchool(SCHOOL);

    // Interleave the bare operation and the feature so load on the machine falls on both alike.
    const bareRead: number[] = [];
    const typeahead: number[] = [];
    for (let i = 0; i < SEARCHES; i++) {
      bareRead.push(...(await time(1, () => stores.schoolStore.getSchool(SCHOOL))));
      typeahead.push(...(await time(1, () => service.searchPupils(teacher, queries[i % queries.length]))));
    }

    const occurredAt = new Date(Date.now() - 3600_000).toISOString();
    const account = "Said at lunch that there is no food at home and they were hungry. Gave toast. ".repeat(6);
    const bareWrite: number[] = [];
    const submit: number[] = [];
    for (let i = 0; i < SUBMITS; i++) {
      const pupil = pupils[i % pupils.length];
      bareWrite.push(...(await time(1, () => stores.recordStore.createIncident(prebuiltWrite(pupil.id, occurredAt, account)))));
      submit.push(
        ...(await time(1, () =>
          service.recordIncident(teacher, {
            submissionId: randomUUID(),
            pupilId: pupil.id,
            categoryIds: ["welfare"],
            occurredAt,
            account,
            alertStaffIds: [DSL],
            source: "bot",
          }),
        )),
      );
    }

    const line = (name: string, feature: number[], bare: number[], bareName: string) =>
      `${name.padEnd(28)} p95 ${p95(feature).toFixed(2).padStart(7)} ms | ${bareName.padEnd(34)} p95 ${p95(bare).toFixed(2).padStart(7)} ms | ratio ${(p95(feature) / p95(bare)).toFixed(2)}`;
    process.stdout.write(`\nKeepsafe benchmark: ${PUPILS} pupils, ${SEARCHES} searches, ${SUBMITS} submits (local Cosmos DB server)\n`);
    process.stdout.write(`${line("pupil typeahead", typeahead, bareRead, "bare school point read")}\n`);
    process.stdout.write(`${line("submit (record a concern)", submit, bareWrite, "bare createIncident (same write)")}\n`);
    process.stdout.write(`typeahead index heap for ${PUPILS} pupils: ~${(indexHeapBytes / 1024 / 1024).toFixed(1)} MiB\n`);
  } finally {
    stores.dispose();
    await cosmos.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** The same documents a submit writes, built without the command's checks: the bare store cost. */
function prebuiltWrite(pupilId: string, occurredAt: string, account: string) {
  const submissionId = randomUUID();
  const id = incidentIdFor(SCHOOL, submissionId);
  const now = new Date();
  const incident: Incident = {
    id,
    schoolId: SCHOOL,
    reference: referenceFor(id),
    pupilId,
    linkedPupils: [],
    submissionId,
    categoryIds: ["welfare"],
    subCategoryIds: [],
    occurredAt,
    account,
    raisedBy: { staffId: TEACHER, name: "Tee Cher" },
    recordedAt: now.toISOString(),
    alertedStaffIds: [DSL],
    urgent: false,
    status: "active",
    source: "bot",
  } as Incident;
  return {
    incident,
    alerts: [{ id: `alert:${id}:${DSL}`, incidentId: id, pupilId, staffId: DSL, urgent: false, createdAt: now.toISOString() }],
    outbox: buildOutboxMessages(incident, [DSL], buildAlertContent(incident, ["Welfare"]), now),
    audit: { id: `audit:${id}:recorded`, schoolId: SCHOOL, pupilId, incidentId: id, type: "incident.recorded" as const, actorStaffId: TEACHER, at: now.toISOString() },
    links: [] as { incidentId: string; pupilId: string; incidentPupilId: string; part: "involved"; entry: ReturnType<typeof toChronologyEntry> }[],
  };
}

main().catch((err) => {
  process.stderr.write(`benchmark failed: ${err?.stack ?? err}\n`);
  process.exit(1);
});
