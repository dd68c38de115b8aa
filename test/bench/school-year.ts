/**
 * A school's year at real size for `npm run bench`: incidents and actions loaded through the domain
 * commands (the same recordIncident and addAction the bot and the tab call, with their checks,
 * alerts and audit), spread over the school year and the roll; then the report page and a long
 * chronology's PDF measured against the bare store query each needs.
 */
import { randomUUID } from "node:crypto";
import type { Container } from "@azure/cosmos";
import type { KeepsafeService } from "../../src/app/keepsafe-service.js";
import type { Actor } from "../../src/domain/actor.js";

const CATEGORIES = ["welfare", "behaviour", "attendance", "bullying"];
const SESSIONS = ["morning", "lunch", "afternoon", "before-school", "after-school"] as const;
const LOCATIONS = ["Classroom", "Playground", "Dining hall", "Corridor", "Online"];

const LOAD_CONCURRENCY = 16;

export interface SchoolYearLoad {
  incidents: number;
  actions: number;
  seconds: number;
}

/** Runs `op(i)` for i in [0, n) with `concurrency` at a time. */
async function inPool(n: number, concurrency: number, op: (i: number) => Promise<unknown>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < n) await op(next++);
    }),
  );
}

/**
 * `incidents` concerns over the school year so far (1 September to `now`), by the teacher about
 * pupils across the roll, each alerting the DSL, and `actionsPerIncident` actions on each by the DSL.
 * The first `longPupilEntries` incidents are about one pupil, whose chronology is then that long.
 */
export async function loadSchoolYear(
  service: KeepsafeService,
  teacher: Actor,
  dsl: Actor,
  pupilIds: string[],
  opts: {
    incidents: number;
    actionsPerIncident: number;
    longPupilId: string;
    longPupilEntries: number;
    now: Date;
    progress?: (done: number) => void;
  },
): Promise<SchoolYearLoad> {
  const t0 = Date.now();
  const september = Date.UTC(opts.now.getUTCMonth() >= 8 ? opts.now.getUTCFullYear() : opts.now.getUTCFullYear() - 1, 8, 1, 8);
  const span = opts.now.getTime() - 3600_000 - september;
  let actions = 0;
  // Bounded, as a school's busiest hour is: the store serialises writes, the commands' own reads overlap.
  await inPool(opts.incidents, LOAD_CONCURRENCY, async (i) => {
    const pupilId = i < opts.longPupilEntries ? opts.longPupilId : pupilIds[(i * 7919) % pupilIds.length];
    const occurredAt = new Date(september + Math.floor((span * i) / opts.incidents)).toISOString();
    const { incident } = await service.recordIncident(teacher, {
      submissionId: randomUUID(),
      pupilId,
      categoryIds: [CATEGORIES[i % CATEGORIES.length]],
      occurredAt,
      session: SESSIONS[i % SESSIONS.length],
      location: LOCATIONS[i % LOCATIONS.length],
      account: `A concern recorded for the benchmark's school year, number ${i}. What was seen and said, in the member of staff's words.`,
      alertStaffIds: [dsl.staffId],
      source: "tab",
    });
    for (let a = 0; a < opts.actionsPerIncident; a++) {
      await service.addAction(dsl, {
        incidentId: incident.id,
        requestId: `year-${randomUUID()}`,
        text: `Follow-up ${a + 1} on the benchmark's concern ${i}.`,
        occurredAt,
      });
      actions++;
    }
    if ((i + 1) % 1000 === 0) opts.progress?.(i + 1);
  });
  return { incidents: opts.incidents, actions, seconds: Math.round((Date.now() - t0) / 1000) };
}

/** The bare query a report over the period needs: the counted fields of the school's incidents in it. */
export function bareReportQuery(records: Container, schoolId: string, from: string, to: string) {
  return () =>
    records.items
      .query({
        query:
          "SELECT c.id, c.pupilId, c.categoryIds, c.subCategoryIds, c.occurredAt, c.dayOfWeek, c.session, c.location, c.status, " +
          "c.alertedStaffIds, c.allegationSubjectStaffIds, c.raisedBy.staffId AS raisedByStaffId FROM c " +
          "WHERE c.type = 'incident' AND c.schoolId = @schoolId AND c.occurredAt >= @from AND c.occurredAt < @to",
        parameters: [
          { name: "@schoolId", value: schoolId },
          { name: "@from", value: from },
          { name: "@to", value: to },
        ],
      })
      .fetchAll();
}

/**
 * The bare aggregates a DSL's report by month needs, as the store counts them: the period's
 * records as they stand now counted per UTC hour, and per pupil and status, side by side.
 */
export function bareReportAggregates(records: Container, schoolId: string, from: string, to: string) {
  const where = "c.type = 'case' AND c.schoolId = @schoolId AND c.occurredAt >= @from AND c.occurredAt < @to";
  const parameters = [
    { name: "@schoolId", value: schoolId },
    { name: "@from", value: from },
    { name: "@to", value: to },
  ];
  return () =>
    Promise.all([
      records.items
        .query({ query: `SELECT LEFT(c.occurredAt, 13) AS k, COUNT(1) AS n FROM c WHERE ${where} GROUP BY LEFT(c.occurredAt, 13)`, parameters })
        .fetchAll(),
      records.items
        .query({
          query: `SELECT c.pupilId AS pupilId, c.status AS status, COUNT(1) AS n FROM c WHERE ${where} GROUP BY c.pupilId, c.status`,
          parameters,
        })
        .fetchAll(),
    ]);
}

/**
 * The alert drain at school-year size: the load leaves every alert it created in the outbox (a
 * year's backlog, none sent during the load), and the dispatcher sends `count` of them to the
 * Graph sandbox. Returns the milliseconds it took; the floor is measured by the caller.
 */
export async function drainFromBacklog(
  dispatcher: { runOnce(): Promise<{ sent: number; retried: number; failed: number }> },
  graphRequests: () => number,
  count: number,
): Promise<number> {
  const before = graphRequests();
  const t0 = process.hrtime.bigint();
  while (graphRequests() - before < count) {
    const r = await dispatcher.runOnce();
    if (r.sent + r.retried + r.failed === 0) throw new Error(`the outbox ran dry after ${graphRequests() - before} of ${count} alerts`);
  }
  return Number(process.hrtime.bigint() - t0) / 1e6;
}
