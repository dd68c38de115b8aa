/**
 * Reports for DSLs, deputies and SLT: incidents counted over time and by what the form recorded.
 * The store counts (GROUP BY over the records as they stand now, in the period) under the reader's
 * count rule (policy/report-counts.ts): records the reader may open whatever their own links.
 * The few records outside it the reader might still open through a link of their own are read and
 * each kept only if policy.canViewIncident lets them open it. So every count, total and row is over
 * the records the reader could open, without reading a year's incidents, and a filter to one pupil
 * group gives the same total as that group's row when grouping by pupil group (both count the
 * same records).
 */
import type { Actor } from "../domain/actor.js";
import { ForbiddenError } from "../domain/errors.js";
import { PERIODS, periodOf, type Period, type ReportGrouping } from "../domain/report-periods.js";
import { dateIn, WEEKDAYS } from "../domain/school-clock.js";
import { calendarOf } from "../domain/school-calendar.js";
import { pupilDisplayName, type Pupil, type PupilFlag, type School } from "../domain/school.js";
import { reportCountRule } from "../domain/policy/index.js";
import type { RecordStore, ReportCountQuery, ReportCounts, ReportFact, ReportStoreGrouping } from "../ports/record-store.js";
import type { SchoolStore } from "../ports/school-store.js";
import type { Clock } from "../ports/clock.js";
import type { AuditFields } from "./audit-event.js";
import type { CaseEntryStore } from "../ports/case-entry-store.js";
import { referralTimeliness, type ReferralTimeliness } from "./referral-timeliness.js";
import { countedFacts, countInStore, loadReportContext, periodBounds, pupilFilter, type ReportContext } from "./report-context.js";

export interface IncidentReportQuery {
  /** The first and last day (YYYY-MM-DD) in the school's own calendar, both included. */
  from: string;
  to: string;
  groupBy: ReportGrouping;
  categoryIds?: string[];
  yearGroups?: string[];
  pupilGroups?: PupilFlag[];
}

export interface IncidentReport {
  groupBy: ReportGrouping;
  from: string;
  to: string;
  total: number;
  /** Of those, still active (nobody has closed them). */
  open: number;
  rows: { key: string; label: string; count: number }[];
  /** Pupils with two or more of the counted records in the period, most first. */
  repeatedConcerns: { pupilId: string; name: string; count: number }[];
  /** The safeguarding team's alone: absent for anyone else (referral-timeliness.ts). */
  referralTimeliness?: ReferralTimeliness;
}

export interface ReportDeps {
  schools: SchoolStore;
  records: RecordStore;
  /** Dates the audit event of a refused report, and "today" for referrals past due. */
  clock: Clock;
  caseEntries?: CaseEntryStore;
}

/**
 * The categories an incident counts under now. One function, so that when DSLs re-categorise
 * (category changes kept as their own records) reports can read the current ones here.
 */
export const currentCategoryIds = (fact: ReportFact): string[] => fact.categoryIds;

const SESSION_LABELS: Record<string, string> = {
  "before-school": "Before school",
  morning: "Morning",
  lunch: "Lunchtime",
  afternoon: "Afternoon",
  "after-school": "After school",
  "outside-school": "Outside school hours",
};

/**
 * The report, audited as a view when `audit` is given (report-view-audit.ts): the event is written
 * once every refusal and check has passed, alongside the store's counting rather than after it,
 * so it costs the answer no extra round trip; a report that cannot be audited is not answered.
 * `withReferralTimeliness`: the reports page's referral section (two more queries).
 */
export async function incidentReport(
  deps: ReportDeps,
  actor: Actor,
  q: IncidentReportQuery,
  opts: { audit?: AuditFields; withReferralTimeliness?: boolean } = {},
): Promise<IncidentReport> {
  const { ctx, loaded } = await loadReportContext(deps, actor, async ({ school, categories, groups }, later) => {
    // Asking for what the role may not see is refused, never answered with a count of it.
    if ((q.categoryIds ?? []).some((id) => !categories.some((c) => c.id === id)))
      throw ForbiddenError("Reports cover only the categories your role may see.");
    if ((q.pupilGroups ?? []).some((g) => !groups.includes(g))) throw ForbiddenError("Reports cover only the pupil groups your role may know.");
    const range = periodBounds(school, q);
    // The year group and pupil group filters are pupils on the roll: the store is given their ids.
    const pupilIds =
      q.yearGroups?.length || q.pupilGroups?.length ? [...(await later.roster).values()].filter(pupilFilter(q)).map((p) => p.id) : undefined;
    const asked: ReportCountQuery = {
      schoolId: actor.schoolId,
      from: range.from,
      until: range.until,
      rule: reportCountRule(actor, school.categories),
      ...(q.categoryIds?.length ? { categoryIds: q.categoryIds } : {}),
      ...(pupilIds ? { pupilIds } : {}),
      groupings: groupingsFor(q.groupBy, school),
    };
    return countInStore(deps, actor, asked, later.taggedIds, opts.audit);
  });
  // The rule's records are the store's counts already; of the rest, only those the policy opens count.
  const linked = countedFacts(actor, ctx, loaded.linked, q, currentCategoryIds);
  const timeliness = opts.withReferralTimeliness
    ? await referralTimeliness(deps, actor, ctx.school, periodBounds(ctx.school, q), pupilFilter(q), ctx.roster)
    : undefined;
  return {
    ...tally(ctx, q, { byPupil: loaded.counts.byPupil, groups: loaded.counts.groups[0] ?? [] }, linked),
    ...(timeliness ? { referralTimeliness: timeliness } : {}),
  };
}

/** The store's counts for one grouping (and, split in parts, one part of them). */
export interface GroupedCounts {
  byPupil: ReportCounts["byPupil"];
  groups: ReportCounts["groups"][number];
}

/** The store's counts and the facts counted one by one (none of which the store counted), as one report. */
export function tally(
  ctx: ReportContext,
  q: Pick<IncidentReportQuery, "from" | "to" | "groupBy">,
  counts: GroupedCounts,
  facts: readonly ReportFact[],
): IncidentReport {
  const { roster } = ctx;
  const rows = new Map<string, { key: string; label: string; count: number }>();
  const add =
    (n: number) =>
    ([key, label]: [string, string]) => {
      const row = rows.get(key) ?? { key, label, count: 0 };
      row.count += n;
      rows.set(key, row);
    };
  const perPupil = new Map<string, number>();
  let total = 0;
  let open = 0;
  const addPupil = (pupilId: string, status: string, n: number) => {
    perPupil.set(pupilId, (perPupil.get(pupilId) ?? 0) + n);
    total += n;
    if (status === "active") open += n;
  };
  for (const r of counts.byPupil) addPupil(r.pupilId, r.status, r.count);
  for (const f of facts) addPupil(f.pupilId, f.status, 1);

  const pupilKeys = pupilGroupingKeys(q.groupBy, ctx.groups);
  if (pupilKeys) {
    for (const [pupilId, n] of perPupil) pupilKeys(roster.get(pupilId)).forEach(add(n));
  } else {
    const keysOf = groupingKeys(q.groupBy, ctx.school, ctx.categories);
    const value = groupValues(storeGrouping(q.groupBy, ctx.school));
    for (const g of counts.groups) keysOf(g.value).forEach(add(g.count));
    for (const f of facts) for (const v of value(f)) keysOf(v).forEach(add(1));
  }

  const repeatedConcerns = [...perPupil]
    .filter(([, n]) => n >= 2)
    .map(([pupilId, count]) => ({ pupilId, count, name: roster.has(pupilId) ? pupilDisplayName(roster.get(pupilId)!) : "Former pupil" }))
    .sort((a, b) => b.count - a.count || a.name.localeCompare(b.name));

  return { groupBy: q.groupBy, from: q.from, to: q.to, total, open, rows: sortRows(q.groupBy, [...rows.values()]), repeatedConcerns };
}

const isPeriod = (groupBy: ReportGrouping): groupBy is Period => (PERIODS as readonly string[]).includes(groupBy);

/**
 * What the store groups by for a report's grouping. Periods are counted per UTC hour and placed in
 * the school's days here: exact wherever the zone's offsets are whole hours (every UK school), per
 * minute otherwise. Pupil-based groupings come from the per-pupil counts, read from the roll now.
 */
export function storeGrouping(groupBy: ReportGrouping, school: School): ReportStoreGrouping | undefined {
  if (isPeriod(groupBy)) return wholeHourZone(school.timeZone) ? "hour" : "minute";
  switch (groupBy) {
    case "category":
    case "subCategory":
    case "dayOfWeek":
    case "session":
    case "location":
      return groupBy;
    default:
      return undefined;
  }
}

const groupingsFor = (groupBy: ReportGrouping, school: School): ReportStoreGrouping[] => {
  const g = storeGrouping(groupBy, school);
  return g ? [g] : [];
};

/** Whether the zone is a whole number of hours from UTC in both winter and summer. */
function wholeHourZone(timeZone: string): boolean {
  const year = new Date().getUTCFullYear();
  return [0, 6].every((month) => {
    const parts = new Intl.DateTimeFormat("en-GB", { timeZone, timeZoneName: "longOffset" }).formatToParts(new Date(Date.UTC(year, month, 1)));
    const offset = parts.find((p) => p.type === "timeZoneName")?.value ?? "";
    return offset === "GMT" || /:00$/.test(offset);
  });
}

/** A fact's values for the store's grouping: what the store's GROUP BY expression gives (cosmos-report-counts.ts). */
function groupValues(groupBy: ReportStoreGrouping | undefined): (f: ReportFact) => (string | undefined)[] {
  switch (groupBy) {
    case "hour":
      return (f) => [f.occurredAt.slice(0, 13)];
    case "minute":
      return (f) => [f.occurredAt.slice(0, 16)];
    case "category":
      return (f) => currentCategoryIds(f);
    case "subCategory":
      return (f) => f.subCategoryIds;
    case "dayOfWeek":
    case "session":
    case "location":
      return (f) => [f[groupBy]];
    default:
      return () => [];
  }
}

type Keys = (value: string | undefined) => [string, string][];

/** The row(s) one grouped value counts in: none for a category the reader may not see. */
function groupingKeys(groupBy: ReportGrouping, school: School, categories: School["categories"]): Keys {
  if (isPeriod(groupBy)) {
    const calendar = calendarOf(school);
    // The store's value is the UTC hour (or minute) the incident happened.
    return (v) => {
      if (!v) return [];
      const p = periodOf(groupBy, dateIn(`${v}${v.length === 13 ? ":00" : ""}:00.000Z`, school.timeZone), calendar);
      return [[p.key, p.label]];
    };
  }
  switch (groupBy) {
    case "category":
      // Only categories the reader may see are rows: SLT never gets a row of a protected category.
      return (id) => categories.filter((c) => c.id === id).map((c): [string, string] => [c.id, c.name]);
    case "subCategory": {
      const subs = categories.flatMap((c) => c.subCategories.map((s) => ({ ...s, label: `${c.name}: ${s.name}` })));
      return (id) => subs.filter((s) => s.id === id).map((s): [string, string] => [s.id, s.label]);
    }
    case "dayOfWeek":
      return (day) => [[day ?? "Unknown", day ?? "Not recorded"]];
    case "session":
      return (session) => [[session ?? "none", session ? (SESSION_LABELS[session] ?? session) : "Not recorded"]];
    case "location":
      return (location) => [[location ?? "", location || "Not recorded"]];
    default:
      return () => [];
  }
}

/** The row(s) a pupil's records count in, by the pupil as the roll has them now; undefined for other groupings. */
function pupilGroupingKeys(groupBy: ReportGrouping, groups: PupilFlag[]): ((p: Pupil | undefined) => [string, string][]) | undefined {
  switch (groupBy) {
    case "yearGroup":
      return (p) => [[p?.yearGroup ?? "", p?.yearGroup || "Not known"]];
    case "class":
      return (p) => [[p?.className ?? "", p?.className || "Not known"]];
    case "pupilGroup":
      // Only the flags the reader may know are groups (SLT never sees CP or CIN as one).
      return (p) => (p?.flags ?? []).filter((g) => groups.includes(g)).map((g): [string, string] => [g, g]);
    default:
      return undefined;
  }
}

function sortRows(groupBy: ReportGrouping, rows: IncidentReport["rows"]) {
  if (groupBy === "dayOfWeek") return rows.sort((a, b) => rank(a.key) - rank(b.key));
  if ((PERIODS as readonly string[]).includes(groupBy)) return rows.sort((a, b) => a.key.localeCompare(b.key));
  return rows.sort((a, b) => b.count - a.count || a.label.localeCompare(b.label));
}

const rank = (day: string) => {
  const i = (WEEKDAYS as readonly string[]).indexOf(day);
  return i < 0 ? 99 : i;
};
