/**
 * `npm run bench`: Keepsafe through its real edges (HTTP to /api/messages and /api), each feature
 * measured against the bare store or Graph operation it needs, in the same run, interleaved so the
 * machine's noise falls on both alike. Ratios are the figures to compare; absolute times on this
 * machine are noisy. Results print as a table and are saved as JSON under test/bench/results/.
 *
 *   BENCH_PUPILS (3000)  BENCH_SEARCHES (300)  BENCH_SUBMITS (150)  BENCH_BURST (400 submits at concurrency 16)
 *   BENCH_ALERTS (1000)
 *   BENCH_YEAR_INCIDENTS (20000)  BENCH_YEAR_ACTIONS_PER_INCIDENT (3)  BENCH_YEAR_PDF_ENTRIES (300): the school year at
 *   real size, loaded through the domain commands after the small-school figures; 0 incidents skips it.
 *   BENCH_ONLY (unset: all): a comma-separated list of small-school figures to take (submit, search,
 *   chronology, burst, alerts, bundle, year); when set, the school year is skipped unless "year" is named, and
 *   then only its load and its reads (the report, the long chronology and its PDF) are taken.
 */
import fs from "node:fs";
import https from "node:https";
import path from "node:path";
import { randomUUID } from "node:crypto";
import { fileURLToPath } from "node:url";
import { CosmosClient, type Container } from "@azure/cosmos";
import { startTestKeepsafe, type TestKeepsafe } from "../support/keepsafe-instance.js";
import { createCosmosStores, type CosmosStores } from "../../src/adapters/cosmos/index.js";
import { ensureContainers } from "../../src/adapters/cosmos/cosmos-containers.js";
import { connectOrStartLocalCosmos } from "../../src/local/cosmos/local-cosmos.js";
import { importSchool } from "../../src/app/import-school.js";
import { GraphNotifier } from "../../src/adapters/graph/graph-notifier.js";
import { incidentIdFor, referenceFor } from "../../src/domain/identifiers.js";
import type { Incident } from "../../src/domain/incident.js";
import { buildAlertContent, buildOutboxMessages } from "../../src/app/alert-content.js";
import { wallClockNow } from "../../src/domain/wall-clock.js";
import { buildTab } from "../../tab/build.js";
import { tabSizes } from "../../tab/build-sizes.js";
import { wallClockToIso } from "../../src/domain/wall-clock.js";
import { bareReportAggregates, bareReportQuery, drainFromBacklog, loadSchoolYear } from "./school-year.js";
import { profiled } from "./cpu-profile.js";

const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const PUPILS = env("BENCH_PUPILS", 3000);
const SEARCHES = env("BENCH_SEARCHES", 300);
const SUBMITS = env("BENCH_SUBMITS", 150);
const BURST = env("BENCH_BURST", 400);
const ALERTS = env("BENCH_ALERTS", 1000);
const YEAR_INCIDENTS = env("BENCH_YEAR_INCIDENTS", 20000);
const YEAR_ACTIONS = env("BENCH_YEAR_ACTIONS_PER_INCIDENT", 3);
const YEAR_PDF_ENTRIES = env("BENCH_YEAR_PDF_ENTRIES", 300);
const ONLY = process.env.BENCH_ONLY ? new Set(process.env.BENCH_ONLY.split(",").map((f) => f.trim())) : undefined;
/** Whether a figure is taken this run: every figure unless BENCH_ONLY names some. */
const wanted = (figure: string) => !ONLY || ONLY.has(figure);
const SCHOOL = "bench-school";
const DSL = "0b5a1c2d-3e4f-4a5b-8c6d-7e8f9a0b1c2d";
const TEACHER = "1c6b2d3e-4f5a-4b6c-9d7e-8f9a0b1c2d3e";
const TZ = "Europe/London";
const here = path.dirname(fileURLToPath(import.meta.url));

const FORENAMES = [
  "Amelia",
  "Oliver",
  "Isla",
  "George",
  "Ava",
  "Noah",
  "Mia",
  "Leo",
  "Freya",
  "Arthur",
  "Lily",
  "Oscar",
  "Ivy",
  "Harry",
  "Rosie",
  "Jack",
  "Grace",
  "Theo",
  "Evie",
  "Alfie",
];
const SURNAMES = [
  "Smith",
  "Jones",
  "Taylor",
  "Brown",
  "Williams",
  "Wilson",
  "Johnson",
  "Davies",
  "Patel",
  "Robinson",
  "Wright",
  "Thompson",
  "Evans",
  "Walker",
  "White",
  "Roberts",
  "Green",
  "Hall",
  "Wood",
  "Khan",
];
const QUERIES = [
  "am",
  "oliver",
  "isla sm",
  "geo",
  "ava j",
  "noah ta",
  "mia",
  "leo",
  "frey",
  "art",
  "li",
  "osc",
  "ivy",
  "har",
  "ros",
  "jack w",
  "gra",
  "the",
  "evi",
  "alf",
];
const ACCOUNT = "Said at lunch that there is no food at home and they were hungry. Gave toast. ".repeat(6);

const pct = (samples: number[], p: number) => {
  const s = [...samples].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(s.length * p))];
};
const ms = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e6;
async function timed(op: () => Promise<unknown>): Promise<number> {
  const t0 = process.hrtime.bigint();
  await op();
  return ms(t0);
}

interface Row {
  /** "small school" or "school year": the store's size when the figure was taken. */
  phase: string;
  figure: string;
  feature: string;
  floor: string;
  featureP50: number;
  featureP95: number;
  featureP99: number;
  floorP95: number;
  ratioP95: number;
  target?: string;
  met?: boolean;
}
const rows: Row[] = [];
const extras: Record<string, number | string | boolean> = {};
let phase = "small school";
/** Figures taken at school-year size are named apart from the small school's. */
const extra = (name: string, value: number | string | boolean) => {
  extras[phase === "small school" ? name : `${name} @schoolYear`] = value;
};

function compare(figure: string, feature: string, f: number[], floor: string, b: number[], target?: { ratio?: number; p95Ms?: number }) {
  const row: Row = {
    phase,
    figure,
    feature,
    floor,
    featureP50: pct(f, 0.5),
    featureP95: pct(f, 0.95),
    featureP99: pct(f, 0.99),
    floorP95: pct(b, 0.95),
    ratioP95: pct(f, 0.95) / pct(b, 0.95),
  };
  if (target) {
    const parts: string[] = [];
    let met = true;
    if (target.ratio !== undefined) {
      parts.push(`ratio < ${target.ratio}`);
      met &&= row.ratioP95 < target.ratio;
    }
    if (target.p95Ms !== undefined) {
      parts.push(`p95 < ${target.p95Ms} ms`);
      met &&= row.featureP95 < target.p95Ms;
    }
    row.target = parts.join(", ");
    row.met = met;
  }
  rows.push(row);
}

interface Bench {
  keepsafe: TestKeepsafe;
  stores: CosmosStores;
  records: Container;
  dslToken: string;
  teacherToken: string;
  pupilIds: string[];
}

async function setUp(): Promise<Bench> {
  const keepsafe = await startTestKeepsafe({
    LOG_LEVEL: "silent",
    // The limits protect a real school from a flood; a benchmark is one.
    RATE_LIMIT_USER_PER_MINUTE: "100000000",
    RATE_LIMIT_IP_PER_MINUTE: "100000000",
    RATE_LIMIT_BOT_PER_MINUTE: "100000000",
    OUTBOX_INTERVAL_MS: "3600000",
  });
  // A second client on the same local server, for the bare operations (the floor).
  const cosmos = await connectOrStartLocalCosmos(keepsafe.dataDir);
  const stores = await createCosmosStores({
    endpoint: cosmos.endpoint,
    key: cosmos.key,
    caPem: cosmos.caPem,
    databaseId: keepsafe.config.cosmos.databaseId,
  });
  const client = new CosmosClient({
    endpoint: cosmos.endpoint,
    key: cosmos.key,
    agent: new https.Agent({ ca: cosmos.caPem, keepAlive: true }),
    connectionPolicy: { enableEndpointDiscovery: false },
  });
  const { containers } = await ensureContainers(client, keepsafe.config.cosmos.databaseId);

  const lines = ["upn,forename,surname,preferred_name,date_of_birth,year_group,class,flags"];
  for (let i = 0; i < PUPILS; i++) {
    const year = (i % 7) + 1;
    lines.push(
      `B${String(i).padStart(12, "0")},${FORENAMES[i % 20]}${i % 7 ? "" : "a"},${SURNAMES[Math.floor(i / 20) % 20]}-${i},,201${year}-03-04,Year ${year},${year}${"ABC"[i % 3]},`,
    );
  }
  const staff = `aad_object_id,display_name,email,role\n${DSL},Dee Esel,dsl@bench.example,DSL\n${TEACHER},Tee Cher,teacher@bench.example,STAFF\n`;
  await importSchool(
    { schools: stores.schoolStore },
    { schoolId: SCHOOL, schoolName: "Bench Primary", pupilsCsv: `${lines.join("\n")}\n`, staffCsv: staff },
  );
  const idp = keepsafe.local.identity!;
  const token = (oid: string, mfa: boolean) =>
    idp.issueAccessToken({ oid, name: oid, preferredUsername: `${oid}@bench.example`, mfa, expiresInSeconds: 3600 * 4 });
  const pupilIds = (await stores.schoolStore.listPupils(SCHOOL)).map((p) => p.id);
  return { keepsafe, stores, records: containers.records, dslToken: await token(DSL, true), teacherToken: await token(TEACHER, false), pupilIds };
}

/** An activity as Teams posts it, from a member of staff of the bench school. */
function activity(b: Bench, from: string, extra: Record<string, unknown>) {
  return {
    id: randomUUID(),
    channelId: "msteams",
    serviceUrl: `${b.keepsafe.url}/local-connector/`,
    timestamp: new Date().toISOString(),
    from: { id: `29:${from}`, aadObjectId: from, name: "Bench" },
    recipient: { id: "28:keepsafe-bot", name: "Keepsafe" },
    conversation: { id: `local-${from}`, conversationType: "personal", tenantId: b.keepsafe.config.identity.tenantId },
    channelData: { tenant: { id: b.keepsafe.config.identity.tenantId } },
    ...extra,
  };
}

async function postActivity(b: Bench, body: object): Promise<{ status: number; json: any }> {
  const res = await fetch(`${b.keepsafe.url}/api/messages`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : undefined };
}

async function submitViaBot(b: Bench, pupilId: string) {
  const now = wallClockNow(new Date(Date.now() - 3600_000), TZ);
  const data = {
    submissionId: randomUUID(),
    pupilId,
    categoryIds: "welfare",
    occurredDate: now.date,
    occurredTime: now.time,
    account: ACCOUNT,
    alertStaffIds: DSL,
  };
  const res = await postActivity(
    b,
    activity(b, TEACHER, {
      type: "invoke",
      name: "adaptiveCard/action",
      value: { action: { type: "Action.Execute", id: "submitConcern", verb: "submitConcern", data }, trigger: "manual" },
    }),
  );
  if (res.status !== 200 || res.json?.statusCode !== 200 || !JSON.stringify(res.json).includes("cannot be edited")) {
    throw new Error(`a submit was not recorded: ${res.status} ${JSON.stringify(res.json).slice(0, 300)}`);
  }
}

/** The documents a submit writes, built without the command's checks: the bare transactional batch. */
function prebuiltWrite(pupilId: string) {
  const submissionId = randomUUID();
  const id = incidentIdFor(SCHOOL, submissionId);
  const now = new Date();
  const incident = {
    id,
    schoolId: SCHOOL,
    reference: referenceFor(id),
    pupilId,
    linkedPupils: [],
    submissionId,
    categoryIds: ["welfare"],
    subCategoryIds: [],
    occurredAt: new Date(Date.now() - 3600_000).toISOString(),
    account: ACCOUNT,
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
    audit: {
      id: `audit:${id}:recorded`,
      schoolId: SCHOOL,
      pupilId,
      incidentId: id,
      type: "incident.recorded" as const,
      actorStaffId: TEACHER,
      at: now.toISOString(),
    },
    links: [],
  };
}

const api = (b: Bench, p: string, token: string) =>
  fetch(`${b.keepsafe.url}${p}`, { headers: { authorization: `Bearer ${token}` } }).then(async (r) => {
    if (r.status !== 200) throw new Error(`${p} answered ${r.status}`);
    return r.json();
  });

async function benchSubmit(b: Bench) {
  const feature: number[] = [];
  const floor: number[] = [];
  await submitViaBot(b, b.pupilIds[0]);
  for (let i = 0; i < SUBMITS; i++) {
    const pupil = b.pupilIds[(i * 7) % b.pupilIds.length];
    floor.push(await timed(() => b.stores.recordStore.createIncident(prebuiltWrite(pupil))));
    feature.push(await timed(() => submitViaBot(b, pupil)));
  }
  compare("submit", "card submit via POST /api/messages", feature, "bare transactional batch", floor, { ratio: 2, p95Ms: 150 });
}

async function inParallel(n: number, concurrency: number, op: (i: number) => Promise<unknown>): Promise<number> {
  let next = 0;
  const t0 = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < n) await op(next++);
    }),
  );
  return n / (ms(t0) / 1000);
}

async function benchBurst(b: Bench) {
  const bare = await inParallel(BURST, 16, (i) => b.stores.recordStore.createIncident(prebuiltWrite(b.pupilIds[(i * 13) % b.pupilIds.length])));
  // A submit the store turns away as busy (store_unavailable, "Nothing was saved") is counted and
  // reported, not a reason to stop the run: how many a burst refuses is itself a figure to read.
  let refused = 0;
  const attempted = await inParallel(BURST, 16, (i) =>
    submitViaBot(b, b.pupilIds[(i * 13 + 5) % b.pupilIds.length]).catch((e: Error) => {
      if (!/store_unavailable/.test(e.message)) throw e;
      refused++;
    }),
  );
  const viaBot = (attempted * (BURST - refused)) / BURST;
  extra("submitsRefusedAsBusy(concurrency16)", refused);
  extra("submitsPerSecondViaBot(concurrency16)", Math.round(viaBot));
  extra("submitsPerSecondBareBatch(concurrency16)", Math.round(bare));
  extra("submitsPerSecondRatio(bare/viaBot)", Number((bare / viaBot).toFixed(2)));
  extra("submitsPerSecondTargetMet(>=300)", viaBot >= 300);
}

async function benchSearch(b: Bench) {
  const bot: number[] = [];
  const http: number[] = [];
  const floor: number[] = [];
  const search = (q: string) =>
    postActivity(
      b,
      activity(b, TEACHER, {
        type: "invoke",
        name: "application/search",
        value: { queryText: q, queryOptions: { skip: 0, top: 15 }, dataset: "pupils" },
      }),
    );
  await search("warm");
  await api(b, "/api/pupils?query=warm", b.teacherToken);
  for (let i = 0; i < SEARCHES; i++) {
    const q = QUERIES[i % QUERIES.length];
    floor.push(await timed(() => b.stores.schoolStore.getSchool(SCHOOL)));
    bot.push(await timed(() => search(q)));
    http.push(await timed(() => api(b, `/api/pupils?query=${encodeURIComponent(q)}`, b.teacherToken)));
  }
  compare("search (bot)", "application/search via POST /api/messages", bot, "bare school point read", floor, { ratio: 2, p95Ms: 50 });
  compare("search (tab)", "GET /api/pupils", http, "bare school point read", floor, { ratio: 2, p95Ms: 50 });
}

async function benchChronology(b: Bench, sizes: number[]) {
  let offset = 100;
  for (const size of sizes) {
    const pupilId = b.pupilIds[offset++];
    for (let i = 0; i < size; i += 20) {
      await Promise.all(Array.from({ length: Math.min(20, size - i) }, () => b.stores.recordStore.createIncident(prebuiltWrite(pupilId))));
    }
    const bareQuery = () =>
      b.records.items
        .query(
          {
            query: "SELECT * FROM c WHERE c.pupilId = @p AND c.type IN ('incident', 'link', 'action', 'alert')",
            parameters: [{ name: "@p", value: pupilId }],
          },
          { partitionKey: pupilId },
        )
        .fetchAll();
    const feature: number[] = [];
    const floor: number[] = [];
    const runs = size >= 500 ? 8 : size >= 100 ? 15 : 30;
    try {
      await api(b, `/api/pupils/${pupilId}/chronology`, b.dslToken);
      for (let i = 0; i < runs; i++) {
        floor.push(await timed(bareQuery));
        feature.push(await timed(() => api(b, `/api/pupils/${pupilId}/chronology`, b.dslToken)));
      }
    } catch (e) {
      // A view that fails at this size is a figure too: report it, do not hide it.
      extra(`chronology ${size}`, `FAILED: ${(e as Error).message}`);
      continue;
    }
    compare(`chronology ${size}`, `GET /api/pupils/{id}/chronology (${size} incidents)`, feature, "bare partition query, same documents", floor, {
      ratio: 2,
    });
  }
}

/** The floor: as many bare requests to the same sandbox, through the same Graph client, as concurrent as the dispatcher. */
function graphFloorMs(baseUrl: string) {
  const notifier = new GraphNotifier({ baseUrl, getToken: async () => "bench" });
  return timed(async () => {
    let next = 0;
    await Promise.all(
      Array.from({ length: 4 }, async () => {
        while (next < ALERTS) {
          const i = next++;
          await notifier.sendMail({
            fromMailbox: "alerts@bench.example",
            toAddress: "dsl@bench.example",
            subject: "Bench",
            bodyHtml: "<p>Bench</p>",
            idempotencyKey: `floor-${i}-${randomUUID()}`,
          });
        }
      }),
    );
  });
}

async function benchAlertDrain(b: Bench) {
  const graph = b.keepsafe.local.graph!;
  const { dispatcher } = b.keepsafe;
  await dispatcher.stop();
  // Drain whatever the earlier figures left, so only this figure's messages are timed.
  while ((await dispatcher.runOnce()).sent > 0);
  const incidents = ALERTS / 2; // each alert is a feed notification and an email
  for (let i = 0; i < incidents; i += 25) {
    await Promise.all(
      Array.from({ length: Math.min(25, incidents - i) }, (_, j) =>
        b.stores.recordStore.createIncident(prebuiltWrite(b.pupilIds[(i + j) % b.pupilIds.length])),
      ),
    );
  }
  const before = graph.requests().length;
  const t0 = process.hrtime.bigint();
  while (graph.requests().length - before < ALERTS) {
    const r = await dispatcher.runOnce();
    if (r.sent + r.retried + r.failed === 0) throw new Error(`the outbox ran dry after ${graph.requests().length - before} of ${ALERTS} alerts`);
  }
  const drainMs = ms(t0);
  const floorMs = await graphFloorMs(graph.baseUrl);
  extra(`alertDrainMs(${ALERTS})`, Math.round(drainMs));
  extra(`graphFloorMs(${ALERTS} bare requests)`, Math.round(floorMs));
  extra("alertDrainRatio", Number((drainMs / floorMs).toFixed(2)));
  extra("alertDrainTargetMet(<2)", drainMs / floorMs < 2);
}

async function bundleSize() {
  const out = fs.mkdtempSync(path.join(here, ".tab-"));
  try {
    // The initial load (the bundle and its static imports) against the target; the charts' chunk,
    // fetched only by the reports page, reported beside it.
    const { initialGzipKB, lazyGzipKB } = await tabSizes(out, await buildTab({ outDir: out }));
    extra("tabInitialLoadGzipKB", Number(initialGzipKB.toFixed(1)));
    extra("tabLazyChunksGzipKB", Number(lazyGzipKB.toFixed(1)));
    extra("tabBundleTargetMet(initial <350KB)", initialGzipKB < 350);
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
  }
}

async function orFailed(figure: string, run: () => Promise<void>) {
  try {
    await run();
  } catch (e) {
    extra(`${figure} FAILED`, (e as Error).message.slice(0, 300));
  }
}

/**
 * The school year at real size: loaded through the domain commands, 16 at a time, with the
 * dispatcher idle so every alert the load creates waits in the outbox; then the figures again
 * beside the report page, a long chronology's PDF, and the alert drain from that backlog.
 */
async function benchSchoolYear(b: Bench) {
  const service = b.keepsafe.service;
  const [teacher, dsl] = await Promise.all([service.resolveActor(TEACHER, { mfa: false }), service.resolveActor(DSL, { mfa: true })]);
  const longPupilId = b.pupilIds[b.pupilIds.length - 1];
  const now = new Date();
  await b.keepsafe.dispatcher.stop();
  const loaded = await loadSchoolYear(service, teacher, dsl, b.pupilIds, {
    incidents: YEAR_INCIDENTS,
    actionsPerIncident: YEAR_ACTIONS,
    longPupilId,
    longPupilEntries: YEAR_PDF_ENTRIES,
    now,
    progress: (done) => process.stdout.write(`  school year: ${done} of ${YEAR_INCIDENTS} incidents loaded (${new Date().toISOString()})\n`),
  });
  extras["schoolYearIncidents"] = loaded.incidents;
  extras["schoolYearActions"] = loaded.actions;
  extras["schoolYearLoadSeconds(domain commands, concurrency 16)"] = loaded.seconds;

  phase = "school year";
  // At this size a figure that fails is a finding: it is recorded and the others still run.
  // BENCH_ONLY=year: the load and the year's reads only (the report, the long chronology and its PDF).
  if (!ONLY) await orFailed("submit", () => benchSubmit(b));
  if (!ONLY) await orFailed("search", () => benchSearch(b));
  if (!ONLY) await orFailed("chronology", () => benchChronology(b, [10, 100, 500]));

  await orFailed("long chronology, report and PDF", () => benchYearReads(b, longPupilId, now));
  if (!ONLY) await orFailed("alert drain", () => benchYearAlertDrain(b));
}

/** The year's outbox backlog drained through the Graph sandbox, against the sandbox's bare floor. */
async function benchYearAlertDrain(b: Bench) {
  const graph = b.keepsafe.local.graph!;
  const drainMs = await drainFromBacklog(b.keepsafe.dispatcher, () => graph.requests().length, ALERTS);
  const floorMs = await graphFloorMs(graph.baseUrl);
  extra(`alertDrainMs(${ALERTS} from the year's backlog)`, Math.round(drainMs));
  extra(`graphFloorMs(${ALERTS} bare requests)`, Math.round(floorMs));
  extra("alertDrainRatio", Number((drainMs / floorMs).toFixed(2)));
  extra("alertDrainTargetMet(<2)", drainMs / floorMs < 2);
}

/** The long pupil's chronology, the report page and the chronology PDF at school-year size. */
async function benchYearReads(b: Bench, longPupilId: string, now: Date) {
  // The long pupil's chronology (its first page) against the bare query of the same partition.
  const longFeature: number[] = [];
  const longFloor: number[] = [];
  const bareLong = () =>
    b.records.items
      .query({ query: "SELECT * FROM c WHERE c.pupilId = @p", parameters: [{ name: "@p", value: longPupilId }] }, { partitionKey: longPupilId })
      .fetchAll();
  await api(b, `/api/pupils/${longPupilId}/chronology`, b.dslToken);
  for (let i = 0; i < 8; i++) {
    longFloor.push(await timed(bareLong));
    longFeature.push(await timed(() => api(b, `/api/pupils/${longPupilId}/chronology`, b.dslToken)));
  }
  compare(
    `chronology ${YEAR_PDF_ENTRIES}+`,
    `GET chronology, first page (${YEAR_PDF_ENTRIES} incidents, ${YEAR_PDF_ENTRIES * YEAR_ACTIONS} actions)`,
    longFeature,
    "bare whole-partition query",
    longFloor,
    { ratio: 2 },
  );

  // The report page: a school year by month, as the DSL opens it.
  const september = wallClockNow(new Date(Date.UTC(now.getUTCMonth() >= 8 ? now.getUTCFullYear() : now.getUTCFullYear() - 1, 8, 1, 12)), TZ).date;
  const today = wallClockNow(now, TZ).date;
  const reportPath = `/api/reports/incidents?from=${september}&to=${today}&groupBy=month`;
  const yearFrom = wallClockToIso(september, "00:00", TZ)!;
  const floorQuery = bareReportAggregates(b.records, SCHOOL, yearFrom, now.toISOString());
  // The facts query the report made before the store counted (kept as a figure beside it).
  const factsQuery = bareReportQuery(b.records, SCHOOL, yearFrom, now.toISOString());
  const reportFeature: number[] = [];
  const reportFloor: number[] = [];
  const factsFloor: number[] = [];
  await api(b, reportPath, b.dslToken);
  for (let i = 0; i < 10; i++) {
    reportFloor.push(await timed(floorQuery));
    factsFloor.push(await timed(factsQuery));
    reportFeature.push(await timed(() => api(b, reportPath, b.dslToken)));
  }
  compare(
    "report (year)",
    "GET /api/reports/incidents (school year by month)",
    reportFeature,
    "bare GROUP BY aggregates it needs (per hour, per pupil and status)",
    reportFloor,
    { ratio: 2 },
  );
  compare(
    "report (year) vs facts",
    "GET /api/reports/incidents (school year by month)",
    reportFeature,
    "bare facts query for the period (the old read)",
    factsFloor,
    {},
  );

  // A conference's chronology PDF for the long pupil, over the whole year.
  const pdfPath = `/api/pupils/${longPupilId}/chronology.pdf?from=${september}&to=${today}`;
  const pdfTimes: number[] = [];
  for (let i = 0; i < 3; i++) {
    pdfTimes.push(
      await timed(async () => {
        const res = await fetch(`${b.keepsafe.url}${pdfPath}`, { headers: { authorization: `Bearer ${b.dslToken}` } });
        if (res.status !== 200) throw new Error(`the chronology PDF answered ${res.status}`);
        await res.arrayBuffer();
      }),
    );
  }
  extras[`chronologyPdfMs(${YEAR_PDF_ENTRIES} entries, median of 3)`] = Math.round(pct(pdfTimes, 0.5));
  extras["chronologyPdfTargetMet(<3000ms)"] = pct(pdfTimes, 0.5) < 3000;
}

function report(label: string) {
  const f = (n: number) => n.toFixed(1).padStart(8);
  process.stdout.write(`\nKeepsafe benchmark (${label}): ${PUPILS} pupils, through the real edges, local parts\n`);
  process.stdout.write(
    `${"figure".padEnd(16)} ${"p50 ms".padStart(8)} ${"p95 ms".padStart(8)} ${"p99 ms".padStart(8)} ${"floor p95".padStart(9)} ${"ratio".padStart(6)}  target\n`,
  );
  for (const r of rows) {
    process.stdout.write(
      `${(r.phase === "small school" ? r.figure : `${r.figure} @year`).padEnd(16)} ${f(r.featureP50)} ${f(r.featureP95)} ${f(r.featureP99)} ${f(r.floorP95).padStart(9)} ${r.ratioP95.toFixed(2).padStart(6)}  ${r.target ? `${r.target}: ${r.met ? "met" : "MISSED"}` : ""}\n`,
    );
  }
  for (const [k, v] of Object.entries(extras)) process.stdout.write(`${k}: ${v}\n`);
}

async function main() {
  const b = await setUp();
  try {
    if (wanted("submit")) await profiled("submit", () => benchSubmit(b));
    if (wanted("search")) await profiled("search", () => benchSearch(b));
    if (wanted("chronology")) await benchChronology(b, [10, 100, 500]);
    if (wanted("burst")) await profiled("burst", () => benchBurst(b));
    if (wanted("alerts")) await benchAlertDrain(b);
    if (wanted("bundle")) await bundleSize();
    if (YEAR_INCIDENTS > 0 && (!ONLY || ONLY.has("year"))) await benchSchoolYear(b);
    extras["peakRssMiB"] = Math.round(process.resourceUsage().maxRSS / 1024);
    report(YEAR_INCIDENTS > 0 && (!ONLY || ONLY.has("year")) ? `small school, then a school year of ${YEAR_INCIDENTS} incidents` : "small school");
    const resultsDir = path.join(here, "results");
    fs.mkdirSync(resultsDir, { recursive: true });
    const file = path.join(resultsDir, `bench-${new Date().toISOString().replace(/[:.]/g, "-")}.json`);
    fs.writeFileSync(
      file,
      JSON.stringify(
        {
          at: new Date().toISOString(),
          only: process.env.BENCH_ONLY ?? "all",
          pupils: PUPILS,
          schoolYear: { incidents: YEAR_INCIDENTS, actionsPerIncident: YEAR_ACTIONS },
          rows,
          extras,
        },
        null,
        2,
      ),
    );
    process.stdout.write(`\nsaved ${path.relative(process.cwd(), file)}\n`);
  } finally {
    b.stores.dispose();
    await b.keepsafe.cleanup();
  }
}

main().catch((err) => {
  process.stderr.write(`benchmark failed: ${err?.stack ?? err}\n`);
  process.exit(1);
});
